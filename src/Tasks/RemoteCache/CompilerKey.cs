using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Text;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>
    /// The compiler as every machine can name it: KernelBuild's own build (the task assembly's module version id,
    /// which a deterministic build derives from its content), NVRTC's version, and the contents of NVRTC's library
    /// files. The state's compiler identity cannot serve: it hashes paths, times and inodes, which differ per machine.
    /// </summary>
    internal static class CompilerKey
    {
        private static readonly string s_kernelBuildVersion = typeof(CompilerKey).Assembly.ManifestModule.ModuleVersionId.ToString("N");

        /// <summary>By the state's identity (paths, sizes, times): hashing ~60 MB of NVRTC once per process is enough.</summary>
        private static readonly ConcurrentDictionary<string, string> s_byIdentity = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Null when NVRTC's files are not known (loaded by name only): its bytes cannot be vouched for.</summary>
        public static string? Of(NvrtcLibrary library, IReadOnlyList<string> files, string identity)
        {
            if (files.Count == 0) return null;
            if (s_byIdentity.TryGetValue(identity, out string? known)) return known;
            var text = new StringBuilder();
            text.Append("kernelbuild ").Append(s_kernelBuildVersion).Append('\n');
            text.Append("nvrtc ").Append(library.Version).Append('\n');
            foreach (string file in files)
            {
                string? hash = ContentHash.OfFile(file);
                if (hash == null) return null;
                text.Append(Path.GetFileName(file)).Append('\t').Append(hash).Append('\n');
            }
            string key = ContentHash.Of(Encoding.UTF8.GetBytes(text.ToString()));
            s_byIdentity[identity] = key;
            return key;
        }
    }
}
