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
        /// <summary>A kernel source file does not exist (or is a dangling symbolic link) or cannot be read.</summary>
        public const string SourceUnreadable = "KB1005";
        /// <summary>Two kernels would write the same outputs.</summary>
        public const string DuplicateKernel = "KB1006";
        /// <summary>A kernel's Link metadata leaves the project (rooted, or ".." above it).</summary>
        public const string LinkOutsideProject = "KB1007";
        /// <summary>A source or header starts with a UTF-8 byte-order mark, which NVRTC 11.8 rejects.</summary>
        public const string ByteOrderMark = "KB1008";
        // KB1009 (packing a build whose kernels are beside the assembly) is the targets' own: KernelBuild.targets.
        /// <summary>A kernel's GenerateLauncher metadata is neither true nor false.</summary>
        public const string InvalidGenerateLauncher = "KB1010";
        /// <summary>Invalid options: NVRTC rejected them (the log says which), or the options parser did (CudaOptionsParser).</summary>
        public const string InvalidOptions = "KB2001";
        /// <summary>NVRTC failed without a diagnostic we could place.</summary>
        public const string CompileFailed = "KB2002";
        /// <summary>An NVRTC call failed (not a source error): NVRTC's own text for the result.</summary>
        public const string NvrtcFailed = "KB2003";
        /// <summary>KernelBuild failed on one kernel for a reason it did not foresee: a bug to report.</summary>
        public const string KernelFailedUnexpectedly = "KB2004";
        /// <summary>An #include that cannot be resolved statically: the kernel is rebuilt on every build.</summary>
        public const string UnresolvedInclude = "KB3001";
        /// <summary>An output or state file could not be written.</summary>
        public const string WriteFailed = "KB4001";
        /// <summary>A path that the dependency or state file cannot represent (a line break, say).</summary>
        public const string UnrepresentablePath = "KB4002";
        /// <summary>An entry point's signature could not be read from the compiler: it gets no typed launcher.</summary>
        public const string SignatureUnavailable = "KB5001";
        /// <summary>A template instantiation listed in the item's Instantiations metadata does not compile, or names no kernel.</summary>
        public const string InvalidInstantiation = "KB5002";
        /// <summary>Warning, once per build: the remote cache failed (down, slow, an error status, corrupt entries); kernels were compiled locally.</summary>
        public const string RemoteCacheFailed = "KB6001";
        /// <summary>A CudaRemoteCache* property is invalid.</summary>
        public const string InvalidRemoteCacheSettings = "KB6002";
    }
}
