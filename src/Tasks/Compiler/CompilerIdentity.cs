using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using KernelBuild.Tasks.Incremental;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// Says which compiler a build used without loading it: a hash of the NVRTC library file and its
    /// builtins library (which holds NVRTC's built-in headers) — their resolved paths, sizes, times and inodes.
    /// An upgrade, a downgrade or a different NvrtcPath gives a different identity, and every kernel is rebuilt.
    /// KernelBuild's own version is part of it too, since how we compile can change between our versions.
    /// </summary>
    internal static class CompilerIdentity
    {
        private static readonly string s_taskVersion = typeof(CompilerIdentity).Assembly.ManifestModule.ModuleVersionId.ToString("N");

        /// <summary>Null when NVRTC was not found as a file (it will then be loaded by name and identified by version).</summary>
        public static string? Of(NvrtcLocation location)
        {
            if (!location.Found)
            {
                return null;
            }
            string library = Path.GetFullPath(location.Path!);
            var description = new StringBuilder();
            description.Append("kernelbuild ").Append(s_taskVersion).Append('\n');
            Describe(library, description);

            string? folder = Path.GetDirectoryName(library);
            if (folder != null && Directory.Exists(folder))
            {
                string pattern = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "nvrtc-builtins*.dll" : "libnvrtc-builtins*";
                foreach (string builtins in Directory.GetFiles(folder, pattern).OrderBy(p => p, StringComparer.Ordinal))
                {
                    Describe(builtins, description);
                }
            }
            return FastHash.Of(description.ToString());
        }

        /// <summary>For NVRTC found only through the loader's search: its name and version stand for it.</summary>
        public static string OfLoaded(NvrtcLibrary library) =>
            FastHash.Of("kernelbuild " + s_taskVersion + "\nloaded " + library.Path + " " + library.Version);

        private static void Describe(string path, StringBuilder description)
        {
            // stat() follows symbolic links: libnvrtc.so.11.2 -> libnvrtc.so.11.8.89 is described by the real file.
            FileStamp stamp = FileStamp.Of(path);
            description.Append(path).Append('\t').Append(stamp.Size).Append('\t').Append(stamp.ModifiedTicks).Append('\t').Append(stamp.Inode).Append('\n');
        }
    }
}
