namespace KernelBuild.Tasks.Diagnostics
{
    /// <summary>
    /// KernelBuild's own diagnostic codes. Each message says what is wrong and what to do.
    /// Documented in docs/diagnostics.md; keep the two in step.
    /// </summary>
    internal static class KbErrors
    {
        /// <summary>NVRTC was not found or could not be loaded.</summary>
        public const string NvrtcNotFound = "KB1001";
        /// <summary>An entry of CudaArchitectures / Architectures is not compute_XX or sm_XX.</summary>
        public const string InvalidArchitecture = "KB1002";
        /// <summary>An architecture the found NVRTC does not support.</summary>
        public const string UnsupportedArchitecture = "KB1003";
        /// <summary>CudaLanguageStandard is not one NVRTC knows.</summary>
        public const string InvalidLanguageStandard = "KB1004";
        /// <summary>A kernel source file does not exist or cannot be read.</summary>
        public const string SourceUnreadable = "KB1005";
        /// <summary>Two kernels would write the same outputs.</summary>
        public const string DuplicateKernel = "KB1006";
        /// <summary>NVRTC rejected the options (the log says which).</summary>
        public const string InvalidOptions = "KB2001";
        /// <summary>NVRTC failed without a diagnostic we could place.</summary>
        public const string CompileFailed = "KB2002";
        /// <summary>An #include that cannot be resolved statically: the kernel is rebuilt on every build.</summary>
        public const string UnresolvedInclude = "KB3001";
        /// <summary>An output or state file could not be written.</summary>
        public const string WriteFailed = "KB4001";
        /// <summary>A path that the dependency or state file cannot represent (a line break, say).</summary>
        public const string UnrepresentablePath = "KB4002";
    }
}
