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
        private readonly SplicedText text;
        private readonly byte[] s;
        private readonly int end;
        private readonly bool rawStrings;
        private readonly bool digitSeparators;
        private int pos;

        public PpLexer(SplicedText text, LexicalMode mode = LexicalMode.Cpp14)
        {
            this.text = text;
            rawStrings = mode != LexicalMode.Cpp03;
            digitSeparators = mode == LexicalMode.Cpp14;
            s = text.Bytes;
            pos = text.Start;
            end = text.End;
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

        public int PhysicalLine => text.PhysicalLine(TokenStart, Newlines);

        public string TokenText => Encoding.UTF8.GetString(s, TokenStart, TokenEnd - TokenStart);

        public bool TokenIs(string value)
        {
            int length = TokenEnd - TokenStart;
            if (length != value.Length)
                return false;
            for (int i = 0; i < length; i++)
            {
                if (s[TokenStart + i] != value[i])
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
            return pos < end ? s[pos] : -1;
        }

        /// <summary>The byte right at the current position (no skipping), or -1 at the end.</summary>
        public int PeekRaw() => pos < end ? s[pos] : -1;

        public void ConsumeNewline()
        {
            if (pos < end && s[pos] == '\n')
            {
                pos++;
                Newlines++;
            }
        }

        public PpTokenKind Next()
        {
            SpaceBefore = false;
            CommentNewline = false;
            SkipSpace();
            TokenStart = pos;
            if (pos >= end)
                return Finish(PpTokenKind.EndOfFile);

            byte c = s[pos];
            if (c == '\n')
            {
                if (!InDirective)
                {
                    pos++;
                    Newlines++;
                }
                TokenEnd = TokenStart + 1;
                Kind = PpTokenKind.Newline;
                return Kind;
            }
            if (IsIdentifierStart(c))
                return LexIdentifierOrPrefixedLiteral();
            if (IsDigit(c) || (c == '.' && pos + 1 < end && IsDigit(s[pos + 1])))
                return LexNumber();
            if (c == '"' || c == '\'')
            {
                LexQuoted(c);
                return Finish(c == '"' ? PpTokenKind.String : PpTokenKind.Character);
            }
            pos++;
            if (c == '#' && pos < end && s[pos] == '#')
                pos++;
            else if (c == '%' && pos < end && s[pos] == ':')
            {
                pos++;
                if (pos + 1 < end && s[pos] == '%' && s[pos + 1] == ':')
                    pos += 2;
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
            byte open = s[pos];
            byte close = open == '<' ? (byte)'>' : (byte)'"';
            int start = ++pos;
            while (pos < end && s[pos] != close && s[pos] != '\n')
                pos++;
            int stop = pos;
            if (pos < end && s[pos] == close)
                pos++;
            else
            {
                while (stop > start && IsHorizontalSpace(s[stop - 1]))
                    stop--;
            }
            return new HeaderName(Encoding.UTF8.GetString(s, start, stop - start), open == '<');
        }

        private PpTokenKind Finish(PpTokenKind kind)
        {
            TokenEnd = pos;
            Kind = kind;
            return kind;
        }

        private void SkipSpace()
        {
            while (pos < end)
            {
                byte c = s[pos];
                if (IsHorizontalSpace(c))
                {
                    pos++;
                    SpaceBefore = true;
                }
                else if (c == '/' && pos + 1 < end && s[pos + 1] == '/')
                {
                    pos += 2;
                    while (pos < end && s[pos] != '\n')
                        pos++;
                    SpaceBefore = true;
                }
                else if (c == '/' && pos + 1 < end && s[pos + 1] == '*')
                {
                    pos += 2;
                    while (pos < end && !(s[pos] == '*' && pos + 1 < end && s[pos + 1] == '/'))
                    {
                        if (s[pos] == '\n')
                        {
                            Newlines++;
                            CommentNewline = true;
                        }
                        pos++;
                    }
                    pos = pos < end ? pos + 2 : end;
                    SpaceBefore = true;
                }
                else
                    return;
            }
        }

        private PpTokenKind LexIdentifierOrPrefixedLiteral()
        {
            int start = pos;
            while (pos < end && IsIdentifierChar(s[pos]))
                pos++;
            if (pos < end && (s[pos] == '"' || s[pos] == '\''))
            {
                int length = pos - start;
                bool raw = rawStrings && s[pos - 1] == 'R' && s[pos] == '"' && IsEncodingPrefix(start, length - 1);
                if (raw && TryLexRawString())
                    return Finish(PpTokenKind.String);
                if (!raw && IsEncodingPrefix(start, length))
                {
                    byte quote = s[pos];
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
                case 1: return s[start] == 'L' || s[start] == 'u' || s[start] == 'U';
                case 2: return s[start] == 'u' && s[start + 1] == '8';
                default: return false;
            }
        }

        /// <summary>At the '"' of R"delim( ... )delim". Leaves the position untouched and returns false
        /// when the delimiter is malformed or the string never ends: the '"' is then lexed as an ordinary
        /// literal that stops at the line's end, so no later directive is hidden.</summary>
        private bool TryLexRawString()
        {
            int delimiterStart = pos + 1;
            int open = delimiterStart;
            while (open < end && open - delimiterStart <= 16 && s[open] != '(')
            {
                byte c = s[open];
                if (c == ')' || c == '\\' || c == '"' || IsHorizontalSpace(c) || c == '\n')
                    return false;
                open++;
            }
            if (open >= end || s[open] != '(' || open - delimiterStart > 16)
                return false;
            int delimiterLength = open - delimiterStart;
            for (int i = open + 1; i + delimiterLength + 1 < end; i++)
            {
                if (s[i] == ')' && s[i + delimiterLength + 1] == '"' && Matches(i + 1, delimiterStart, delimiterLength))
                {
                    for (int j = pos; j < i; j++)
                    {
                        if (s[j] == '\n')
                            Newlines++;
                    }
                    pos = i + delimiterLength + 2;
                    return true;
                }
            }
            return false;
        }

        private bool Matches(int at, int delimiterStart, int length)
        {
            for (int k = 0; k < length; k++)
            {
                if (s[at + k] != s[delimiterStart + k])
                    return false;
            }
            return true;
        }

        private PpTokenKind LexNumber()
        {
            pos++;
            while (pos < end)
            {
                byte c = s[pos];
                if ((c == 'e' || c == 'E' || c == 'p' || c == 'P') && pos + 1 < end && (s[pos + 1] == '+' || s[pos + 1] == '-'))
                    pos += 2;
                else if (IsIdentifierChar(c) || c == '.')
                    pos++;
                else if (digitSeparators && c == '\'' && pos + 1 < end && IsIdentifierChar(s[pos + 1]))
                    pos += 2; // digit separator
                else
                    break;
            }
            return Finish(PpTokenKind.Number);
        }

        private void LexQuoted(byte quote)
        {
            pos++;
            while (pos < end)
            {
                byte c = s[pos];
                if (c == quote)
                {
                    pos++;
                    return;
                }
                if (c == '\n')
                    return;
                pos += c == '\\' && pos + 1 < end && s[pos + 1] != '\n' ? 2 : 1;
            }
        }

        private static bool IsHorizontalSpace(byte c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
        private static bool IsDigit(byte c) => c >= '0' && c <= '9';
        private static bool IsIdentifierStart(byte c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
        private static bool IsIdentifierChar(byte c) => IsIdentifierStart(c) || IsDigit(c);
    }
}
