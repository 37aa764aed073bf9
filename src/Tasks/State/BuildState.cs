using System;
using System.Collections.Generic;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>A file a kernel was built from, as last seen: how it looked on disk, and its content hash.</summary>
    internal sealed class TrackedFile
    {
        public TrackedFile(string path, FileStamp stamp, string sha256)
        {
            Path = path;
            Stamp = stamp;
            Sha256 = sha256;
        }

        public string Path { get; }
        public FileStamp Stamp { get; set; }
        public string Sha256 { get; }
    }

    /// <summary>A file the build wrote for a kernel (image or .d file), or the manifest.</summary>
    internal sealed class OutputRecord
    {
        public string Architecture { get; set; } = "-";
        public OutputKind Kind { get; set; }
        /// <summary>Relative to the output folder, '/' separators.</summary>
        public string RelativePath { get; set; } = "";
        public FileStamp Stamp { get; set; }
        public string Sha256 { get; set; } = "";
    }

    /// <summary>What the last successful compile of one kernel used and produced.</summary>
    internal sealed class KernelRecord
    {
        public string RelativePath { get; set; } = "";
        /// <summary>Hash of the effective options, the compiler and KernelBuild itself: any change means recompile.</summary>
        public string Fingerprint { get; set; } = "";
        /// <summary>False when an include could not be resolved statically: then the kernel is always rebuilt.</summary>
        public bool Complete { get; set; } = true;
        public List<string> EntryPoints { get; } = new List<string>();
        /// <summary>NVRTC's warnings from the compile: repeated by every build that finds the kernel current, so that
        /// a warning does not vanish after one build (and -warnaserror fails every build, not only the first).</summary>
        public List<RecordedWarning> Warnings { get; } = new List<RecordedWarning>();
        public List<OutputRecord> Outputs { get; } = new List<OutputRecord>();
        /// <summary>Absolute paths of every file the compile read, the source first.</summary>
        public List<string> Dependencies { get; } = new List<string>();
        /// <summary>Paths probed by the include search that did not exist: if one appears, it may shadow a header.</summary>
        public List<string> AbsentProbes { get; } = new List<string>();
    }

    /// <summary>A compiler warning as logged: code, file (empty for none), line, text.</summary>
    internal sealed class RecordedWarning
    {
        public RecordedWarning(string code, string file, int line, string message)
        {
            Code = code;
            File = file;
            Line = line;
            Message = message;
        }

        public string Code { get; }
        public string File { get; }
        public int Line { get; }
        public string Message { get; }
    }

    /// <summary>The compiler that built the recorded kernels.</summary>
    internal sealed class CompilerRecord
    {
        /// <summary>Hash of the library files' paths, sizes, times and inodes: changes when NVRTC is upgraded or replaced.</summary>
        public string Identity { get; set; } = "";
        /// <summary>"NVRTC 11.8".</summary>
        public string Name { get; set; } = "";
        public List<int> SupportedArchitectures { get; } = new List<int>();
        /// <summary>The library, then its builtins libraries: what <see cref="Identity"/> describes.</summary>
        public List<string> Files { get; } = new List<string>();
    }

    /// <summary>Everything KernelBuild remembers between builds of one project (one file, see <see cref="BuildStateFile"/>).</summary>
    internal sealed class BuildState
    {
        public CompilerRecord? Compiler { get; set; }
        /// <summary>The manifest as last written (Kind "manifest"): a damaged one is rewritten, never embedded.</summary>
        public OutputRecord? Manifest { get; set; }
        /// <summary>
        /// The signature index as last written (Kind "signatureindex"); null when the launchers are off. Checked like
        /// the manifest: missing or edited means the compile target runs to write it again.
        /// </summary>
        public OutputRecord? SignatureIndex { get; set; }
        /// <summary>
        /// The kernel bundle as last written (Kind "bundle"); null when there are no kernels. Checked like the
        /// manifest: the C# compile embeds it, so one that is missing, edited, or replaced by another build of the
        /// project means the compile target runs to write it again.
        /// </summary>
        public OutputRecord? Bundle { get; set; }
        public Dictionary<string, TrackedFile> Files { get; } = new Dictionary<string, TrackedFile>(StringComparer.Ordinal);
        public Dictionary<string, KernelRecord> Kernels { get; } = new Dictionary<string, KernelRecord>(StringComparer.Ordinal);

        /// <summary>Drops file entries no kernel refers to any more.</summary>
        public void RemoveUnreferencedFiles()
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (KernelRecord kernel in Kernels.Values)
            {
                used.UnionWith(kernel.Dependencies);
            }
            var unused = new List<string>();
            foreach (string path in Files.Keys)
            {
                if (!used.Contains(path)) unused.Add(path);
            }
            foreach (string path in unused)
            {
                Files.Remove(path);
            }
        }
    }
}
