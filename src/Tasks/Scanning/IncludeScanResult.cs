using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>Every file NVRTC may open for one kernel, plus what could make that set change.</summary>
    public sealed class IncludeScanResult
    {
        public IncludeScanResult(IReadOnlyList<ScannedFile> files, IReadOnlyList<string> absentProbes,
            IReadOnlyList<ScanDiagnostic> warnings, bool complete)
        {
            Files = files;
            AbsentProbes = absentProbes;
            Warnings = warnings;
            Complete = complete;
        }

        /// <summary>The source first, then every header, each path once. A superset of what NVRTC opens:
        /// all conditional branches are followed except literal <c>#if 0</c> groups. A header reached
        /// through a symbolic link is listed both as the link path and as the link's final target.</summary>
        public IReadOnlyList<ScannedFile> Files { get; }

        /// <summary>Paths probed that held no file: creating a file at any of them could change what
        /// NVRTC opens (a header that would shadow a later search directory), so it is a reason to rebuild.
        /// Test them with <see cref="IncludeScanner.AbsentProbeNowExists"/> (a probe may name a missing
        /// directory that a ".." has to pass through).</summary>
        public IReadOnlyList<string> AbsentProbes { get; }

        /// <summary>Directives the scanner could not resolve statically.</summary>
        public IReadOnlyList<ScanDiagnostic> Warnings { get; }

        /// <summary>False when some directive could not be resolved: <see cref="Files"/> may then miss a
        /// file, and the caller must rebuild the kernel every time.</summary>
        public bool Complete { get; }

        /// <summary>For tests and measurements: why the flow-sensitive walk gave way to the order-independent scan
        /// ("switched off" when it was not tried); null when the walk made this result.</summary>
        internal string? FlowFallback { get; set; }
    }
}
