using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Reads one file's bytes into a <see cref="ParsedFile"/>: finds every directive that makes NVRTC
    /// look for a header (#include, #include_next, #import, __has_include in #if/#elif) and every #define,
    /// skipping comments, literals and literal <c>#if 0</c> groups.
    /// A '#' starts a directive when it is the first token of a line, or when a block comment holding a
    /// line break comes right before it (EDG's rule, measured). '%:' is the digraph of '#'.
    /// </summary>
    internal sealed class DirectiveParser
    {
        private readonly PpLexer _lexer;
        private readonly ConditionalStack _conditions = new ConditionalStack();
        private readonly List<IncludeSite> _sites = new List<IncludeSite>();
        private readonly List<MacroDefinition> _macros = new List<MacroDefinition>();
        private readonly List<HasIncludeWrapper> _wrappers = new List<HasIncludeWrapper>();
        private readonly List<MacroForward> _forwards = new List<MacroForward>();
        private readonly List<MacroCall> _calls = new List<MacroCall>();
        private readonly HashSet<string> _touched = new HashSet<string>(System.StringComparer.Ordinal);
        private bool _readingCondition;       // an #if/#elif line is being read:
        private ConditionalGuard? _siteGuard; // the guard its probes sit under
        // The directives in order, for the flow-sensitive walk; the probes of the #if line being read; the
        // index of the last branch directive of each open #if, whose Next the following #elif/#endif sets.
        private readonly List<FlowDirective> _flow = new List<FlowDirective>();
        private readonly List<IncludeSite> _lineProbes = new List<IncludeSite>();
        private readonly List<int> _openBranches = new List<int>();
        private bool _flowAgrees = true;

        // Whether #elifdef and #elifndef (C++23) are conditional directives. NVRTC 11.8 does not know them
        // (measured: "unrecognized preprocessing directive"; the lines after one stay in the group before it, and in
        // a skipped group it is ignored); NVRTC 12 and 13 were not measured. A file that holds one is read both ways.
        private readonly bool _elifdefIsConditional;

        private DirectiveParser(PpLexer lexer, bool elifdefIsConditional = true)
        {
            _lexer = lexer;
            _elifdefIsConditional = elifdefIsConditional;
        }

        public static ParsedFile Parse(byte[] bytes)
        {
            SplicedText text = SplicedText.Create(bytes);
            var parser = new DirectiveParser(new PpLexer(text, LexicalMode.Cpp14));
            parser.Run();

            // Only a file that has "R\"" or an apostrophe after a letter or digit can lex differently in
            // another dialect; for those, add whatever the other dialects see.
            bool rawStringPossible = false, separatorPossible = false;
            for (int i = text.Start + 1; i < text.End; i++)
            {
                byte c = text.Bytes[i], before = text.Bytes[i - 1];
                if (c == '"' && before == 'R')
                    rawStringPossible = true;
                else if (c == '\'' && (IsAlphanumeric(before) || before == '_'))
                    separatorPossible = true;
            }
            var modes = new List<LexicalMode> { LexicalMode.Cpp14 };
            if (separatorPossible)
                modes.Add(LexicalMode.Cpp11);
            if (rawStringPossible)
                modes.Add(LexicalMode.Cpp03);
            // And a file that holds "elifdef" or "elifndef" is read again as NVRTC 11.8 reads it, in each dialect.
            bool elifdefPossible = ContainsElifdef(text);
            foreach (LexicalMode mode in modes)
            {
                if (mode != LexicalMode.Cpp14)
                    parser.Merge(text, mode, elifdefIsConditional: true);
                if (elifdefPossible)
                    parser.Merge(text, mode, elifdefIsConditional: false);
            }
            return new ParsedFile(IO.ContentHash.Of(bytes), parser._sites, parser._macros, parser._wrappers, parser._forwards, parser._calls, parser._touched)
            {
                Flow = parser._flow,
                FlowAgrees = parser._flowAgrees,
                GuardMacro = GuardMacroOf(parser._flow),
            };
        }

        private static bool ContainsElifdef(SplicedText text)
        {
            byte[] b = text.Bytes;
            for (int i = text.Start; i + 7 <= text.End; i++)
            {
                if (b[i] != 'e' || b[i + 1] != 'l' || b[i + 2] != 'i' || b[i + 3] != 'f')
                    continue;
                int next = b[i + 4] == 'n' ? i + 5 : i + 4;
                if (next + 3 <= text.End && b[next] == 'd' && b[next + 1] == 'e' && b[next + 2] == 'f')
                    return true;
            }
            return false;
        }

        private void Merge(SplicedText text, LexicalMode mode, bool elifdefIsConditional)
        {
            var other = new DirectiveParser(new PpLexer(text, mode), elifdefIsConditional);
            other.Run();
            // A header name met in another group is another site: NVRTC may read the one and not the other.
            Unite(_sites, other._sites, site => site.Key + "@" + ConditionalGuard.KeyOf(site.Guard));
            Unite(_macros, other._macros, macro => macro.Key);
            Unite(_wrappers, other._wrappers, wrapper => wrapper.Key);
            Unite(_forwards, other._forwards, forward => forward.Key);
            Unite(_calls, other._calls, call => call.Key);
            _touched.UnionWith(other._touched);
            // One walk follows one order: if another reading sees other directives, the file's flow is not known.
            _flowAgrees &= _flow.Count == other._flow.Count
                && System.Linq.Enumerable.SequenceEqual(_flow.ConvertAll(d => d.Key), other._flow.ConvertAll(d => d.Key));
        }

        private static void Unite<T>(List<T> into, List<T> from, System.Func<T, string> key)
        {
            var known = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (T item in into)
                known.Add(key(item));
            foreach (T item in from)
            {
                if (known.Add(key(item)))
                    into.Add(item);
            }
        }

        private static bool IsAlphanumeric(byte c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        /// <summary>The macro that "#define <paramref name="line"/>" defines (none when malformed).</summary>
        public static IReadOnlyList<MacroDefinition> ParseDefine(string line)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes("#define " + line + "\n");
            var parser = new DirectiveParser(new PpLexer(SplicedText.Create(bytes), LexicalMode.Cpp14));
            parser.Run();
            return parser._macros;
        }

        /// <summary>Tokens of a command-line value (-D NAME=VALUE), lexed like a directive line.</summary>
        public static List<PpToken> Tokenize(byte[] bytes)
        {
            var lexer = new PpLexer(SplicedText.Create(bytes)) { InDirective = true };
            var tokens = new List<PpToken>();
            while (lexer.Next() != PpTokenKind.EndOfFile)
            {
                if (lexer.Kind == PpTokenKind.Newline)
                {
                    lexer.ConsumeNewline();
                    continue;
                }
                tokens.Add(lexer.ToToken());
            }
            return tokens;
        }

        private void Run()
        {
            bool lineStart = true;
            while (true)
            {
                PpTokenKind kind = _lexer.Next();
                if (kind == PpTokenKind.EndOfFile)
                {
                    // An #if left open ends with the file (NVRTC reports it).
                    foreach (int open in _openBranches)
                        _flow[open].Next = _flow.Count;
                    return;
                }
                if (kind == PpTokenKind.Newline)
                {
                    lineStart = true;
                    continue;
                }
                if (_lexer.TokenIsHash && (lineStart || _lexer.CommentNewline))
                {
                    int line = _lexer.PhysicalLine;
                    _lexer.InDirective = true;
                    Directive(line);
                    SkipRestOfLine();
                    _lexer.InDirective = false;
                    _lexer.ConsumeNewline();
                    lineStart = true;
                    continue;
                }
                lineStart = false;
                // NVRTC 11.8 evaluates __has_include in ordinary text too, and opens what it finds (measured).
                if (kind == PpTokenKind.Identifier && !_conditions.Skipping && (_lexer.TokenIs("__has_include") || _lexer.TokenIs("__has_include_next")))
                {
                    HasInclude(_lexer.TokenIs("__has_include") ? IncludeKind.HasInclude : IncludeKind.HasIncludeNext, _lexer.PhysicalLine);
                    lineStart = _lexer.Kind == PpTokenKind.Newline; // the operand's reading may have ended the line
                }
                else if (kind == PpTokenKind.Identifier && !_conditions.Skipping && _lexer.TokenIs("_Pragma"))
                    lineStart = PragmaOperator();
            }
        }

        private void Directive(int line)
        {
            if (_lexer.Next() != PpTokenKind.Identifier)
                return; // null directive, or a line marker "# 12 "file""
            string name = _lexer.TokenText;
            switch (name)
            {
                case "if":
                {
                    bool zero = Condition(line, readProbes: !_conditions.Skipping, _conditions.Guard, out ConditionalBranch branch);
                    _conditions.If(zero, branch);
                    OpenFlow(line, branch);
                    return;
                }
                case "ifdef":
                case "ifndef":
                {
                    ConditionalBranch branch = NameCondition(name == "ifdef" ? BranchKind.Ifdef : BranchKind.Ifndef);
                    _conditions.If(false, branch);
                    OpenFlow(line, branch);
                    return;
                }
                case "elif":
                {
                    bool zero = Condition(line, readProbes: _conditions.InnermostIsLive, _conditions.OuterGuard, out ConditionalBranch branch);
                    _conditions.Elif(zero, branch);
                    ContinueFlow(FlowDirective.Condition(FlowKind.Elif, line, branch));
                    return;
                }
                case "elifdef" when _elifdefIsConditional:
                case "elifndef" when _elifdefIsConditional:
                {
                    ConditionalBranch branch = NameCondition(name == "elifdef" ? BranchKind.Ifdef : BranchKind.Ifndef);
                    _conditions.Elif(false, branch);
                    ContinueFlow(FlowDirective.Condition(FlowKind.Elif, line, branch));
                    return;
                }
                case "else":
                    _conditions.Else();
                    ContinueFlow(FlowDirective.Condition(FlowKind.Elif, line, new ConditionalBranch(BranchKind.Else, new PpToken[0], false)));
                    return;
                case "endif":
                    _conditions.EndIf();
                    if (ContinueFlow(FlowDirective.EndIf(line)))
                        _openBranches.RemoveAt(_openBranches.Count - 1);
                    return;
            }
            if (_conditions.Skipping)
                return;
            switch (name)
            {
                case "include":
                case "import":
                    Include(IncludeKind.Include, line);
                    return;
                case "include_next":
                    Include(IncludeKind.IncludeNext, line);
                    return;
                case "define":
                    Define(line);
                    return;
                case "undef":
                    if (_lexer.Next() == PpTokenKind.Identifier)
                    {
                        _touched.Add(_lexer.TokenText);
                        _flow.Add(FlowDirective.Undef(line, _lexer.TokenText));
                    }
                    return;
                case "pragma":
                    Pragma(line);
                    return;
                case "error":
                    _flow.Add(FlowDirective.Error(line));
                    return;
            }
        }

        /// <summary>#pragma once, push_macro("X") and pop_macro("X"): what changes the macro state.</summary>
        private void Pragma(int line)
        {
            if (_lexer.Next() != PpTokenKind.Identifier)
                return;
            if (_lexer.TokenIs("once"))
            {
                _flow.Add(FlowDirective.Once(line));
                return;
            }
            FlowKind kind = _lexer.TokenIs("push_macro") ? FlowKind.PushMacro : _lexer.TokenIs("pop_macro") ? FlowKind.PopMacro : FlowKind.Error;
            if (kind == FlowKind.Error)
                return;
            List<PpToken> operand = ReadLine();
            if (operand.Count == 3 && operand[0].Text == "(" && operand[1].Kind == PpTokenKind.String && operand[1].Text.StartsWith("\"", System.StringComparison.Ordinal)
                && operand[1].Text.Length > 2 && operand[2].Text == ")")
            {
                _flow.Add(FlowDirective.Pragma(kind, line, operand[1].Text.Substring(1, operand[1].Text.Length - 2)));
            }
            else if (kind == FlowKind.PopMacro)
                _flow.Add(FlowDirective.Pragma(kind, line, "")); // a name the walk cannot read: it forgets what it knows
        }

        /// <summary>_Pragma("once") written in the text: #pragma once. Returns whether the tokens read ended a line.</summary>
        private bool PragmaOperator()
        {
            int line = _lexer.PhysicalLine;
            string[] expected = { "(", "\"once\"", ")" };
            foreach (string text in expected)
            {
                if (_lexer.Next() == PpTokenKind.Newline || _lexer.Kind == PpTokenKind.EndOfFile)
                    return _lexer.Kind == PpTokenKind.Newline;
                if (!_lexer.TokenIs(text))
                    return false;
            }
            _flow.Add(FlowDirective.Once(line));
            return false;
        }

        /// <summary>Records an #if/#ifdef/#ifndef with the probes its line makes.</summary>
        private void OpenFlow(int line, ConditionalBranch branch)
        {
            FlowDirective directive = FlowDirective.Condition(FlowKind.If, line, branch);
            directive.Probes.AddRange(_lineProbes);
            _lineProbes.Clear();
            _openBranches.Add(_flow.Count);
            _flow.Add(directive);
        }

        /// <summary>Records an #elif/#else/#endif and links the block's previous branch to it; false for one
        /// outside any #if (NVRTC reports it; the walk ignores it).</summary>
        private bool ContinueFlow(FlowDirective directive)
        {
            directive.Probes.AddRange(_lineProbes);
            _lineProbes.Clear();
            if (_openBranches.Count == 0)
                return false;
            int previous = _openBranches[_openBranches.Count - 1];
            _flow[previous].Next = _flow.Count;
            _openBranches[_openBranches.Count - 1] = _flow.Count;
            _flow.Add(directive);
            return true;
        }

        /// <summary>
        /// G of a file that is one include guard: "#ifndef G" (or "#if !defined(G)") first, "#define G" next,
        /// and the block's #endif last. A compiler that predefined G would make the header empty, so the walk
        /// takes G as undefined until something defines it, even where it is a reserved name.
        /// </summary>
        private static string? GuardMacroOf(List<FlowDirective> flow)
        {
            if (flow.Count < 3 || flow[0].Kind != FlowKind.If || flow[1].Kind != FlowKind.Define || flow[0].Next != flow.Count - 1
                || flow[flow.Count - 1].Kind != FlowKind.EndIf)
            {
                return null;
            }
            string? name = GuardedName(flow[0].Branch!);
            return name != null && name == flow[1].Macro!.Name ? name : null;
        }

        private static string? GuardedName(ConditionalBranch branch)
        {
            IReadOnlyList<PpToken> c = branch.Condition;
            if (branch.Kind == BranchKind.Ifndef && c.Count == 1)
                return c[0].Text;
            if (branch.Kind != BranchKind.If || branch.UsesHasInclude || c.Count < 3 || c[0].Text != "!" || c[1].Text != "defined")
                return null;
            if (c.Count == 3 && c[2].Kind == PpTokenKind.Identifier)
                return c[2].Text;
            if (c.Count == 5 && c[2].Text == "(" && c[3].Kind == PpTokenKind.Identifier && c[4].Text == ")")
                return c[3].Text;
            return null;
        }

        private void AddSite(IncludeSite site)
        {
            site.Guard = _readingCondition ? _siteGuard : _conditions.Guard;
            _sites.Add(site);
            if (_readingCondition)
                _lineProbes.Add(site);
            else
                _flow.Add(FlowDirective.ForSite(site));
        }

        /// <summary>#ifdef NAME / #ifndef NAME: the name (nothing when malformed, which makes it unknown).</summary>
        private ConditionalBranch NameCondition(BranchKind kind)
        {
            var tokens = new List<PpToken>();
            if (_lexer.Next() == PpTokenKind.Identifier)
                tokens.Add(_lexer.ToToken());
            return new ConditionalBranch(kind, tokens, false);
        }

        /// <summary>Reads an #if/#elif condition; records its __has_include probes, direct or through macro
        /// calls, when NVRTC may evaluate it (under <paramref name="guard"/>, the line's own); returns whether it
        /// is the literal 0.</summary>
        private bool Condition(int line, bool readProbes, ConditionalGuard? guard, out ConditionalBranch branch)
        {
            int count = 0;
            bool zero = false, hasInclude = false;
            var tokens = new List<PpToken>();
            _readingCondition = true;
            _siteGuard = guard;
            while (_lexer.Next() != PpTokenKind.Newline && _lexer.Kind != PpTokenKind.EndOfFile)
            {
                count++;
                zero = count == 1 && _lexer.Kind == PpTokenKind.Number && _lexer.TokenIs("0");
                if (_lexer.Kind == PpTokenKind.Identifier && _lexer.TokenIs("__has_include"))
                {
                    hasInclude = true;
                    if (readProbes)
                        HasInclude(IncludeKind.HasInclude, line);
                }
                else if (_lexer.Kind == PpTokenKind.Identifier && _lexer.TokenIs("__has_include_next"))
                {
                    hasInclude = true;
                    if (readProbes)
                        HasInclude(IncludeKind.HasIncludeNext, line);
                }
                else
                    tokens.Add(_lexer.ToToken());
            }
            if (readProbes)
                FindCalls(tokens, line, null, null);
            _readingCondition = false;
            branch = new ConditionalBranch(BranchKind.If, tokens, hasInclude);
            return zero && count == 1;
        }

        private void HasInclude(IncludeKind kind, int line)
        {
            if (_lexer.PeekAfterSpace() != '(')
                return; // e.g. "defined __has_include"
            _lexer.Next();
            int next = _lexer.PeekAfterSpace();
            if (next == '"' || next == '<')
            {
                AddSite(new IncludeSite(kind, line, _lexer.ReadHeaderName()));
                return;
            }
            var tokens = new List<PpToken>();
            int depth = 0;
            while (_lexer.Next() != PpTokenKind.Newline && _lexer.Kind != PpTokenKind.EndOfFile)
            {
                if (_lexer.Kind == PpTokenKind.Punctuator && _lexer.TokenIs("("))
                    depth++;
                else if (_lexer.Kind == PpTokenKind.Punctuator && _lexer.TokenIs(")") && depth-- == 0)
                    break;
                tokens.Add(_lexer.ToToken());
            }
            if (tokens.Count > 0)
                AddSite(new IncludeSite(kind, line, tokens));
        }

        private void Include(IncludeKind kind, int line)
        {
            int next = _lexer.PeekAfterSpace();
            if (next == '"' || next == '<')
            {
                HeaderName name = _lexer.ReadHeaderName();
                if (name.Text.Length > 0)
                    AddSite(new IncludeSite(kind, line, name));
                return;
            }
            var tokens = ReadLine();
            if (tokens.Count == 0)
                return; // an empty #include is an error: nothing opened
            // NVRTC evaluates a __has_include among the line's tokens, and opens what it finds, before it refuses
            // the line as no file name (measured, NVRTC 11.8): its operand, direct or through a wrapper macro, is a
            // probe of its own. Other calls' arguments are the computed include's own, which the site resolves.
            FindCalls(tokens, line, null, null, probeHeaderShapedArguments: false);
            AddSite(new IncludeSite(kind, line, tokens));
        }

        private void Define(int line)
        {
            if (_lexer.Next() != PpTokenKind.Identifier)
                return;
            string name = _lexer.TokenText;
            List<string>? parameters = null;
            bool variadic = false;
            if (_lexer.PeekRaw() == '(') // no space between name and '(' makes it function-like
            {
                _lexer.Next();
                parameters = new List<string>();
                bool named = false; // "args..." names the variadic parameter; a bare "..." is __VA_ARGS__
                while (_lexer.Next() != PpTokenKind.Newline && _lexer.Kind != PpTokenKind.EndOfFile && !_lexer.TokenIs(")"))
                {
                    if (_lexer.Kind == PpTokenKind.Identifier)
                    {
                        parameters.Add(_lexer.TokenText);
                        named = true;
                    }
                    else if (_lexer.TokenIs(","))
                        named = false;
                    else if (_lexer.TokenIs("."))
                    {
                        variadic = true;
                        if (!named)
                            parameters.Add("__VA_ARGS__");
                        named = true;
                    }
                }
            }
            List<PpToken> body = ReadLine();
            var definition = new MacroDefinition(name, parameters, variadic, body) { Guard = _conditions.Guard };
            _macros.Add(definition);
            _flow.Add(FlowDirective.Define(line, definition));
            _touched.Add(name);
            FindCalls(body, line, name, parameters);
        }

        /// <summary>
        /// Finds, in an #if line, a computed #include line or a #define body, the calls that may probe a header: __has_include itself
        /// (outside #if lines, whose own __has_include operands are read raw), wrappers of it and calls
        /// that forward a parameter. In an #if line a call with an argument shaped like a header name is
        /// probed outright, whatever the callee: it may wrap __has_include in a header the scan cannot see.
        /// </summary>
        private void FindCalls(List<PpToken> tokens, int line, string? macro, List<string>? parameters, bool probeHeaderShapedArguments = true)
        {
            if (parameters != null)
            {
                tokens = tokens.ConvertAll(token => token.Kind == PpTokenKind.Identifier && parameters.Contains(token.Text)
                    ? new PpToken(PpTokenKind.MacroParameter, token.Text, token.SpaceBefore) : token);
            }
            for (int i = 0; i + 1 < tokens.Count; i++)
            {
                PpToken callee = tokens[i];
                if (callee.Kind != PpTokenKind.Identifier || tokens[i + 1].Text != "(" || callee.Text == "defined")
                    continue;
                List<List<PpToken>>? arguments = SplitArguments(tokens, i + 1);
                if (arguments == null)
                    continue;
                bool direct = callee.Text == "__has_include" || callee.Text == "__has_include_next";
                IncludeKind kind = callee.Text == "__has_include_next" ? IncludeKind.HasIncludeNext : IncludeKind.HasInclude;
                for (int index = 0; index < arguments.Count; index++)
                {
                    List<PpToken> argument = arguments[index];
                    int parameter = argument.Count == 1 && argument[0].Kind == PpTokenKind.MacroParameter ? parameters!.IndexOf(argument[0].Text) : -1;
                    if (direct)
                    {
                        if (parameter >= 0)
                            _wrappers.Add(new HasIncludeWrapper(macro!, parameter, kind));
                        else if (argument.Count > 0)
                            AddSite(new IncludeSite(kind, line, argument));
                        break;
                    }
                    if (parameter >= 0)
                        _forwards.Add(new MacroForward(macro!, parameter, callee.Text, index));
                    else if (IsHeaderShaped(argument) || (macro == null && argument.Count == 1 && argument[0].Kind == PpTokenKind.Identifier))
                    {
                        _calls.Add(new MacroCall(callee.Text, index, argument, line));
                        if (macro == null && probeHeaderShapedArguments && IsHeaderShaped(argument))
                            AddSite(new IncludeSite(IncludeKind.HasInclude, line, argument));
                    }
                }
            }
        }

        /// <summary>The arguments of the call whose '(' is at <paramref name="open"/>; null when unbalanced.</summary>
        private static List<List<PpToken>>? SplitArguments(List<PpToken> tokens, int open)
        {
            var arguments = new List<List<PpToken>> { new List<PpToken>() };
            int depth = 0;
            for (int i = open + 1; i < tokens.Count; i++)
            {
                string text = tokens[i].Kind == PpTokenKind.Punctuator ? tokens[i].Text : "";
                if (text == ")" && depth == 0)
                    return arguments;
                if (text == "(")
                    depth++;
                else if (text == ")")
                    depth--;
                else if (text == "," && depth == 0)
                {
                    arguments.Add(new List<PpToken>());
                    continue;
                }
                arguments[arguments.Count - 1].Add(tokens[i]);
            }
            return null;
        }

        // "name" or <...>: what only a header-name operand looks like.
        private static bool IsHeaderShaped(List<PpToken> argument) =>
            (argument.Count == 1 && argument[0].Kind == PpTokenKind.String && argument[0].Text.StartsWith("\"", System.StringComparison.Ordinal))
            || (argument.Count >= 2 && argument[0].Text == "<" && argument[argument.Count - 1].Text == ">");

        private List<PpToken> ReadLine()
        {
            var tokens = new List<PpToken>();
            while (_lexer.Next() != PpTokenKind.Newline && _lexer.Kind != PpTokenKind.EndOfFile)
                tokens.Add(_lexer.ToToken());
            return tokens;
        }

        private void SkipRestOfLine()
        {
            while (_lexer.Kind != PpTokenKind.Newline && _lexer.Kind != PpTokenKind.EndOfFile)
                _lexer.Next();
        }
    }
}
