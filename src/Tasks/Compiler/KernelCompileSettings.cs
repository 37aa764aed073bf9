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
        /// <summary>Absolute include directories, in search order.</summary>
        public IReadOnlyList<string> IncludeDirectories { get; set; } = new string[0];
        /// <summary>NAME or NAME=VALUE.</summary>
        public IReadOnlyList<string> DefineConstants { get; set; } = new string[0];
        /// <summary>e.g. c++17; empty for NVRTC's default.</summary>
        public string LanguageStandard { get; set; } = "";
        /// <summary>Further NVRTC options, already split into arguments, relative paths made absolute.</summary>
        public IReadOnlyList<string> AdditionalOptions { get; set; } = new string[0];
    }
}
