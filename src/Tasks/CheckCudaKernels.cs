using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Runs on every build, before the compile target's up-to-date check, and is cheap: it stats recorded files
    /// and reads nothing else unless a stat changed. It gives MSBuild the recorded dependencies (the compile
    /// target's Inputs; Visual Studio's fast up-to-date check reads them with <see cref="ReadCudaKernelDependencies"/>),
    /// the images to embed, and writes the options cache only when options changed. When a kernel is stale in a way timestamps cannot show (content restored
    /// with an old time, a new header shadowing an old one, a corrupt state, a removed kernel), it deletes the
    /// compile target's stamp so that the target runs.
    /// </summary>
    public sealed class CheckCudaKernels : CudaKernelTaskBase
    {
        /// <summary>The compile target's stamp file, deleted to force the compile target to run.</summary>
        [Required] public string StampFile { get; set; } = "";

        /// <summary>Written only when the kernels or their options change (the CoreCompileInputs.cache pattern).</summary>
        [Required] public string OptionsCacheFile { get; set; } = "";

        /// <summary>Every file the kernels were last built from: Inputs of the compile target.</summary>
        [Output] public ITaskItem[] Dependencies { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Images of the current kernels. Metadata: LogicalName (resource name), RelativeOutputPath,
        /// Architecture, DependencyFile (the kernel's .d file).</summary>
        [Output] public ITaskItem[] Images { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The manifest's resource name, from the one definition the runtime reads it by.</summary>
        [Output] public string ManifestResourceName => Formats.KernelResources.Manifest;

        /// <summary>How many kernels must be compiled.</summary>
        [Output] public int StaleKernelCount { get; set; }

        public override bool Execute()
        {
            BuildPlan? plan = Plan();
            if (plan == null)
            {
                return false;
            }

            string optionsSummary = string.Concat(plan.Kernels.Select(k => k.Settings.RelativePath + "\t" + k.Fingerprint + "\n"));
            string optionsCache = Path.GetFullPath(OptionsCacheFile);
            if (!TryWrite(optionsCache, () => AtomicFile.WriteIfChanged(optionsCache, Encoding.UTF8.GetBytes(FastHash.Of(optionsSummary) + "\n"))))
            {
                return false;
            }

            ReplayWarningsOfCurrentKernels(plan);
            LogWhyCompileRuns(plan);
            StaleKernelCount = plan.Kernels.Count(k => k.IsStale);
            if (!RequestCompileOrSaveStamps(plan))
            {
                return false;
            }

            Dependencies = DependenciesOf(plan).Select(TaskItems.ForPath).ToArray();
            Images = plan.Kernels.SelectMany(k => k.Images.Select(image => ImageItem(k, image))).ToArray();
            return !Log.HasLoggedErrors;
        }

        /// <summary>At detailed verbosity: each kernel that is stale and why, each removed and each unreadable one.</summary>
        private void LogWhyCompileRuns(BuildPlan plan)
        {
            foreach (KernelPlan kernel in plan.Kernels.Where(k => k.IsStale))
            {
                Log.LogMessage(MessageImportance.Low, "CUDA kernel {0} is stale: {1}.", kernel.Settings.RelativePath, kernel.StaleReason);
            }
            foreach (KernelRecord removed in plan.Removed)
            {
                Log.LogMessage(MessageImportance.Low, "CUDA kernel {0} was removed from the project: its outputs will be deleted.", removed.RelativePath);
            }
            foreach (UnreadableKernel unreadable in plan.Unreadable)
            {
                // The compile task reports it (KB1005), so that the other kernels are still compiled in this build.
                Log.LogMessage(MessageImportance.Low, "CUDA kernel {0} cannot be read: the compile target will report it.", unreadable.Source);
            }
        }

        /// <summary>
        /// Deletes the compile target's stamp when the compile task has work that timestamps cannot show; otherwise
        /// saves refreshed stamps. False when the stamp could not be deleted (KB4001 logged).
        /// </summary>
        private bool RequestCompileOrSaveStamps(BuildPlan plan)
        {
            string? manifestProblem = plan.Checker?.CheckManifest();
            plan.StampsRefreshed |= plan.Checker?.RefreshedStamps == true;
            if (manifestProblem != null && plan.Previous != null)
            {
                Log.LogMessage(MessageImportance.Low, "The CUDA kernel manifest is rewritten: {0}.", manifestProblem);
            }
            if (plan.AnyStale || plan.StateNeedsWrite || plan.Previous == null || manifestProblem != null || plan.Unreadable.Count > 0)
            {
                string stamp = Path.GetFullPath(StampFile);
                return TryWrite(stamp, () => AtomicFile.DeleteIfExists(stamp));
            }
            if (plan.StampsRefreshed)
            {
                // Touched, unchanged files: saving their new stamps spares hashing them again next build, and needs
                // no compile. (The compile task saves them too when it runs.)
                TryWrite(StatePath, () => BuildStateFile.Write(StatePath, plan.Previous!));
            }
            return true;
        }

        /// <summary>A kernel that is not compiled again keeps its warnings: the build says them again, as if compiled.</summary>
        private void ReplayWarningsOfCurrentKernels(BuildPlan plan)
        {
            foreach (KernelPlan kernel in plan.Kernels.Where(k => !k.IsStale))
            {
                if (plan.Previous == null || !plan.Previous.Kernels.TryGetValue(kernel.Settings.RelativePath, out KernelRecord? record)) continue;
                foreach (RecordedWarning warning in record.Warnings)
                {
                    string file = warning.File.Length > 0 ? warning.File : ProjectFileForDiagnostics;
                    BuildLog.LogWarning(warning.Code, file, warning.Line, 0, warning.Message);
                }
            }
        }

        private static IEnumerable<string> DependenciesOf(BuildPlan plan)
        {
            if (plan.Previous == null) return Enumerable.Empty<string>();
            var paths = new HashSet<string>(StringComparer.Ordinal);
            foreach (KernelPlan kernel in plan.Kernels)
            {
                if (plan.Previous.Kernels.TryGetValue(kernel.Settings.RelativePath, out KernelRecord? record))
                {
                    // A dependency that no longer exists cannot be an Input (MSBuild would fail); the check above
                    // already made its kernel stale.
                    paths.UnionWith(record.Dependencies.Where(plan.Checker!.DependencyExists));
                }
            }
            return paths;
        }

        private ITaskItem ImageItem(KernelPlan kernel, PlannedImage image)
        {
            ITaskItem item = TaskItems.ForPath(Path.Combine(OutputDirectory, image.RelativePath.Replace('/', Path.DirectorySeparatorChar)));
            item.SetLiteralMetadata("LogicalName", image.ResourceName);
            item.SetLiteralMetadata("RelativeOutputPath", image.RelativePath);
            item.SetLiteralMetadata("Architecture", image.Architecture.Name);
            // The kernel's .d file, so that the targets can list it in FileWrites without another item per kernel.
            item.SetLiteralMetadata("DependencyFile", Path.Combine(OutputDirectory, kernel.DependencyFileRelativePath));
            return item;
        }
    }
}
