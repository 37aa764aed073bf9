using System.Collections.Generic;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>Everything that decides how one kernel is compiled: its effective (global + per-item) settings.</summary>
    internal sealed class KernelCompileSettings
    {
        /// <summary>Absolute path of the .cu file; also the NVRTC program name, so includes resolve beside it.</summary>
        public string SourcePath { get; set; } = "";
        /// <summary>Project-relative path with '/' separators: the kernel's identity in outputs, resources and manifest.</summary>
        public string RelativePath { get; set; } = "";
        public IReadOnlyList<TargetArchitecture> Architectures { get; set; } = new TargetArchitecture[0];
        /// <summary>Standard, include directories, defines and further options, parsed once; NVRTC's arguments and
        /// the include scan are both derived from it.</summary>
        public CudaOptions Options { get; set; } = CudaOptions.Empty;
        /// <summary>Whether the compile also reads the entry points' signatures (part of the fingerprint: turning it on rebuilds).</summary>
        public bool ReadSignatures { get; set; }
        /// <summary>
        /// Kernel template instantiations to compile, as C++ names (<c>scale&lt;float&gt;</c>), from the item's
        /// <c>Instantiations</c> metadata: each becomes an entry point (docs/launchers.md, templates).
        /// </summary>
        public IReadOnlyList<string> Instantiations { get; set; } = new string[0];
    }
}
