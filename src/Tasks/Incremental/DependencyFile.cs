using System.Collections.Generic;
using System.Text;

namespace KernelBuild.Tasks.Incremental
{
    /// <summary>
    /// Writes Make-syntax dependency files (<c>target: source dep …</c>), one dependency per continuation line,
    /// readable by GNU make and by ninja (<c>deps = gcc</c>). See docs/formats.md.
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
        /// Make's escaping, as GCC writes it: a space or '#' gets a backslash, and the backslashes right before it
        /// are doubled (so they stay literal); '$' becomes '$$'. Other backslashes are literal to both tools.
        /// </summary>
        public static string Escape(string path)
        {
            var text = new StringBuilder(path.Length + 8);
            int backslashes = 0;
            foreach (char c in path)
            {
                if (c == ' ' || c == '\t' || c == '#')
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
            // A trailing backslash would join the next line: double it.
            text.Append('\\', backslashes);
            return text.ToString();
        }
    }
}
