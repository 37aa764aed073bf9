using System;
using System.Linq;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Reads the files the kernels were last built from, for Visual Studio's fast up-to-date check. Runs in
    /// design-time builds, which must not change the build's state: it writes, deletes and reports nothing, and
    /// a missing or damaged state gives no files.
    /// </summary>
    public sealed class ReadCudaKernelDependencies : Task
    {
        /// <summary>The state file ($(_CudaKernelStateFile)).</summary>
        [Required] public string StateFile { get; set; } = "";

        /// <summary>Every file recorded in the state, in ordinal order.</summary>
        [Output] public ITaskItem[] Dependencies { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            BuildState? recorded = BuildStateFile.TryRead(System.IO.Path.GetFullPath(StateFile), out _);
            Dependencies = (recorded?.Files.Keys ?? Enumerable.Empty<string>()).OrderBy(p => p, StringComparer.Ordinal)
                .Select(TaskItems.ForPath).ToArray();
            return true;
        }
    }
}
