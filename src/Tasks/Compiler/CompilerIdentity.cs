using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using KernelBuild.Tasks.IO;

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

        /// <summary>This build of the task assembly: a new one may compile or decide differently.</summary>
        public static string TaskVersion => s_taskVersion;

        /// <summary>
        /// The files that make up the NVRTC at <paramref name="location"/>: the library, then its builtins
        /// libraries from the same folder. Null when NVRTC was not found as a file (it is then loaded by name and
        /// identified by version). Lists a folder, so the state remembers the answer (<see cref="CompilerRecord.Files"/>).
        /// </summary>
        public static List<string>? FilesOf(NvrtcLocation location)
        {
            if (!location.Found)
            {
                return null;
            }
            string library = Path.GetFullPath(location.Path!);
            var files = new List<string> { library };
            string? folder = Path.GetDirectoryName(library);
            if (folder != null && Directory.Exists(folder))
            {
                string pattern = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "nvrtc-builtins*.dll" : "libnvrtc-builtins*";
                files.AddRange(Directory.GetFiles(folder, pattern).OrderBy(p => p, StringComparer.Ordinal));
            }
            return files;
        }

        /// <summary>The identity of these files (from <see cref="FilesOf"/>), as they are on disk now; their stamps,
        /// in order, are added to <paramref name="stamps"/> when given.</summary>
        public static string Of(IReadOnlyList<string> files, List<FileStamp>? stamps = null)
        {
            var description = new StringBuilder();
            description.Append("kernelbuild ").Append(s_taskVersion).Append('\n');
            foreach (string file in files)
            {
                // stat() follows symbolic links: libnvrtc.so.11.2 -> libnvrtc.so.11.8.89 is described by the real file.
                FileStamp stamp = FileStamp.Of(file);
                stamps?.Add(stamp);
                description.Append(file).Append('\t').Append(stamp.Size).Append('\t').Append(stamp.ModifiedTicks).Append('\t').Append(stamp.Inode).Append('\n');
            }
            return FastHash.Of(description.ToString());
        }

        /// <summary>For NVRTC found only through the loader's search: its name and version stand for it.</summary>
        public static string OfLoaded(NvrtcLibrary library) =>
            FastHash.Of("kernelbuild " + s_taskVersion + "\nloaded " + library.Path + " " + library.Version);
    }
}
