using System;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Planning;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// MSBuild's logger as the tasks and the planner use it: every diagnostic has a KB code and a file, so that it
    /// prints as <c>file(line,column): error KBxxxx: text</c>. Messages are passed finished, never as format strings.
    /// </summary>
    internal sealed class TaskBuildLog : IBuildLog
    {
        private readonly TaskLoggingHelper _log;
        private readonly string _projectFile;

        /// <param name="projectFile">Where errors about the project's settings are located.</param>
        public TaskBuildLog(TaskLoggingHelper log, string projectFile)
        {
            _log = log;
            _projectFile = projectFile;
        }

        public bool HasLoggedErrors => _log.HasLoggedErrors;

        public void LogError(string code, string file, int line, string message) => LogError(code, file, line, 0, message);

        public void LogError(string code, string file, int line, int column, string message) =>
            _log.LogError(null, code, null, file, line, column, 0, 0, message);

        public void LogProjectError(string code, string message) => LogError(code, _projectFile, 0, message);

        public void LogWarning(string code, string file, int line, int column, string message) =>
            _log.LogWarning(null, code, null, file, line, column, 0, 0, message);

        /// <summary>KB4001, as both tasks report a file they could not write or delete.</summary>
        /// <param name="reason">The exception's text; AtomicFile's names the path and what stands in the way.</param>
        public void LogWriteFailure(string path, string outputDirectory, Exception reason) =>
            LogError(KbErrors.WriteFailed, path, 0, reason.Message + " KernelBuild keeps its outputs under " + outputDirectory
                + ": it must be a writable folder on a disk with free space.");

        /// <summary>A message with a code and a place (an NVRTC remark), at normal importance.</summary>
        public void LogMessage(string code, string file, int line, int column, string message) =>
            _log.LogMessage(null, code, null, file, line, column, 0, 0, MessageImportance.Normal, message);
    }
}
