using System.Collections.Generic;

namespace KernelBuild.Tasks.Dependencies
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
        private readonly PpLexer lexer;
        private readonly ConditionalStack conditions = new ConditionalStack();
        private readonly List<IncludeSite> sites = new List<IncludeSite>();
        private readonly List<MacroDefinition> macros = new List<MacroDefinition>();

        private DirectiveParser(PpLexer lexer) => this.lexer = lexer;

        public static ParsedFile Parse(byte[] bytes)
        {
            SplicedText text = SplicedText.Create(bytes);
            var parser = new DirectiveParser(new PpLexer(text, LexicalMode.Cpp14));
            parser.Run();
            List<IncludeSite> sites = parser.sites;
            List<MacroDefinition> macros = parser.macros;

            // Only a file that has "R\"" or an apostrophe after a letter or digit can lex differently in
            // another dialect; for those, add whatever directives the other dialects see.
            bool rawStringPossible = false, separatorPossible = false;
            for (int i = text.Start + 1; i < text.End; i++)
            {
                byte c = text.Bytes[i], before = text.Bytes[i - 1];
                if (c == '"' && before == 'R')
                    rawStringPossible = true;
                else if (c == '\'' && (IsAlphanumeric(before) || before == '_'))
                    separatorPossible = true;
            }
            if (separatorPossible)
                Merge(text, LexicalMode.Cpp11, sites, macros);
            if (rawStringPossible)
                Merge(text, LexicalMode.Cpp03, sites, macros);
            return new ParsedFile(Sha256Hex.Of(bytes), sites, macros);
        }

        private static void Merge(SplicedText text, LexicalMode mode, List<IncludeSite> sites, List<MacroDefinition> macros)
        {
            var other = new DirectiveParser(new PpLexer(text, mode));
            other.Run();
            var known = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (IncludeSite site in sites)
                known.Add(site.Key);
            foreach (IncludeSite site in other.sites)
            {
                if (known.Add(site.Key))
                    sites.Add(site);
            }
            foreach (MacroDefinition definition in other.macros)
            {
                if (!macros.Exists(m => m.SameAs(definition)))
                    macros.Add(definition);
            }
        }

        private static bool IsAlphanumeric(byte c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

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
                PpTokenKind kind = lexer.Next();
                if (kind == PpTokenKind.EndOfFile)
                    return;
                if (kind == PpTokenKind.Newline)
                {
                    lineStart = true;
                    continue;
                }
                if (lexer.TokenIsHash && (lineStart || lexer.CommentNewline))
                {
                    int line = lexer.PhysicalLine;
                    lexer.InDirective = true;
                    Directive(line);
                    SkipRestOfLine();
                    lexer.InDirective = false;
                    lexer.ConsumeNewline();
                    lineStart = true;
                    continue;
                }
                lineStart = false;
            }
        }

        private void Directive(int line)
        {
            if (lexer.Next() != PpTokenKind.Identifier)
                return; // null directive, or a line marker "# 12 "file""
            string name = lexer.TokenText;
            switch (name)
            {
                case "if":
                    conditions.If(Condition(line, readProbes: !conditions.Skipping));
                    return;
                case "ifdef":
                case "ifndef":
                    conditions.If(false);
                    return;
                case "elif":
                    conditions.Elif(Condition(line, readProbes: conditions.InnermostIsLive));
                    return;
                case "elifdef":
                case "elifndef":
                case "else":
                    conditions.Else();
                    return;
                case "endif":
                    conditions.EndIf();
                    return;
            }
            if (conditions.Skipping)
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
                    Define();
                    return;
            }
        }

        /// <summary>Reads an #if/#elif condition; records its __has_include probes when NVRTC may evaluate
        /// it; returns whether it is the literal 0.</summary>
        private bool Condition(int line, bool readProbes)
        {
            int count = 0;
            bool zero = false;
            while (lexer.Next() != PpTokenKind.Newline && lexer.Kind != PpTokenKind.EndOfFile)
            {
                count++;
                zero = count == 1 && lexer.Kind == PpTokenKind.Number && lexer.TokenIs("0");
                if (readProbes && lexer.Kind == PpTokenKind.Identifier)
                {
                    if (lexer.TokenIs("__has_include"))
                        HasInclude(IncludeKind.HasInclude, line);
                    else if (lexer.TokenIs("__has_include_next"))
                        HasInclude(IncludeKind.HasIncludeNext, line);
                }
            }
            return zero && count == 1;
        }

        private void HasInclude(IncludeKind kind, int line)
        {
            if (lexer.PeekAfterSpace() != '(')
                return; // e.g. "defined __has_include"
            lexer.Next();
            int next = lexer.PeekAfterSpace();
            if (next == '"' || next == '<')
            {
                sites.Add(new IncludeSite(kind, line, lexer.ReadHeaderName()));
                return;
            }
            var tokens = new List<PpToken>();
            int depth = 0;
            while (lexer.Next() != PpTokenKind.Newline && lexer.Kind != PpTokenKind.EndOfFile)
            {
                if (lexer.Kind == PpTokenKind.Punctuator && lexer.TokenIs("("))
                    depth++;
                else if (lexer.Kind == PpTokenKind.Punctuator && lexer.TokenIs(")") && depth-- == 0)
                    break;
                tokens.Add(lexer.ToToken());
            }
            if (tokens.Count > 0)
                sites.Add(new IncludeSite(kind, line, tokens));
        }

        private void Include(IncludeKind kind, int line)
        {
            int next = lexer.PeekAfterSpace();
            if (next == '"' || next == '<')
            {
                HeaderName name = lexer.ReadHeaderName();
                if (name.Text.Length > 0)
                    sites.Add(new IncludeSite(kind, line, name));
                return;
            }
            var tokens = ReadLine();
            if (tokens.Count > 0)
                sites.Add(new IncludeSite(kind, line, tokens)); // an empty #include is an error: nothing opened
        }

        private void Define()
        {
            if (lexer.Next() != PpTokenKind.Identifier)
                return;
            string name = lexer.TokenText;
            bool functionLike = lexer.PeekRaw() == '('; // no space between name and '(' makes it function-like
            macros.Add(new MacroDefinition(name, functionLike, functionLike ? new PpToken[0] : ReadLine()));
        }

        private List<PpToken> ReadLine()
        {
            var tokens = new List<PpToken>();
            while (lexer.Next() != PpTokenKind.Newline && lexer.Kind != PpTokenKind.EndOfFile)
                tokens.Add(lexer.ToToken());
            return tokens;
        }

        private void SkipRestOfLine()
        {
            while (lexer.Kind != PpTokenKind.Newline && lexer.Kind != PpTokenKind.EndOfFile)
                lexer.Next();
        }
    }
}
