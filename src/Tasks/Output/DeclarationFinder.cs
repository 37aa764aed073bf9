using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Output
{
    /// <summary>Where a kernel is declared in its source, and the names it gives its parameters.</summary>
    internal sealed class FoundDeclaration
    {
        public int Line { get; set; }
        public string Text { get; set; } = "";
        public List<string> ParameterNames { get; } = new List<string>();
    }

    /// <summary>
    /// Finds a kernel's declaration in its source text, for what the compiler does not report: the line (for the XML
    /// doc and warnings) and the parameter names. Types never come from here; they come from the compiler. When the
    /// declaration is not in the kernel's own file (a header, a macro), there is no line and the parameters are
    /// named <c>arg0</c>, <c>arg1</c>, …
    /// </summary>
    internal static class DeclarationFinder
    {
        private static readonly Regex s_identifier = new Regex(@"[A-Za-z_]\w*", RegexOptions.CultureInvariant);
        private static readonly Regex s_whitespace = new Regex(@"\s+", RegexOptions.CultureInvariant);
        private static readonly HashSet<string> s_notNames = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "const", "volatile", "__restrict__", "restrict", "unsigned", "signed", "int", "char", "short", "long", "float",
            "double", "bool", "void", "struct", "class", "enum", "typename",
        };

        /// <summary>The declaration of <paramref name="name"/> (unqualified, without template arguments), or null.</summary>
        public static FoundDeclaration? Find(string source, string name, int parameterCount)
        {
            foreach ((int index, int open) in NameThenParenthesis(source, name))
            {
                int start = StartOfDeclaration(source, index);
                if (start < 0) continue;
                int close = ClosingParenthesis(source, open);
                if (close < 0) continue;
                var found = new FoundDeclaration
                {
                    Line = 1 + CountNewlines(source, index),
                    Text = s_whitespace.Replace(source.Substring(start, close + 1 - start), " ").Trim(),
                };
                List<string> names = ParameterNames(source.Substring(open + 1, close - open - 1));
                found.ParameterNames.AddRange(names.Count == parameterCount ? names : Enumerable.Range(0, parameterCount).Select(i => "arg" + i));
                return found;
            }
            return null;
        }

        /// <summary>
        /// Each place where <paramref name="name"/> stands as a whole word followed by optional white space and "(", as the
        /// name's index and the parenthesis's: what the pattern \bNAME\s*\( matches. Searched by hand, because a pattern
        /// built per kernel name is parsed and compiled again for every kernel (the Regex cache holds 15), and a full
        /// build spent its JIT's time on the Regex parser (docs/benchmarks.md, eighth round).
        /// </summary>
        internal static IEnumerable<(int Index, int Open)> NameThenParenthesis(string source, string name)
        {
            if (name.Length == 0) yield break;
            int from = 0;
            while (from <= source.Length - name.Length)
            {
                int index = source.IndexOf(name, from, System.StringComparison.Ordinal);
                if (index < 0) yield break;
                int open = index + name.Length;
                while (open < source.Length && char.IsWhiteSpace(source[open])) open++;
                bool wordBefore = index > 0 && IsWordCharacter(source[index - 1]);
                bool wordStart = wordBefore != IsWordCharacter(name[0]);
                if (wordStart && open < source.Length && source[open] == '(')
                {
                    yield return (index, open);
                    from = open + 1;
                }
                else
                {
                    from = index + 1;
                }
            }
        }

        /// <summary>A character of Regex's \w, which decides its \b: letters, nonspacing marks, decimal digits, connectors, and the zero-width joiners.</summary>
        private static bool IsWordCharacter(char c)
        {
            switch (char.GetUnicodeCategory(c))
            {
                case System.Globalization.UnicodeCategory.UppercaseLetter:
                case System.Globalization.UnicodeCategory.LowercaseLetter:
                case System.Globalization.UnicodeCategory.TitlecaseLetter:
                case System.Globalization.UnicodeCategory.ModifierLetter:
                case System.Globalization.UnicodeCategory.OtherLetter:
                case System.Globalization.UnicodeCategory.NonSpacingMark:
                case System.Globalization.UnicodeCategory.DecimalDigitNumber:
                case System.Globalization.UnicodeCategory.ConnectorPunctuation:
                    return true;
                default:
                    return c == '\u200C' || c == '\u200D';
            }
        }

        private static int CountNewlines(string source, int end)
        {
            int count = 0;
            for (int i = 0; i < end; i++)
            {
                if (source[i] == '\n') count++;
            }
            return count;
        }

        /// <summary>
        /// The start of the declaration (after the previous one, its comments and directives) when <c>__global__</c>
        /// comes before the name in the same declaration, else -1.
        /// </summary>
        private static int StartOfDeclaration(string source, int nameIndex)
        {
            int previousEnd = source.LastIndexOfAny(new[] { ';', '}', '{' }, System.Math.Max(0, nameIndex - 1));
            if (source.IndexOf("__global__", previousEnd + 1, nameIndex - previousEnd - 1, System.StringComparison.Ordinal) < 0) return -1;
            int start = previousEnd + 1;
            while (start < nameIndex)
            {
                if (char.IsWhiteSpace(source[start])) start++;
                else if (string.CompareOrdinal(source, start, "//", 0, 2) == 0 || source[start] == '#') start = EndOfLine(source, start);
                else if (string.CompareOrdinal(source, start, "/*", 0, 2) == 0) start = EndOfBlockComment(source, start);
                else break;
            }
            return start;
        }

        private static int EndOfLine(string source, int from)
        {
            int end = source.IndexOf('\n', from);
            return end < 0 ? source.Length : end + 1;
        }

        private static int EndOfBlockComment(string source, int from)
        {
            int end = source.IndexOf("*/", from + 2, System.StringComparison.Ordinal);
            return end < 0 ? source.Length : end + 2;
        }

        private static int ClosingParenthesis(string source, int open)
        {
            int depth = 0;
            for (int i = open; i < source.Length; i++)
            {
                if (source[i] == '(') depth++;
                else if (source[i] == ')' && --depth == 0) return i;
            }
            return -1;
        }

        private static List<string> ParameterNames(string list)
        {
            var names = new List<string>();
            if (list.Trim().Length == 0 || list.Trim() == "void") return names;
            foreach (string parameter in SplitTopLevel(list))
            {
                string withoutDefault = parameter.Split('=')[0];
                string? last = s_identifier.Matches(withoutDefault).Cast<Match>().Select(m => m.Value).LastOrDefault();
                string trimmed = withoutDefault.TrimEnd();
                // A name follows a type: it is not the only identifier, not a keyword, and not the end of a qualified type.
                bool named = last != null && !s_notNames.Contains(last) && trimmed.EndsWith(last, System.StringComparison.Ordinal)
                    && s_identifier.Matches(withoutDefault).Count > 1
                    && !trimmed.Substring(0, trimmed.Length - last.Length).TrimEnd().EndsWith("::", System.StringComparison.Ordinal);
                names.Add(named ? last! : "arg" + names.Count);
            }
            return names;
        }

        private static IEnumerable<string> SplitTopLevel(string list)
        {
            int depth = 0, start = 0;
            for (int i = 0; i < list.Length; i++)
            {
                char c = list[i];
                if (c == '<' || c == '(' || c == '[') depth++;
                else if (c == '>' || c == ')' || c == ']') depth--;
                else if (c == ',' && depth == 0)
                {
                    yield return list.Substring(start, i - start);
                    start = i + 1;
                }
            }
            yield return list.Substring(start);
        }
    }
}
