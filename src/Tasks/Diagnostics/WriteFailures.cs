using System;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks.Diagnostics
{
    /// <summary>KB4001, as both tasks report a file they could not write or delete.</summary>
    internal static class WriteFailures
    {
        /// <param name="reason">The exception's text; AtomicFile's names the path and what stands in the way.</param>
        public static void Log(TaskLoggingHelper log, string path, string outputDirectory, Exception reason)
        {
            log.LogError(null, KbErrors.WriteFailed, null, path, 0, 0, 0, 0,
                "{0} KernelBuild keeps its outputs under {1}: it must be a writable folder on a disk with free space.",
                reason.Message, outputDirectory);
        }
    }
}
