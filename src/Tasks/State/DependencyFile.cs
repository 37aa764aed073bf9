using System;
using System.Collections.Generic;
using System.Text;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Writes and reads Make-syntax dependency files (<c>target: source dep …</c>), one dependency per continuation
    /// line, readable by GNU make and by ninja (<c>deps = gcc</c>). See docs/formats.md for which paths they can hold.
    /// </summary>
    internal static class DependencyFile
    {
        public static string Format(string target, IEnumerable<string> dependencies)
        {
            var text = new StringBuilder();
            text.Append(Escape(target)).Append(':');
            foreach (string dependency in dependencies)
            {
                text.Append(" \\\n  ").Append(Escape(dependency));
            }
            text.Append('\n');
            return text.ToString();
        }

        /// <summary>
        /// Why <paramref name="path"/> cannot be written to a dependency file, or null when it can. Make has no escape
        /// for a line break or NUL (they end the rule); it drops spaces at the end of a line and before a line
        /// continuation even when escaped; it reads an escaped tab in a prerequisite but not in a target, and ninja in
        /// neither; and no escape of a backslash at the end of a name is read alike by make and ninja (make halves a
        /// run of backslashes only before a blank, ninja never does).
        /// </summary>
        public static string? Unrepresentable(string path)
        {
            if (path.Length == 0) return "it is empty";
            if (path.IndexOfAny(s_unwritable) >= 0) return "it contains a line break, tab or NUL character";
            switch (path[path.Length - 1])
            {
                case '\\': return "it ends with a backslash";
                case ' ': return "it ends with a space";
                default: return null;
            }
        }

        private static readonly char[] s_unwritable = { '\n', '\r', '\t', '\0' };

        /// <summary>
        /// Make's escaping, as GCC writes it: a space, '#' or ':' gets a backslash, and the backslashes right
        /// before it are doubled (so they stay literal); '$' becomes '$$'. Other backslashes are literal to both tools.
        /// </summary>
        /// <exception cref="UnrepresentablePathException">The path cannot be represented (<see cref="Unrepresentable"/>).</exception>
        public static string Escape(string path)
        {
            string? problem = Unrepresentable(path);
            if (problem != null)
                throw new UnrepresentablePathException("The path " + UnrepresentablePathException.Quote(path) + " cannot be written to a Make dependency file: " + problem + ".");

            var text = new StringBuilder(path.Length + 8);
            int backslashes = 0;
            foreach (char c in path)
            {
                if (IsEscaped(c))
                {
                    text.Append('\\', backslashes + 1);
                    text.Append(c);
                    backslashes = 0;
                    continue;
                }
                backslashes = c == '\\' ? backslashes + 1 : 0;
                if (c == '$')
                {
                    text.Append("$$");
                }
                else
                {
                    text.Append(c);
                }
            }
            return text.ToString();
        }

        // Blanks end a name, '#' starts a comment, ':' ends the targets; a backslash before each makes it literal.
        // (A tab is never written, but make reads an escaped one like an escaped space, and so does Parse.)
        private static bool IsEscaped(char c) => c == ' ' || c == '\t' || c == '#' || c == ':';

        /// <summary>
        /// Reads the first rule of a dependency file the way GNU make reads it: backslash-newline joins lines, an
        /// odd run of backslashes before a blank, '#' or ':' quotes it (and the run is halved), '$$' is '$', an
        /// unquoted '#' starts a comment. Only what <see cref="Format"/> writes is accepted: one target, no
        /// variables, no second rule.
        /// </summary>
        /// <exception cref="FormatException">The text is not such a file.</exception>
        public static DependencyRule Parse(string text)
        {
            var words = new List<string>();
            string? target = null;
            var word = new StringBuilder();
            bool inWord = false;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '\\')
                {
                    int run = CountBackslashes(text, i);
                    i += run;
                    char next = i < text.Length ? text[i] : '\0';
                    if (next == '\n' && run % 2 == 1)
                    {
                        // A continuation: the line break is a blank between names.
                        word.Append('\\', run - 1);
                        EndWord(words, word, ref inWord);
                        i++;
                        continue;
                    }
                    if (IsEscaped(next) && i < text.Length)
                    {
                        word.Append('\\', run / 2);
                        inWord = true;
                        if (run % 2 == 1)
                        {
                            word.Append(next);
                            i++;
                        }
                        continue;
                    }
                    word.Append('\\', run);
                    inWord = true;
                    continue;
                }

                i++;
                if (c == ' ' || c == '\t')
                {
                    EndWord(words, word, ref inWord);
                }
                else if (c == '$')
                {
                    if (i >= text.Length || text[i] != '$')
                        throw new FormatException("A '$' that is not '$$' (a Make variable) at offset " + (i - 1) + ".");
                    word.Append('$');
                    inWord = true;
                    i++;
                }
                else if (c == ':')
                {
                    EndWord(words, word, ref inWord);
                    if (target != null)
                        throw new FormatException("A second unquoted ':' at offset " + (i - 1) + ".");
                    if (words.Count != 1)
                        throw new FormatException("Expected exactly one target before ':', found " + words.Count + ".");
                    target = words[0];
                    words.Clear();
                }
                else if (c == '#' || c == '\n')
                {
                    EndWord(words, word, ref inWord);
                    int lineEnd = c == '\n' ? i - 1 : text.IndexOf('\n', i);
                    RequireOnlyBlankLines(text, lineEnd < 0 ? text.Length : lineEnd + 1);
                    break;
                }
                else
                {
                    word.Append(c);
                    inWord = true;
                }
            }
            EndWord(words, word, ref inWord);
            if (target == null)
                throw new FormatException("No rule (no unquoted ':').");
            return new DependencyRule(target, words);
        }

        private static int CountBackslashes(string text, int start)
        {
            int end = start;
            while (end < text.Length && text[end] == '\\') end++;
            return end - start;
        }

        private static void EndWord(List<string> words, StringBuilder word, ref bool inWord)
        {
            if (inWord) words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }

        private static void RequireOnlyBlankLines(string text, int start)
        {
            for (int i = start; i < text.Length; i++)
            {
                if (!char.IsWhiteSpace(text[i]))
                    throw new FormatException("Text after the rule at offset " + i + ": only one rule is expected.");
            }
        }
    }

    /// <summary>One rule of a dependency file: the target and what it depends on, in file order.</summary>
    internal sealed class DependencyRule
    {
        public DependencyRule(string target, IReadOnlyList<string> dependencies)
        {
            Target = target;
            Dependencies = dependencies;
        }

        public string Target { get; }
        public IReadOnlyList<string> Dependencies { get; }
    }
}
