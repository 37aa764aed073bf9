using System;
using System.Collections.Generic;
using System.Linq;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Planning
{
    /// <summary>The outcome of planning: every kernel with its staleness, the compiler, the previous state.</summary>
    internal sealed class BuildPlan
    {
        public List<KernelPlan> Kernels { get; } = new List<KernelPlan>();
        public BuildState? Previous { get; set; }
        public CompilerRecord? Compiler { get; set; }
        public NvrtcLocation? Location { get; set; }
        /// <summary>
        /// The stamps of the compiler's files (<see cref="CompilerRecord.Files"/>, in order) when they identified it
        /// as the recorded compiler; null when it was identified otherwise. The up-to-date record keeps them.
        /// </summary>
        public List<FileStamp>? CompilerFileStamps { get; set; }
        /// <summary>The state file's stamp, taken before it was read (missing when there was none).</summary>
        public FileStamp StateStamp { get; set; }
        /// <summary>Loaded while planning when the compiler had to be identified by loading it.</summary>
        public NvrtcLibrary? Library { get; set; }
        /// <summary>Kernels in the previous state that are no longer in the project.</summary>
        public List<KernelRecord> Removed { get; } = new List<KernelRecord>();
        public bool StateNeedsWrite { get; set; }
        /// <summary>Recorded stamps of files that were touched but not changed were refreshed: worth saving, but
        /// no reason to run the compile target.</summary>
        public bool StampsRefreshed { get; set; }
        /// <summary>The check that decided staleness; it knows which recorded files it found.</summary>
        public StalenessChecker? Checker { get; set; }
        public bool AnyStale => Kernels.Any(k => k.IsStale) || Removed.Count > 0;
        /// <summary>
        /// Kernels whose source does not exist (KB1005). Left out of the plan rather than failing it: the compile
        /// task reports each one and still compiles the others.
        /// </summary>
        public List<UnreadableKernel> Unreadable { get; } = new List<UnreadableKernel>();
        /// <summary>Where planning spent its time, for the check's diagnostic-verbosity timing line.</summary>
        public PlanTimings Timings { get; } = new PlanTimings();
    }

    /// <summary>Wall-clock time of each planning step.</summary>
    internal sealed class PlanTimings
    {
        public TimeSpan StateRead { get; set; }
        public TimeSpan Compiler { get; set; }
        public TimeSpan Settings { get; set; }
        public TimeSpan Staleness { get; set; }
    }

    /// <summary>A CudaKernel item whose file is missing or a dangling symbolic link; the message says which and what to do.</summary>
    internal sealed class UnreadableKernel
    {
        public UnreadableKernel(string source, string message)
        {
            Source = source;
            Message = message;
        }

        public string Source { get; }
        public string Message { get; }
    }
}
