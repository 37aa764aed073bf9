using System;
using System.Collections.Generic;

namespace KernelBuild.Tasks.Output
{
    /// <summary>
    /// Lists the <c>extern "C" __global__</c> functions a kernel's own file declares at namespace scope, by name, before it
    /// is compiled: the names the signature probe inside the compile asks the compiler about (<see cref="Compiler.SignatureSuffix"/>).
    /// A guess, never a source of types: a name declared in a header or through a macro is missed (that entry point gets
    /// the separate probe), and a name NVRTC does not see (an <c>#if 0</c> group) fails the compile at the probe's own
    /// line, which drops the name and compiles again. Comments, literals and directives are skipped; declarations inside
    /// a namespace, a class or a template are left out, because a plain <c>&amp;name</c> after the source could not name them.
    /// </summary>
    internal static class ExternCKernelFinder
    {
        private enum Scope { ExternC, Namespace, Other }

        public static List<string> Find(string source)
        {
            var names = new List<string>();
            var scopes = new Stack<Scope>();
            var declaration = new List<string>(); // tokens since the last ';', '{' or '}'
            List<string> tokens = Tokens(source);
            for (int i = 0; i < tokens.Count; i++)
            {
                string token = tokens[i];
                switch (token)
                {
                    case "{":
                        scopes.Push(ScopeOpenedBy(declaration));
                        declaration.Clear();
                        break;
                    case "}":
                        if (scopes.Count > 0) scopes.Pop();
                        declaration.Clear();
                        break;
                    case ";":
                        declaration.Clear();
                        break;
                    case "__global__":
                        string? name = AtNamespaceScope(scopes) ? KernelName(tokens, i + 1) : null;
                        bool externC = scopes.Contains(Scope.ExternC) || IsExternC(declaration);
                        if (name != null && externC && !declaration.Contains("template") && !names.Contains(name)) names.Add(name);
                        declaration.Add(token);
                        break;
                    default:
                        declaration.Add(token);
                        break;
                }
            }
            return names;
        }

        private static bool AtNamespaceScope(Stack<Scope> scopes)
        {
            foreach (Scope scope in scopes)
            {
                if (scope != Scope.ExternC) return false;
            }
            return true;
        }

        private static Scope ScopeOpenedBy(List<string> declaration)
        {
            if (declaration.Count == 2 && declaration[0] == "extern" && declaration[1] == "\"C\"") return Scope.ExternC;
            return declaration.Contains("namespace") ? Scope.Namespace : Scope.Other;
        }

        private static bool IsExternC(List<string> declaration)
        {
            int extern_ = declaration.IndexOf("extern");
            return extern_ >= 0 && extern_ + 1 < declaration.Count && declaration[extern_ + 1] == "\"C\"";
        }

        /// <summary>The identifier before the parameter list's '(' (skipping <c>__launch_bounds__(…)</c> and the like), or null.</summary>
        private static string? KernelName(List<string> tokens, int from)
        {
            for (int i = from; i + 1 < tokens.Count; i++)
            {
                string token = tokens[i];
                if (token == ";" || token == "{" || token == "}") return null;
                if (token.StartsWith("__", StringComparison.Ordinal) && tokens[i + 1] == "(")
                {
                    i = ClosingParenthesis(tokens, i + 1); // __launch_bounds__(256), __attribute__((…)), __declspec(…)
                    if (i < 0) return null;
                    continue;
                }
                if (tokens[i + 1] == "(") return IsIdentifier(token) ? token : null;
            }
            return null;
        }

        private static int ClosingParenthesis(List<string> tokens, int open)
        {
            int depth = 0;
            for (int i = open; i < tokens.Count; i++)
            {
                if (tokens[i] == "(") depth++;
                else if (tokens[i] == ")" && --depth == 0) return i;
            }
            return -1;
        }

        private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_');

        /// <summary>Identifiers, string literals (kept: <c>"C"</c> matters) and single punctuation characters.</summary>
        private static List<string> Tokens(string source)
        {
            var tokens = new List<string>();
            bool lineStart = true;
            for (int i = 0; i < source.Length;)
            {
                char c = source[i];
                if (c == '\n') { lineStart = true; i++; continue; }
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (c == '/' && At(source, i + 1) == '/') { i = EndOfLine(source, i); continue; }
                if (c == '/' && At(source, i + 1) == '*')
                {
                    int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? source.Length : end + 2;
                    continue;
                }
                if (c == '#' && lineStart) { i = EndOfLine(source, i); continue; } // a directive, with its continuations
                lineStart = false;
                if (c == '"' || c == '\'')
                {
                    int end = EndOfLiteral(source, i);
                    if (c == '"') tokens.Add(source.Substring(i, end - i));
                    i = end;
                    continue;
                }
                if (char.IsLetterOrDigit(c) || c == '_')
                {
                    int start = i;
                    while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_')) i++;
                    tokens.Add(source.Substring(start, i - start));
                    continue;
                }
                tokens.Add(c.ToString());
                i++;
            }
            return tokens;
        }

        private static char At(string source, int index) => index < source.Length ? source[index] : '\0';

        /// <summary>The end of the line, following backslash continuations.</summary>
        private static int EndOfLine(string source, int from)
        {
            int i = from;
            while (i < source.Length && source[i] != '\n')
            {
                if (source[i] == '\\' && At(source, i + 1) == '\n') i++;
                i++;
            }
            return i;
        }

        private static int EndOfLiteral(string source, int open)
        {
            char quote = source[open];
            int i = open + 1;
            while (i < source.Length && source[i] != quote && source[i] != '\n')
            {
                i += source[i] == '\\' ? 2 : 1;
            }
            return Math.Min(source.Length, i + 1);
        }
    }
}
