using System.Text;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Splits spliced source text into preprocessing tokens (translation phase 3), only as finely as
    /// finding directives needs. What matters is never to mistake where a comment or literal starts or
    /// ends: that is the only way text can hide a directive, and a hidden #include would be a missed
    /// dependency. Two rules depend on the language dialect (<see cref="LexicalMode"/>): raw strings
    /// R"d(...)d" (C++11) span lines, and "1'000" is one number (C++14 digit separators) rather than
    /// a 1 and a character literal. Ordinary literals end at the line's end.
    /// Comments are skipped as whitespace; <see cref="CommentNewline"/> tells whether a skipped block
    /// comment held a line break, because EDG then takes a following '#' as a directive (measured:
    /// "int x; /*\n*/ #include ..." includes).
    /// </summary>
    internal sealed class PpLexer
    {
        private readonly SplicedText _text;
        private readonly byte[] _s;
        private readonly int _end;
        private readonly bool _rawStrings;
        private readonly bool _digitSeparators;
        private int _pos;

        public PpLexer(SplicedText text, LexicalMode mode = LexicalMode.Cpp14)
        {
            _text = text;
            _rawStrings = mode != LexicalMode.Cpp03;
            _digitSeparators = mode == LexicalMode.Cpp14;
            _s = text.Bytes;
            _pos = text.Start;
            _end = text.End;
        }

        /// <summary>Inside a directive a newline ends the line: <see cref="Next"/> then reports it without
        /// consuming it, so every reader of the line stops there; <see cref="ConsumeNewline"/> moves on.</summary>
        public bool InDirective { get; set; }

        /// <summary>Line breaks consumed so far (in newlines and in block comments or raw strings).</summary>
        public int Newlines { get; private set; }

        public PpTokenKind Kind { get; private set; }
        public int TokenStart { get; private set; }
        public int TokenEnd { get; private set; }
        public bool SpaceBefore { get; private set; }
        public bool CommentNewline { get; private set; }

        public int PhysicalLine => _text.PhysicalLine(TokenStart, Newlines);

        public string TokenText => Encoding.UTF8.GetString(_s, TokenStart, TokenEnd - TokenStart);

        public bool TokenIs(string value)
        {
            int length = TokenEnd - TokenStart;
            if (length != value.Length)
                return false;
            for (int i = 0; i < length; i++)
            {
                if (_s[TokenStart + i] != value[i])
                    return false;
            }
            return true;
        }

        /// <summary>'#' or its digraph '%:'.</summary>
        public bool TokenIsHash => Kind == PpTokenKind.Punctuator && (TokenIs("#") || TokenIs("%:"));

        public PpToken ToToken()
        {
            string value = TokenText;
            if (Kind == PpTokenKind.Punctuator && value.StartsWith("%:", System.StringComparison.Ordinal))
                value = value.Length == 2 ? "#" : "##";
            return new PpToken(Kind, value, SpaceBefore);
        }

        /// <summary>The byte after skipped whitespace and comments, or -1 at the end.</summary>
        public int PeekAfterSpace()
        {
            SkipSpace();
            return _pos < _end ? _s[_pos] : -1;
        }

        /// <summary>The byte right at the current position (no skipping), or -1 at the end.</summary>
        public int PeekRaw() => _pos < _end ? _s[_pos] : -1;

        public void ConsumeNewline()
        {
            if (_pos < _end && _s[_pos] == '\n')
            {
                _pos++;
                Newlines++;
            }
        }

        public PpTokenKind Next()
        {
            SpaceBefore = false;
            CommentNewline = false;
            SkipSpace();
            TokenStart = _pos;
            if (_pos >= _end)
                return Finish(PpTokenKind.EndOfFile);

            byte c = _s[_pos];
            if (c == '\n')
            {
                if (!InDirective)
                {
                    _pos++;
                    Newlines++;
                }
                TokenEnd = TokenStart + 1;
                Kind = PpTokenKind.Newline;
                return Kind;
            }
            if (IsIdentifierStart(c))
                return LexIdentifierOrPrefixedLiteral();
            if (IsDigit(c) || (c == '.' && _pos + 1 < _end && IsDigit(_s[_pos + 1])))
                return LexNumber();
            if (c == '"' || c == '\'')
            {
                LexQuoted(c);
                return Finish(c == '"' ? PpTokenKind.String : PpTokenKind.Character);
            }
            _pos++;
            if (c == '#' && _pos < _end && _s[_pos] == '#')
                _pos++;
            else if (c == '%' && _pos < _end && _s[_pos] == ':')
            {
                _pos++;
                if (_pos + 1 < _end && _s[_pos] == '%' && _s[_pos + 1] == ':')
                    _pos += 2;
            }
            return Finish(PpTokenKind.Punctuator);
        }

        /// <summary>
        /// Reads a header name at the current position (after <see cref="PeekAfterSpace"/> showed '"' or
        /// '&lt;'). Its characters are taken literally: no escapes, and "//" or "/*" inside are not comments.
        /// An unterminated name runs to the end of the line (NVRTC reports an error; taking the text keeps
        /// the scan a superset).
        /// </summary>
        public HeaderName ReadHeaderName()
        {
            byte open = _s[_pos];
            byte close = open == '<' ? (byte)'>' : (byte)'"';
            int start = ++_pos;
            while (_pos < _end && _s[_pos] != close && _s[_pos] != '\n')
                _pos++;
            int stop = _pos;
            if (_pos < _end && _s[_pos] == close)
                _pos++;
            else
            {
                while (stop > start && IsHorizontalSpace(_s[stop - 1]))
                    stop--;
            }
            return new HeaderName(Encoding.UTF8.GetString(_s, start, stop - start), open == '<');
        }

        private PpTokenKind Finish(PpTokenKind kind)
        {
            TokenEnd = _pos;
            Kind = kind;
            return kind;
        }

        private void SkipSpace()
        {
            while (_pos < _end)
            {
                byte c = _s[_pos];
                if (IsHorizontalSpace(c))
                {
                    _pos++;
                    SpaceBefore = true;
                }
                else if (c == '/' && _pos + 1 < _end && _s[_pos + 1] == '/')
                {
                    _pos += 2;
                    while (_pos < _end && _s[_pos] != '\n')
                        _pos++;
                    SpaceBefore = true;
                }
                else if (c == '/' && _pos + 1 < _end && _s[_pos + 1] == '*')
                {
                    _pos += 2;
                    while (_pos < _end && !(_s[_pos] == '*' && _pos + 1 < _end && _s[_pos + 1] == '/'))
                    {
                        if (_s[_pos] == '\n')
                        {
                            Newlines++;
                            CommentNewline = true;
                        }
                        _pos++;
                    }
                    _pos = _pos < _end ? _pos + 2 : _end;
                    SpaceBefore = true;
                }
                else
                    return;
            }
        }

        private PpTokenKind LexIdentifierOrPrefixedLiteral()
        {
            int start = _pos;
            while (_pos < _end && IsIdentifierChar(_s[_pos]))
                _pos++;
            if (_pos < _end && (_s[_pos] == '"' || _s[_pos] == '\''))
            {
                int length = _pos - start;
                bool raw = _rawStrings && _s[_pos - 1] == 'R' && _s[_pos] == '"' && IsEncodingPrefix(start, length - 1);
                if (raw && TryLexRawString())
                    return Finish(PpTokenKind.String);
                if (!raw && IsEncodingPrefix(start, length))
                {
                    byte quote = _s[_pos];
                    LexQuoted(quote);
                    return Finish(quote == '"' ? PpTokenKind.String : PpTokenKind.Character);
                }
            }
            return Finish(PpTokenKind.Identifier);
        }

        // "", L, u, U or u8: what may precede a string literal (and, with R after it, a raw one).
        private bool IsEncodingPrefix(int start, int length)
        {
            switch (length)
            {
                case 0: return true;
                case 1: return _s[start] == 'L' || _s[start] == 'u' || _s[start] == 'U';
                case 2: return _s[start] == 'u' && _s[start + 1] == '8';
                default: return false;
            }
        }

        /// <summary>At the '"' of R"delim( ... )delim". Leaves the position untouched and returns false
        /// when the delimiter is malformed or the string never ends: the '"' is then lexed as an ordinary
        /// literal that stops at the line's end, so no later directive is hidden.</summary>
        private bool TryLexRawString()
        {
            int delimiterStart = _pos + 1;
            int open = delimiterStart;
            while (open < _end && open - delimiterStart <= 16 && _s[open] != '(')
            {
                byte c = _s[open];
                if (c == ')' || c == '\\' || c == '"' || IsHorizontalSpace(c) || c == '\n')
                    return false;
                open++;
            }
            if (open >= _end || _s[open] != '(' || open - delimiterStart > 16)
                return false;
            int delimiterLength = open - delimiterStart;
            for (int i = open + 1; i + delimiterLength + 1 < _end; i++)
            {
                if (_s[i] == ')' && _s[i + delimiterLength + 1] == '"' && Matches(i + 1, delimiterStart, delimiterLength))
                {
                    for (int j = _pos; j < i; j++)
                    {
                        if (_s[j] == '\n')
                            Newlines++;
                    }
                    _pos = i + delimiterLength + 2;
                    return true;
                }
            }
            return false;
        }

        private bool Matches(int at, int delimiterStart, int length)
        {
            for (int k = 0; k < length; k++)
            {
                if (_s[at + k] != _s[delimiterStart + k])
                    return false;
            }
            return true;
        }

        private PpTokenKind LexNumber()
        {
            _pos++;
            while (_pos < _end)
            {
                byte c = _s[_pos];
                if ((c == 'e' || c == 'E' || c == 'p' || c == 'P') && _pos + 1 < _end && (_s[_pos + 1] == '+' || _s[_pos + 1] == '-'))
                    _pos += 2;
                else if (IsIdentifierChar(c) || c == '.')
                    _pos++;
                else if (_digitSeparators && c == '\'' && _pos + 1 < _end && IsIdentifierChar(_s[_pos + 1]))
                    _pos += 2; // digit separator
                else
                    break;
            }
            return Finish(PpTokenKind.Number);
        }

        private void LexQuoted(byte quote)
        {
            _pos++;
            while (_pos < _end)
            {
                byte c = _s[_pos];
                if (c == quote)
                {
                    _pos++;
                    return;
                }
                if (c == '\n')
                    return;
                _pos += c == '\\' && _pos + 1 < _end && _s[_pos + 1] != '\n' ? 2 : 1;
            }
        }

        // NUL counts as space: in a header read from disk NVRTC reports "invalid character in input line" and
        // goes on as if it were a blank (measured, NVRTC 11.8: "\0#include", "#\0include" and "  \0  #" all
        // include; "#inc\0lude" is an unknown directive). The kernel's own source reaches NVRTC as a C string
        // that ends at its first NUL, so scanning past it there only lists more.
        private static bool IsHorizontalSpace(byte c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0;
        private static bool IsDigit(byte c) => c >= '0' && c <= '9';
        private static bool IsIdentifierStart(byte c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
        private static bool IsIdentifierChar(byte c) => IsIdentifierStart(c) || IsDigit(c);
    }
}
