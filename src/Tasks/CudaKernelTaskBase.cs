using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// The parameters the check and the compile tasks share, and their adaptation to the planner
    /// (<see cref="KernelPlanner"/>), which does the work.
    /// </summary>
    public abstract class CudaKernelTaskBase : Task
    {
        private TaskBuildLog? _buildLog;

        /// <summary>The CudaKernel items. Metadata: Architectures, IncludeDirectories, DefineConstants,
        /// LanguageStandard, AdditionalOptions (defaults come from the Cuda* properties), Link.</summary>
        [Required] public ITaskItem[] Kernels { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The project folder: kernels' identities are their paths relative to it.</summary>
        [Required] public string ProjectDirectory { get; set; } = "";

        /// <summary>Where outputs, .d files and the state go ($(CudaKernelOutputPath)).</summary>
        [Required] public string OutputPath { get; set; } = "";

        /// <summary>The state file; <c>KernelBuild.state</c> in <see cref="OutputPath"/> when not given.</summary>
        public string? StateFile { get; set; }

        /// <summary>The NVRTC library file or folder; empty to search (see docs).</summary>
        public string? NvrtcPath { get; set; }

        /// <summary>
        /// $(CudaGenerateLaunchers): read each entry point's signature when compiling, for the typed launchers, in the
        /// kernels whose items do not set <c>GenerateLauncher</c> metadata.
        /// </summary>
        public bool ReadSignatures { get; set; } = true;

        private bool? _signatureIndexWanted;

        /// <summary>
        /// Whether the build keeps a signature index: some kernel gets a typed launcher, by the project's default or by
        /// its own item. Read from the items, so that the up-to-date record's answer, which makes no plan, agrees
        /// with the compile's; an invalid value counts as no launcher, as planning leaves that kernel out (KB1010).
        /// </summary>
        internal bool SignatureIndexWanted => _signatureIndexWanted ??= Kernels.Any(kernel =>
        {
            Planning.KernelSettingsReader.TryReadGenerateLauncher(kernel.GetMetadata(Planning.KernelSettingsReader.GenerateLauncherMetadata), ReadSignatures, out bool generate);
            return generate;
        });

        /// <summary>The signature index, the launcher generator's input; <c>KernelBuild.signatures</c> in <see cref="OutputPath"/> when not given.</summary>
        public string? SignatureIndexFile { get; set; }

        internal string SignatureIndexPath => PathOrDefault(SignatureIndexFile, Output.KernelSignatureFile.IndexFileName);

        /// <summary>
        /// A file's path as the state records it: relative to the output folder when inside it (always, with our
        /// targets), else absolute; either combines with the output folder into the file's path.
        /// </summary>
        internal string RelativeToOutput(string path)
        {
            string root = OutputDirectory.TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
            return path.StartsWith(root, StringComparison.Ordinal) ? path.Substring(root.Length).Replace('\\', '/') : path;
        }

        /// <summary>The project file ($(MSBuildProjectFullPath)): where errors about the project's settings are reported.</summary>
        public string? ProjectFile { get; set; }

        /// <summary>The project, else the file that invoked the task (our own targets file, which helps nobody).</summary>
        internal string ProjectFileForDiagnostics => string.IsNullOrEmpty(ProjectFile) ? BuildEngine.ProjectFileOfTaskNode : ProjectFile!;

        /// <summary>The log every diagnostic of these tasks goes through.</summary>
        internal TaskBuildLog BuildLog => _buildLog ??= new TaskBuildLog(Log, ProjectFileForDiagnostics);

        /// <summary>An error about the project's settings, located on the project file (docs/diagnostics.md).</summary>
        internal void LogProjectError(string code, string message) => BuildLog.LogProjectError(code, message);

        /// <summary>Runs a write or delete of <paramref name="path"/>; logs KB4001 and returns false when it fails.</summary>
        internal bool TryWrite(string path, Action write)
        {
            try
            {
                write();
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                BuildLog.LogWriteFailure(path, OutputDirectory, e);
                return false;
            }
        }

        private string? _outputDirectory;

        /// <summary>Absolute. Made once: it is combined with every output's path (1 500 at 500 kernels), and the
        /// parameters are set before the task runs.</summary>
        internal string OutputDirectory => _outputDirectory ??= Path.GetFullPath(Path.Combine(ProjectDirectory, OutputPath));

        internal string StatePath => PathOrDefault(StateFile, BuildStateFile.FileName);

        /// <summary>The file the targets named, made absolute; else <paramref name="defaultName"/> in the output folder.</summary>
        internal string PathOrDefault(string? file, string defaultName) =>
            string.IsNullOrEmpty(file)
                ? Path.Combine(OutputDirectory, defaultName)
                : Path.GetFullPath(Path.Combine(ProjectDirectory, file));

        /// <summary>Builds the plan; logs and returns null on any error.</summary>
        internal BuildPlan? Plan() => new KernelPlanner(PlanRequest(), BuildLog).Plan();

        /// <summary>
        /// Leaves the check's plan for the compile task of the same build (<see cref="TakeHandedOverPlan"/>). Planning
        /// again read the state, every kernel's settings and about 3 200 stats a second time: 60-80 ms of each build
        /// that compiles, at 500 kernels (docs/benchmarks.md). MSBuild may drop it under memory pressure; the compile
        /// then plans again.
        /// </summary>
        internal void HandOverPlan(BuildPlan plan)
        {
            if (BuildEngine is IBuildEngine4 engine)
            {
                engine.RegisterTaskObject(HandOverKey(), plan, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: true);
            }
        }

        /// <summary>
        /// The plan the check of this build made from exactly these parameters, taken so that nothing uses it twice;
        /// null when there is none (the compile target run on its own, another MSBuild, a plan dropped). A file
        /// changed between the check and the compile is then the next build's to see, like any file changed while a
        /// build runs: the compile records the hashes of the bytes it read, never the check's.
        /// </summary>
        internal BuildPlan? TakeHandedOverPlan()
        {
            if (!(BuildEngine is IBuildEngine4 engine))
            {
                return null;
            }
            string key = HandOverKey();
            object? plan = engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build);
            if (plan != null)
            {
                engine.UnregisterTaskObject(key, RegisteredTaskObjectLifetime.Build);
            }
            return plan as BuildPlan;
        }

        /// <summary>Everything the plan is made from: a plan is handed over only between tasks given the same.</summary>
        private string HandOverKey() => "KernelBuild plan " + InputsDigest();

        private string? _inputsDigest;

        /// <summary>
        /// The digest of every parameter that planning reads and of every kernel item with the metadata it reads: two
        /// tasks with the same digest plan from the same inputs (the files aside).
        /// </summary>
        internal string InputsDigest()
        {
            if (_inputsDigest != null) return _inputsDigest;
            // Each value is preceded by its length, so that no two different inputs give the same text.
            var text = new System.Text.StringBuilder("KernelBuild inputs\n");
            foreach (string? value in new[] { ProjectDirectory, OutputDirectory, StatePath, NvrtcPath, ReadSignatures ? "1" : "0", SignatureIndexPath })
            {
                AppendValue(text, value);
            }
            foreach (ITaskItem kernel in Kernels)
            {
                AppendValue(text, kernel.ItemSpec);
                foreach (string name in KernelItem.MetadataNames) AppendValue(text, kernel.GetMetadata(name));
            }
            return _inputsDigest = IO.FastHash.Of(text.ToString());
        }

        private static void AppendValue(System.Text.StringBuilder text, string? value) =>
            text.Append((value ?? "").Length).Append(':').Append(value).Append('\n');

        private PlanRequest PlanRequest() =>
            new PlanRequest(ProjectDirectory, OutputDirectory, StatePath, NvrtcPath, Kernels.Select(KernelItemOf).ToList()) { ReadSignatures = ReadSignatures };

        private static KernelItem KernelItemOf(ITaskItem item)
        {
            var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string name in KernelItem.MetadataNames)
            {
                metadata[name] = item.GetMetadata(name);
            }
            return new KernelItem(item.ItemSpec, metadata);
        }
    }
}
