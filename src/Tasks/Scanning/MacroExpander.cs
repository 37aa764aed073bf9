using System;
using System.Collections.Generic;
using System.Text;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Expands the tokens of one directive line as the C preprocessor does (C11 6.10.3, C++20 [cpp.replace]):
    /// object-like and function-like macros, '#', '##' with placemarkers, variadic macros, __VA_OPT__, GNU's
    /// ", ## __VA_ARGS__", argument pre-expansion and rescanning with hide sets (Prosser's algorithm: a
    /// token that came out of a macro's expansion never expands that macro again, the "painted blue" rule),
    /// _Pragma, __FILE__ and __LINE__.
    /// Which definition a macro has is asked of <see cref="Choose"/> once per name, so that one run is one
    /// consistent state of the macro table; <see cref="ComputedIncludeResolver"/> runs it once per state worth
    /// trying.
    /// </summary>
    internal sealed class MacroExpander
    {
        // An expansion that grows without end (e.g. a macro that rebuilds its own call through a second
        // macro) is cut off: NVRTC would run out of memory or report an error there, and opens nothing.
        private const int MaxTokens = 100_000;

        private readonly Func<string, bool, List<ExpToken>, MacroDefinition?> _choose;
        private readonly string _file;
        private readonly int _line;
        private int _produced;

        /// <param name="choose">The definition of a name in this run (null: not defined), given whether it is
        /// met at the top level of the line and the line's output so far.</param>
        /// <param name="file">The value of __FILE__ (the including file, as NVRTC spells its path).</param>
        /// <param name="line">The value of __LINE__.</param>
        public MacroExpander(Func<string, bool, List<ExpToken>, MacroDefinition?> choose, string file, int line)
        {
            _choose = choose;
            _file = file;
            _line = line;
        }

        /// <summary>Set for an #if line: whether a name is defined (null: not known, which makes the line
        /// unknowable); <c>defined X</c> and <c>defined(X)</c> then become 1 or 0.</summary>
        public Func<string, bool?>? IsDefined { get; set; }

        /// <summary>The name asked of the chooser for whether __VA_OPT__ is the C++20 operator (any non-null
        /// answer) or an ordinary identifier, as in NVRTC 11.8 (measured: it has no C++20 mode).</summary>
        public const string VaOptChoice = "\u0001__VA_OPT__";

        /// <summary>Thrown where the line cannot be expanded statically (the reason is the message).</summary>
        public sealed class UnknowableException : Exception
        {
            public UnknowableException(string reason) : base(reason) { }
        }

        /// <summary>Thrown where this state of the macros makes the line an error: NVRTC opens nothing for it.</summary>
        public sealed class MalformedException : Exception
        {
        }

        private MacroDefinition? Choose(string name, bool topLevel, List<ExpToken> output) => _choose(name, topLevel, output);

        /// <summary>Expands a whole directive line. <paramref name="isDecided"/> says when the output so far
        /// already fixes the result, so that the rest need not be expanded.</summary>
        public List<ExpToken> ExpandLine(IReadOnlyList<PpToken> tokens, Func<List<ExpToken>, bool> isDecided)
        {
            var input = new List<ExpToken>(tokens.Count);
            foreach (PpToken token in tokens)
                input.Add(new ExpToken(token, HideSet.Empty));
            return Expand(input, topLevel: true, isDecided);
        }

        private List<ExpToken> Expand(List<ExpToken> tokens, bool topLevel, Func<List<ExpToken>, bool>? isDecided)
        {
            // The pending input as a stack, next token last: a macro's replacement is pushed in front of the rest.
            var pending = new List<ExpToken>(tokens.Count);
            for (int i = tokens.Count - 1; i >= 0; i--)
                pending.Add(tokens[i]);
            var output = new List<ExpToken>();
            while (pending.Count > 0)
            {
                if (isDecided != null && isDecided(output))
                    break;
                ExpToken token = Pop(pending);
                if (token.Token.Kind != PpTokenKind.Identifier || token.Hide.Contains(token.Token.Text))
                {
                    output.Add(token);
                    continue;
                }
                if (ExpandBuiltin(token, pending, output))
                    continue;
                if (IsDefined != null && token.Token.Text == "defined")
                {
                    output.Add(Defined(token, pending));
                    continue;
                }
                MacroDefinition? definition = Choose(token.Token.Text, topLevel, output);
                if (definition == null)
                {
                    output.Add(token);
                    continue;
                }
                if (!definition.IsFunctionLike)
                {
                    Push(pending, Substitute(definition, null, token.Hide.With(definition.Name), token.Token.SpaceBefore));
                    continue;
                }
                if (Peek(pending) != "(")
                {
                    output.Add(token); // a function-like macro's name without a call is an ordinary identifier
                    continue;
                }
                List<List<ExpToken>>? arguments = CollectArguments(pending, out ExpToken? closing);
                if (arguments == null || !FitArguments(definition, arguments))
                    throw new MalformedException(); // NVRTC reports the unterminated call or wrong argument count
                HideSet hide = token.Hide.Intersect(closing!.Hide).With(definition.Name);
                Push(pending, Substitute(definition, arguments, hide, token.Token.SpaceBefore));
            }
            return output;
        }

        /// <summary>__FILE__, __LINE__ and _Pragma("..."); __COUNTER__ counts every use in the translation
        /// unit so far, which only the compile knows.</summary>
        private bool ExpandBuiltin(ExpToken token, List<ExpToken> pending, List<ExpToken> output)
        {
            switch (token.Token.Text)
            {
                case "__FILE__":
                    output.Add(new ExpToken(new PpToken(PpTokenKind.String, Quote(_file), token.Token.SpaceBefore), token.Hide));
                    return true;
                case "__LINE__":
                    if (_line < 0)
                        throw new UnknowableException("it uses __LINE__");
                    output.Add(new ExpToken(new PpToken(PpTokenKind.Number, _line.ToString(System.Globalization.CultureInfo.InvariantCulture), token.Token.SpaceBefore), token.Hide));
                    return true;
                case "__COUNTER__":
                    throw new UnknowableException("it uses __COUNTER__, whose value depends on every use before it in the compile");
                case "_Pragma":
                    // _Pragma ( string-literal ) is executed and removed; it never adds to a header name.
                    if (Peek(pending) != "(")
                        return false;
                    CollectArguments(pending, out _);
                    return true;
            }
            return false;
        }

        /// <summary>Takes "( ... )" off the pending input; null when the line ends first.</summary>
        private ExpToken Defined(ExpToken token, List<ExpToken> pending)
        {
            bool parenthesized = Peek(pending) == "(";
            if (parenthesized)
                Pop(pending);
            if (pending.Count == 0 || pending[pending.Count - 1].Token.Kind != PpTokenKind.Identifier)
                throw new MalformedException();
            string name = Pop(pending).Token.Text;
            if (parenthesized && (pending.Count == 0 || Pop(pending).Token.Text != ")"))
                throw new MalformedException();
            bool? defined = IsDefined!(name);
            if (defined == null)
                throw new UnknowableException("'" + name + "' may or may not be defined there");
            return new ExpToken(new PpToken(PpTokenKind.Number, defined.Value ? "1" : "0", token.Token.SpaceBefore), HideSet.Empty);
        }

        private static List<List<ExpToken>>? CollectArguments(List<ExpToken> pending, out ExpToken? closing)
        {
            closing = null;
            Pop(pending); // '('
            var arguments = new List<List<ExpToken>> { new List<ExpToken>() };
            int depth = 0;
            while (pending.Count > 0)
            {
                ExpToken token = Pop(pending);
                string text = token.Token.Kind == PpTokenKind.Punctuator ? token.Token.Text : "";
                if (text == ")" && depth == 0)
                {
                    closing = token;
                    return arguments;
                }
                if (text == "(")
                    depth++;
                else if (text == ")")
                    depth--;
                else if (text == "," && depth == 0)
                {
                    arguments.Add(new List<ExpToken>());
                    continue;
                }
                arguments[arguments.Count - 1].Add(token);
            }
            return null;
        }

        /// <summary>Matches the arguments to the parameters: the variadic one takes the rest, commas
        /// included, and may be left out entirely.</summary>
        private static bool FitArguments(MacroDefinition definition, List<List<ExpToken>> arguments)
        {
            int parameters = definition.Parameters!.Count;
            if (parameters == 0)
                return arguments.Count == 1 && arguments[0].Count == 0;
            if (definition.IsVariadic)
            {
                if (arguments.Count == parameters - 1)
                    arguments.Add(new List<ExpToken>());
                if (arguments.Count < parameters)
                    return false;
                List<ExpToken> rest = arguments[parameters - 1];
                for (int i = parameters; i < arguments.Count; i++)
                {
                    rest.Add(new ExpToken(new PpToken(PpTokenKind.Punctuator, ",", false), HideSet.Empty));
                    rest.AddRange(arguments[i]);
                }
                arguments.RemoveRange(parameters, arguments.Count - parameters);
                return true;
            }
            return arguments.Count == parameters;
        }

        /// <summary>The replacement list with arguments in place: stringized after '#', pasted around '##',
        /// fully expanded elsewhere; every resulting token gets <paramref name="hide"/>.</summary>
        private List<ExpToken> Substitute(MacroDefinition definition, List<List<ExpToken>>? arguments, HideSet hide, bool spaceBefore)
        {
            var result = new List<ExpToken>();
            SubstituteRange(definition, definition.Replacement, 0, definition.Replacement.Count, arguments, result);
            var final = new List<ExpToken>(result.Count);
            foreach (ExpToken token in result)
            {
                if (!token.IsPlacemarker)
                    final.Add(new ExpToken(token.Token, token.Hide.Union(hide)));
            }
            if (final.Count > 0)
                final[0] = new ExpToken(final[0].Token.WithSpaceBefore(spaceBefore), final[0].Hide);
            _produced += final.Count;
            if (_produced > MaxTokens)
                throw new UnknowableException("its macro expansion does not end (more than " + MaxTokens + " tokens)");
            return final;
        }

        private void SubstituteRange(MacroDefinition definition, IReadOnlyList<PpToken> body, int start, int end,
            List<List<ExpToken>>? arguments, List<ExpToken> result)
        {
            bool pasteNext = false;
            for (int i = start; i < end; i++)
            {
                PpToken token = body[i];
                if (token.Kind == PpTokenKind.Punctuator && token.Text == "##" && i > start && i + 1 < end)
                {
                    pasteNext = true;
                    continue;
                }
                List<ExpToken> operand;
                if (arguments != null && token.Kind == PpTokenKind.Punctuator && token.Text == "#" && i + 1 < end
                    && definition.ParameterIndex(body[i + 1].Text) >= 0)
                {
                    operand = new List<ExpToken> { Stringize(arguments[definition.ParameterIndex(body[++i].Text)], token.SpaceBefore) };
                }
                else if (arguments != null && definition.IsVariadic && token.Text == "__VA_OPT__" && Peek(body, i + 1, end) == "("
                    && _choose(VaOptChoice, false, result) != null)
                {
                    int close = MatchingParenthesis(body, i + 1, end);
                    operand = new List<ExpToken>();
                    if (HasVariadicTokens(definition, arguments))
                        SubstituteRange(definition, body, i + 2, close, arguments, operand);
                    if (operand.Count == 0)
                        operand.Add(ExpToken.Placemarker);
                    i = close;
                }
                else if (arguments != null && definition.ParameterIndex(token.Text) >= 0 && token.Kind == PpTokenKind.Identifier)
                {
                    List<ExpToken> argument = arguments[definition.ParameterIndex(token.Text)];
                    bool pasted = pasteNext || Peek(body, i + 1, end) == "##";
                    operand = pasted ? new List<ExpToken>(argument) : Expand(argument, topLevel: false, null);
                    if (pasted && GnuCommaElision(definition, token, result, pasteNext, argument))
                    {
                        pasteNext = false;
                        continue;
                    }
                    if (operand.Count == 0)
                        operand.Add(ExpToken.Placemarker);
                    if (operand[0].Token.SpaceBefore != token.SpaceBefore)
                        operand[0] = new ExpToken(operand[0].Token.WithSpaceBefore(token.SpaceBefore), operand[0].Hide);
                }
                else
                    operand = new List<ExpToken> { new ExpToken(token, HideSet.Empty) };

                if (pasteNext && result.Count > 0)
                {
                    result[result.Count - 1] = Paste(result[result.Count - 1], operand[0]);
                    operand.RemoveAt(0);
                }
                pasteNext = false;
                result.AddRange(operand);
            }
        }

        /// <summary>GNU: in ", ## __VA_ARGS__" an empty variadic argument deletes the comma (EDG follows in
        /// GNU mode, as NVRTC runs it).</summary>
        private static bool GnuCommaElision(MacroDefinition definition, PpToken token, List<ExpToken> result, bool pasteNext,
            List<ExpToken> argument)
        {
            if (!pasteNext || !definition.IsVariadic || definition.ParameterIndex(token.Text) != definition.Parameters!.Count - 1)
                return false;
            if (result.Count == 0 || result[result.Count - 1].Token.Text != ",")
                return false;
            if (argument.Count == 0)
                result.RemoveAt(result.Count - 1);
            else
                result.AddRange(argument);
            return true;
        }

        private static bool HasVariadicTokens(MacroDefinition definition, List<List<ExpToken>> arguments) =>
            arguments[definition.Parameters!.Count - 1].Count > 0;

        private static int MatchingParenthesis(IReadOnlyList<PpToken> body, int open, int end)
        {
            int depth = 0;
            for (int i = open; i < end; i++)
            {
                if (body[i].Text == "(")
                    depth++;
                else if (body[i].Text == ")" && --depth == 0)
                    return i;
            }
            return end;
        }

        /// <summary>'#': the argument's spelling, one space where any whitespace was, '"' and '\' escaped
        /// inside string and character literals.</summary>
        private static ExpToken Stringize(List<ExpToken> argument, bool spaceBefore)
        {
            var text = new StringBuilder("\"");
            for (int i = 0; i < argument.Count; i++)
            {
                PpToken token = argument[i].Token;
                if (i > 0 && token.SpaceBefore)
                    text.Append(' ');
                if (token.Kind == PpTokenKind.String || token.Kind == PpTokenKind.Character)
                    text.Append(token.Text.Replace("\\", "\\\\").Replace("\"", "\\\""));
                else
                    text.Append(token.Text);
            }
            text.Append('"');
            return new ExpToken(new PpToken(PpTokenKind.String, text.ToString(), spaceBefore), HideSet.Empty);
        }

        /// <summary>'##': one token spelled as both; a placemarker on either side leaves the other.</summary>
        private static ExpToken Paste(ExpToken left, ExpToken right)
        {
            if (right.IsPlacemarker)
                return left;
            if (left.IsPlacemarker)
                return right.Token.SpaceBefore == left.Token.SpaceBefore ? right : new ExpToken(right.Token.WithSpaceBefore(left.Token.SpaceBefore), right.Hide);
            string text = left.Token.Text + right.Token.Text;
            List<PpToken> lexed = DirectiveParser.Tokenize(Encoding.UTF8.GetBytes(text));
            // A result that is no single token is an error to GCC; the lexer here splits multi-character
            // punctuators, so those are kept whole. Either way the spelling is what a header name sees.
            PpTokenKind kind = lexed.Count == 1 ? lexed[0].Kind : left.Token.Kind;
            return new ExpToken(new PpToken(kind, text, left.Token.SpaceBefore), left.Hide);
        }

        private static string Quote(string path) => "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

        private static string? Peek(IReadOnlyList<PpToken> body, int index, int end) => index < end ? body[index].Text : null;

        private static string? Peek(List<ExpToken> pending) => pending.Count > 0 ? pending[pending.Count - 1].Token.Text : null;

        private static ExpToken Pop(List<ExpToken> pending)
        {
            ExpToken token = pending[pending.Count - 1];
            pending.RemoveAt(pending.Count - 1);
            return token;
        }

        private static void Push(List<ExpToken> pending, List<ExpToken> tokens)
        {
            for (int i = tokens.Count - 1; i >= 0; i--)
                pending.Add(tokens[i]);
        }
    }

    /// <summary>A token during expansion, with the names it may no longer expand.</summary>
    internal sealed class ExpToken
    {
        public static readonly ExpToken Placemarker = new ExpToken(new PpToken(PpTokenKind.Punctuator, "", false), HideSet.Empty);

        public ExpToken(PpToken token, HideSet hide)
        {
            Token = token;
            Hide = hide;
        }

        public PpToken Token { get; }
        public HideSet Hide { get; }
        public bool IsPlacemarker => ReferenceEquals(this, Placemarker) || (Token.Text.Length == 0 && Token.Kind == PpTokenKind.Punctuator);
    }

    /// <summary>An immutable set of macro names (a short list: a few names deep in practice).</summary>
    internal sealed class HideSet
    {
        public static readonly HideSet Empty = new HideSet(null, null);

        private readonly string? _name;
        private readonly HideSet? _next;

        private HideSet(string? name, HideSet? next)
        {
            _name = name;
            _next = next;
        }

        public bool Contains(string name)
        {
            for (HideSet? set = this; set != null && set._name != null; set = set._next)
            {
                if (set._name == name)
                    return true;
            }
            return false;
        }

        public HideSet With(string name) => Contains(name) ? this : new HideSet(name, this);

        public HideSet Union(HideSet other)
        {
            if (ReferenceEquals(other, this) || other._name == null)
                return this;
            if (_name == null)
                return other;
            HideSet result = this;
            for (HideSet? set = other; set != null && set._name != null; set = set._next)
                result = result.With(set._name);
            return result;
        }

        public HideSet Intersect(HideSet other)
        {
            HideSet result = Empty;
            for (HideSet? set = this; set != null && set._name != null; set = set._next)
            {
                if (other.Contains(set._name))
                    result = result.With(set._name);
            }
            return result;
        }
    }
}
