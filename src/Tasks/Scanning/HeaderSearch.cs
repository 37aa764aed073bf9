using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// The paths NVRTC tries for a header name, in its order (measured on NVRTC 11.8 with strace):
    /// <list type="number">
    /// <item>an absolute name is tried as is, and nowhere else;</item>
    /// <item>a quoted name is tried in the including file's directory (the program name's directory
    /// for the main source), unless -no-source-include is given;</item>
    /// <item>then each -I directory in order (angle names, and --pre-include files, start here).</item>
    /// </list>
    /// NVRTC's front end (EDG) also tries "name.stdh" right after "name" in each directory when the
    /// name's last component has no '.', the way it finds suffix-less standard headers: a stray
    /// "vector.stdh" on an -I path really is opened for <c>#include &lt;vector&gt;</c>.
    /// The process's current directory is never searched.
    /// </summary>
    internal static class HeaderSearch
    {
        public const string StandardHeaderSuffix = ".stdh";

        /// <param name="includerDirectory">Directory of the including file; null for --pre-include files.</param>
        public static IEnumerable<string> Candidates(HeaderName name, string? includerDirectory,
            IReadOnlyList<string> includeDirectories, bool noSourceInclude)
        {
            bool tryStdh = LastComponentHasNoDot(name.Text);
            if (PathResolver.IsAbsolute(name.Text))
            {
                yield return name.Text;
                if (tryStdh)
                    yield return name.Text + StandardHeaderSuffix;
                yield break;
            }
            if (!name.Angled && !noSourceInclude && includerDirectory != null)
            {
                string path = PathResolver.Combine(includerDirectory, name.Text);
                yield return path;
                if (tryStdh)
                    yield return path + StandardHeaderSuffix;
            }
            foreach (string directory in includeDirectories)
            {
                string path = PathResolver.Combine(directory, name.Text);
                yield return path;
                if (tryStdh)
                    yield return path + StandardHeaderSuffix;
            }
        }

        private static bool LastComponentHasNoDot(string name)
        {
            int start = name.LastIndexOfAny(new[] { '/', '\\' }) + 1;
            return name.IndexOf('.', start) < 0;
        }
    }
}
