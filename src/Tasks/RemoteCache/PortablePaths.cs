using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>
    /// Paths as two checkouts of one project in different folders share them: below the project folder
    /// <c>&lt;project&gt;/kernels/a.cuh</c>, below the kernel's n-th include folder outside it <c>&lt;include:n&gt;/x.h</c>,
    /// anything else absolute. A cache entry keyed by such paths (and the files' contents) hits in every checkout
    /// with the same layout, whatever folder it sits in.
    /// </summary>
    internal sealed class PortablePaths
    {
        private const string ProjectToken = "<project>";
        private readonly List<KeyValuePair<string, string>> _roots; // (token, absolute folder ending in a separator), longest first

        public PortablePaths(string projectDirectory, IEnumerable<string> includeDirectories)
        {
            var roots = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>(ProjectToken, AsFolder(projectDirectory)) };
            int index = 0;
            foreach (string directory in includeDirectories)
            {
                roots.Add(new KeyValuePair<string, string>("<include:" + index++ + ">", AsFolder(directory)));
            }
            // Longest first: a header in an include folder inside the project is named the same way in every checkout
            // either way, but a project inside an include folder must not be named through that folder.
            _roots = roots.OrderByDescending(r => r.Value.Length).ToList();
        }

        /// <summary>The absolute folders that stand behind the tokens: an output that names one is specific to this checkout.</summary>
        public IEnumerable<string> AbsoluteRoots => _roots.Select(r => r.Value.TrimEnd(Path.DirectorySeparatorChar));

        public string ToPortable(string path)
        {
            foreach (KeyValuePair<string, string> root in _roots)
            {
                if (path.StartsWith(root.Value, StringComparison.Ordinal))
                {
                    return root.Key + "/" + path.Substring(root.Value.Length).Replace(Path.DirectorySeparatorChar, '/');
                }
                if (path + Path.DirectorySeparatorChar == root.Value) return root.Key + "/";
            }
            return path;
        }

        /// <summary>The path in this checkout; null for a token this kernel's options do not have (a corrupt entry).</summary>
        public string? ToLocal(string portable)
        {
            if (!portable.StartsWith("<", StringComparison.Ordinal)) return portable;
            int end = portable.IndexOf(">/", StringComparison.Ordinal);
            if (end < 0) return null;
            string token = portable.Substring(0, end + 1);
            foreach (KeyValuePair<string, string> root in _roots)
            {
                if (root.Key == token) return root.Value + portable.Substring(end + 2).Replace('/', Path.DirectorySeparatorChar);
            }
            return null;
        }

        /// <summary>An option with the roots' absolute paths replaced by their tokens (<c>-I&lt;project&gt;/include</c>).</summary>
        public string ToPortableOption(string option)
        {
            foreach (KeyValuePair<string, string> root in _roots)
            {
                option = option.Replace(root.Value, root.Key + "/");
                string bare = root.Value.TrimEnd(Path.DirectorySeparatorChar);
                if (option.EndsWith(bare, StringComparison.Ordinal)) option = option.Substring(0, option.Length - bare.Length) + root.Key;
            }
            return option;
        }

        private static string AsFolder(string directory) =>
            Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
    }
}
