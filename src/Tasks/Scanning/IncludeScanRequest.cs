using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>What NVRTC is asked to compile, as far as it decides which files NVRTC opens.</summary>
    public sealed class IncludeScanRequest
    {
        /// <summary>Absolute path of the .cu file; it is also the program name given to nvrtcCreateProgram,
        /// whose directory NVRTC searches first for quoted includes of the main source.</summary>
        public string SourcePath { get; set; }

        /// <summary>The -I directories, absolute, in command-line order.</summary>
        public IReadOnlyList<string> IncludeDirectories { get; set; } = new string[0];

        /// <summary>The -D and -U options in command-line order: NAME and value for -D (value "1" when the option
        /// had none), NAME and null for -U, which cancels the -D options of NAME before it.</summary>
        public IReadOnlyList<KeyValuePair<string, string?>> Defines { get; set; } = new KeyValuePair<string, string?>[0];

        /// <summary>Files given with --pre-include / -include, best absolute (the build makes them so, see
        /// CudaOptionsParser); a relative name is looked for on the -I directories only.</summary>
        public IReadOnlyList<string> PreIncludes { get; set; } = new string[0];

        /// <summary>The -no-source-include option: neither the source's nor an including header's
        /// directory is searched for quoted includes.</summary>
        public bool NoSourceInclude { get; set; }

        /// <summary>The -std value (c++03, c++11, c++14, c++17); empty for NVRTC's default, null when not known. It
        /// sets __cplusplus, which the scan uses to decide conditions.</summary>
        public string? LanguageStandard { get; set; } = "";

        /// <summary>The architecture numbers the kernel is compiled for (52 for compute_52 and sm_52), one compile
        /// each: __CUDA_ARCH__ is known when they agree. Empty: unknown.</summary>
        public IReadOnlyList<int> Architectures { get; set; } = new int[0];

        /// <summary>The NVRTC version that compiles, when known: it sets __CUDACC_VER_MAJOR__/MINOR__ and the
        /// default -std.</summary>
        public System.Version? NvrtcVersion { get; set; }

        /// <summary>Skips the flow-sensitive walk and runs the order-independent scan alone (tests compare the two).</summary>
        internal bool OrderIndependentOnly { get; set; }
    }
}
