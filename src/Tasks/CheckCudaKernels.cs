using System;
using System.Collections.Generic;
using System.Diagnostics;
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
    /// Runs on every build and is cheap: it stats recorded files and reads nothing else unless a stat changed. It
    /// decides whether the compile target runs (<see cref="CompileNeeded"/>): the check already stats every recorded
    /// file, so MSBuild need not stat them again as the target's Inputs. It gives MSBuild the images to embed, and
    /// writes the options cache only when options changed. When any kernel is stale (content changed, even restored
    /// with an old time, a new header shadowing an old one, a corrupt state, a removed kernel), it deletes the
    /// compile target's stamp, so that an interrupted or failed compile is run again by the next build.
    /// </summary>
    public sealed partial class CheckCudaKernels : CudaKernelTaskBase
    {
        /// <summary>The compile target's stamp file, deleted to force the compile target to run.</summary>
        [Required] public string StampFile { get; set; } = "";

        /// <summary>Written only when the kernels or their options change (the CoreCompileInputs.cache pattern).</summary>
        [Required] public string OptionsCacheFile { get; set; } = "";

        /// <summary>
        /// Every file the kernels were last built from. Built only when asked for: KernelBuild's targets no longer
        /// read it (a no-op at 500 kernels spent about 20 ms making 1 100 items and MSBuild as long stat'ing them
        /// again as Inputs; docs/benchmarks.md), but a project's own targets may.
        /// </summary>
        [Output] public ITaskItem[] Dependencies => _dependencies ??= DependenciesOf(_plan ?? PlanForDependencies()).Select(TaskItems.ForPath).ToArray();

        /// <summary>
        /// True when the compile target must run: a kernel is stale, the state or manifest must be written, or the
        /// stamp is missing (a previous compile failed or was interrupted). Every file it stat'ed is unchanged
        /// otherwise, which is what the compile target's Inputs/Outputs check used to establish a second time.
        /// </summary>
        [Output] public bool CompileNeeded { get; set; }

        /// <summary>Images of the current kernels. Metadata: LogicalName (resource name), RelativeOutputPath,
        /// Architecture. Built only when asked for, as <see cref="Dependencies"/> is: only a project that copies its
        /// images to the output folder needs them (the kernel bundle carries them otherwise), and 500 items cost a
        /// no-op time to make and hand over.</summary>
        [Output] public ITaskItem[] Images => _images ??= ImageItems().ToArray();

        /// <summary>
        /// The signature index (empty unless a kernel gets a launcher, <see cref="CudaKernelTaskBase.SignatureIndexWanted"/>),
        /// which the compile target keeps current: the launcher generator's one input, without a look at the output
        /// folder on every build (docs/launchers.md).
        /// </summary>
        [Output] public string SignatureIndex { get; set; } = "";

        /// <summary>The embedded kernel bundle's resource name, from the one definition the runtime reads it by.</summary>
        [Output] public string EmbeddedBundleResourceName => Formats.KernelResources.EmbeddedBundle;

        /// <summary>How many kernels must be compiled.</summary>
        [Output] public int StaleKernelCount { get; set; }

        private BuildPlan? _plan;
        private ITaskItem[]? _dependencies;
        private ITaskItem[]? _images;

        private const string UpToDateMessage = "CUDA kernels are up to date ({0} checked): the compile target is skipped.";

        public override bool Execute()
        {
            DateTime started = DateTime.UtcNow;
            var stopwatch = Stopwatch.StartNew();
            if (TryAnswerFromRecord(started, stopwatch))
            {
                return !Log.HasLoggedErrors;
            }
            BuildPlan? plan = Plan();
            if (plan == null)
            {
                return false;
            }
            _plan = plan;
            TimeSpan planned = stopwatch.Elapsed;

            if (!WriteOptionsCacheIfChanged(plan))
            {
                return false;
            }

            ReplayWarningsOfCurrentKernels(plan);
            LogWhyCompileRuns(plan);
            StaleKernelCount = plan.Kernels.Count(k => k.IsStale);
            if (!RequestCompileOrSaveStamps(plan, started))
            {
                return false;
            }
            if (CompileNeeded)
            {
                HandOverPlan(plan);
            }
            else
            {
                // What MSBuild's "Skipping target ... all output files are up-to-date" said before the compile target
                // lost its Inputs/Outputs: the line a developer (and the tests) look for at normal verbosity.
                Log.LogMessage(MessageImportance.Normal, UpToDateMessage, plan.Kernels.Count);
                RecordUpToDate(plan);
            }
            if (SignatureIndexWanted && plan.Kernels.Count > 0)
            {
                SignatureIndex = SignatureIndexPath;
            }
            LogTimings(plan, planned, stopwatch.Elapsed);
            return !Log.HasLoggedErrors;
        }

        /// <summary>
        /// Writes the options cache when its text changes; false after KB4001. When no kernel is stale or removed and
        /// the state needs no write, every fingerprint is the recorded one, from which the cache was last written:
        /// then only its existence is checked.
        /// </summary>
        private bool WriteOptionsCacheIfChanged(BuildPlan plan)
        {
            string optionsCache = Path.GetFullPath(OptionsCacheFile);
            bool unchanged = plan.Previous != null && !plan.AnyStale && !plan.StateNeedsWrite && plan.Unreadable.Count == 0;
            if (unchanged && File.Exists(optionsCache))
            {
                return true;
            }
            string optionsSummary = string.Concat(plan.Kernels.Select(k => k.Settings.RelativePath + "\t" + k.Fingerprint + "\n"));
            return TryWrite(optionsCache, () => AtomicFile.WriteIfChanged(optionsCache, Encoding.UTF8.GetBytes(FastHash.Of(optionsSummary) + "\n")));
        }

        /// <summary>At diagnostic verbosity: where the check's time went (docs/benchmarks.md, "Where the no-op time went").</summary>
        private void LogTimings(BuildPlan plan, TimeSpan planned, TimeSpan total)
        {
            PlanTimings t = plan.Timings;
            Log.LogMessage(MessageImportance.Low,
                "KernelBuild check of {0} kernel(s): {1:F1} ms (state read {2:F1}, compiler {3:F1}, settings {4:F1}, stats {5:F1}, the rest {6:F1}); compile needed: {7}.",
                plan.Kernels.Count, total.TotalMilliseconds, t.StateRead.TotalMilliseconds, t.Compiler.TotalMilliseconds,
                t.Settings.TotalMilliseconds, t.Staleness.TotalMilliseconds, (total - planned).TotalMilliseconds, CompileNeeded);
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
        /// Deletes the compile target's stamp and sets <see cref="CompileNeeded"/> when the compile task has work;
        /// otherwise saves refreshed stamps. False when the stamp could not be deleted (KB4001 logged).
        /// </summary>
        private bool RequestCompileOrSaveStamps(BuildPlan plan, DateTime started)
        {
            string? manifestProblem = plan.Checker?.CheckManifest();
            string? indexProblem = SignatureIndexWanted && plan.Kernels.Count > 0 ? plan.Checker?.CheckSignatureIndex() : null;
            string? bundleProblem = plan.Kernels.Count > 0 ? plan.Checker?.CheckBundle() : null;
            plan.StampsRefreshed |= plan.Checker?.RefreshedStamps == true;
            if (manifestProblem != null && plan.Previous != null)
            {
                Log.LogMessage(MessageImportance.Low, "The CUDA kernel manifest is rewritten: {0}.", manifestProblem);
            }
            if (indexProblem != null && plan.Previous != null)
            {
                Log.LogMessage(MessageImportance.Low, "The CUDA kernel signature index is rewritten: {0}.", indexProblem);
            }
            if (bundleProblem != null && plan.Previous != null)
            {
                Log.LogMessage(MessageImportance.Low, "The CUDA kernel bundle is rewritten: {0}.", bundleProblem);
            }
            string stamp = Path.GetFullPath(StampFile);
            if (plan.AnyStale || plan.StateNeedsWrite || plan.Previous == null || manifestProblem != null || indexProblem != null || bundleProblem != null || plan.Unreadable.Count > 0)
            {
                CompileNeeded = true;
                return TryWrite(stamp, () => AtomicFile.DeleteIfExists(stamp));
            }
            // No stamp: the last compile failed or was interrupted (its errors are reported again), or it was deleted.
            CompileNeeded = !File.Exists(stamp);
            if (plan.StampsRefreshed && !CompileNeeded)
            {
                // Touched, unchanged files: saving their new stamps spares hashing them again next build, and needs
                // no compile. The stamp is moved past the touch, as a compile would, so that Visual Studio's fast
                // up-to-date check (stamp vs recorded files) agrees that nothing is to be built.
                TryWrite(StatePath, () => BuildStateFile.Write(StatePath, plan.Previous!));
                plan.StateStamp = FileStamp.Of(StatePath); // the state this check wrote, which the up-to-date record vouches for
                TryWrite(stamp, () => File.SetLastWriteTimeUtc(stamp, started));
            }
            return true;
        }

        /// <summary>A kernel that is not compiled again keeps its warnings: the build says them again, as if compiled.</summary>
        private void ReplayWarningsOfCurrentKernels(BuildPlan plan)
        {
            foreach (KernelPlan kernel in plan.Kernels.Where(k => !k.IsStale))
            {
                if (plan.Previous == null || !plan.Previous.Kernels.TryGetValue(kernel.Settings.RelativePath, out KernelRecord? record)) continue;
                foreach (RecordedWarning warning in record.Warnings) ReplayWarning(warning);
            }
        }

        private void ReplayWarning(RecordedWarning warning)
        {
            string file = warning.File.Length > 0 ? warning.File : ProjectFileForDiagnostics;
            BuildLog.LogWarning(warning.Code, file, warning.Line, 0, warning.Message);
        }

        /// <summary>
        /// The plan that <see cref="Dependencies"/> is made from when the up-to-date record answered the check: made
        /// only when a project's own target asks for them.
        /// </summary>
        private BuildPlan? PlanForDependencies() => _answeredBy == null ? null : _plan = Plan();

        private IEnumerable<ITaskItem> ImageItems()
        {
            if (_plan != null)
            {
                return _plan.Kernels.SelectMany(k => k.Images).Select(i => ImageItem(i.RelativePath, i.ResourceName, i.Architecture.Name));
            }
            return _answeredBy?.Images.Select(i => ImageItem(i.RelativePath, i.ResourceName, i.Architecture)) ?? Enumerable.Empty<ITaskItem>();
        }

        private static IEnumerable<string> DependenciesOf(BuildPlan? plan)
        {
            if (plan?.Previous == null) return Enumerable.Empty<string>();
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

        private string OutputFileOf(string relativePath) => Path.Combine(OutputDirectory, relativePath.Replace('/', Path.DirectorySeparatorChar));

        private ITaskItem ImageItem(string relativePath, string resourceName, string architecture)
        {
            ITaskItem item = TaskItems.ForPath(OutputFileOf(relativePath));
            item.SetLiteralMetadata("LogicalName", resourceName);
            item.SetLiteralMetadata("RelativeOutputPath", relativePath);
            item.SetLiteralMetadata("Architecture", architecture);
            // No DependencyFile metadata any more: the .d files left FileWrites, and each metadata value is copied
            // into every item made from these on every build (the C# compile's resources, 500 at 500 kernels).
            return item;
        }
    }
}
