using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Planning
{
    /// <summary>
    /// Decides what a build does: finds the compiler, reads the kernels' settings, rejects duplicates, reads the
    /// previous state and says which kernels are stale and which were removed. Plain code: it takes the task's
    /// parameters as values and a log, and returns a plan; the tasks only adapt MSBuild to it.
    /// </summary>
    internal sealed class KernelPlanner
    {
        private readonly PlanRequest _request;
        private readonly IBuildLog _log;
        // Keyed by the parsed options' instance: KernelSettingsReader parses each distinct set once and shares it.
        private readonly Dictionary<(CudaOptions, bool, string, string), string> _optionsDigests = new Dictionary<(CudaOptions, bool, string, string), string>();

        public KernelPlanner(PlanRequest request, IBuildLog log)
        {
            _request = request;
            _log = log;
        }

        /// <summary>Builds the plan; logs and returns null on any error.</summary>
        public BuildPlan? Plan()
        {
            var plan = new BuildPlan();
            var stopwatch = Stopwatch.StartNew();
            // Before the read: a state replaced after it has another stamp, so an up-to-date record made from this
            // plan cannot vouch for it.
            plan.StateStamp = FileStamp.Of(_request.StatePath);
            plan.Previous = BuildStateFile.TryRead(_request.StatePath, out string? stateProblem);
            plan.Timings.StateRead = Lap(stopwatch);
            if (_request.Kernels.Count == 0)
            {
                if (plan.Previous != null) plan.Removed.AddRange(plan.Previous.Kernels.Values);
                return plan;
            }
            // The recorded files are stat'ed on a second thread while this one finds the compiler and reads settings.
            RecordedFileStats? stats = plan.Previous == null ? null : RecordedFileStats.Start(plan.Previous, _request.OutputDirectory);
            if (!IdentifyCompiler(plan, out bool compilerChanged))
            {
                return null;
            }
            plan.Timings.Compiler = Lap(stopwatch);
            PlanKernels(plan);
            if (_log.HasLoggedErrors)
            {
                return null;
            }
            plan.Timings.Settings = Lap(stopwatch);
            DecideStaleness(plan, stateProblem, compilerChanged, stats);
            plan.Timings.Staleness = Lap(stopwatch);
            return plan;
        }

        private static TimeSpan Lap(Stopwatch stopwatch)
        {
            TimeSpan elapsed = stopwatch.Elapsed;
            stopwatch.Restart();
            return elapsed;
        }

        /// <summary>Loads NVRTC from where it was found; logs KB1001 and returns null when it cannot be loaded.</summary>
        public static NvrtcLibrary? LoadCompiler(NvrtcLocation location, IBuildLog log)
        {
            try
            {
                return NvrtcLibrary.Load(location);
            }
            catch (NvrtcNotFoundException e)
            {
                log.LogProjectError(KbErrors.NvrtcNotFound, e.Message);
                return null;
            }
        }

        /// <summary>
        /// Sets the plan's compiler: the recorded one when its files are unchanged (no need to load NVRTC to know
        /// it), else the loaded library. False (KB1001 logged) when NVRTC had to be loaded and could not be.
        /// </summary>
        private bool IdentifyCompiler(BuildPlan plan, out bool compilerChanged)
        {
            compilerChanged = false;
            plan.Location = NvrtcLocator.ForThisMachine().Locate(_request.NvrtcPath);
            // The same library as last time: its recorded files are stat'ed, sparing a listing of its folder.
            List<string>? recordedFiles = plan.Previous?.Compiler?.Files;
            List<string>? compilerFiles = plan.Location.Found && recordedFiles != null && recordedFiles.Count > 0
                && recordedFiles[0] == Path.GetFullPath(plan.Location.Path!)
                ? recordedFiles
                : CompilerIdentity.FilesOf(plan.Location);
            var stamps = new List<FileStamp>();
            string? identity = compilerFiles == null ? null : CompilerIdentity.Of(compilerFiles, stamps);
            if (identity != null && plan.Previous?.Compiler?.Identity == identity)
            {
                plan.Compiler = plan.Previous.Compiler;
                plan.CompilerFileStamps = stamps;
                return true;
            }

            plan.Library = LoadCompiler(plan.Location, _log);
            if (plan.Library == null)
            {
                return false;
            }
            plan.Compiler = new CompilerRecord { Identity = identity ?? CompilerIdentity.OfLoaded(plan.Library), Name = plan.Library.DisplayName };
            plan.Compiler.SupportedArchitectures.AddRange(plan.Library.SupportedArchitectures);
            plan.Compiler.Files.AddRange(compilerFiles ?? Enumerable.Empty<string>());
            compilerChanged = plan.Previous?.Compiler != null && plan.Previous.Compiler.Identity != plan.Compiler.Identity;
            plan.StateNeedsWrite = true;
            return true;
        }

        /// <summary>Adds a <see cref="KernelPlan"/> per readable, valid and distinct item; logs the others' errors.</summary>
        private void PlanKernels(BuildPlan plan)
        {
            var reader = new KernelSettingsReader(_request.ProjectDirectory, _log, _request.ReadSignatures);
            // Case-insensitive: outputs and resource names that differ only in case collide on Windows and macOS.
            var seen = new Dictionary<string, KernelCompileSettings>(StringComparer.OrdinalIgnoreCase);
            foreach (KernelItem item in _request.Kernels)
            {
                KernelCompileSettings? settings = reader.Read(item, plan.Compiler!, plan.Unreadable);
                if (settings == null) continue;
                if (seen.TryGetValue(settings.RelativePath, out KernelCompileSettings? other))
                {
                    LogDuplicate(other, settings);
                    continue;
                }
                seen[settings.RelativePath] = settings;
                plan.Kernels.Add(new KernelPlan(settings, PlanImages(settings), Fingerprint(settings, plan.Compiler!)));
            }
        }

        private void DecideStaleness(BuildPlan plan, string? stateProblem, bool compilerChanged, RecordedFileStats? stats)
        {
            var checker = new StalenessChecker(plan.Previous, _request.OutputDirectory, stats);
            plan.Checker = checker;
            foreach (KernelPlan kernel in plan.Kernels)
            {
                kernel.StaleReason = checker.Check(kernel.Settings.RelativePath, kernel.Fingerprint, kernel.Images.Select(i => i.RelativePath),
                    stateProblem, compilerChanged);
            }
            plan.StampsRefreshed = checker.RefreshedStamps;
            if (plan.Previous != null)
            {
                var current = new HashSet<string>(plan.Kernels.Select(k => k.Settings.RelativePath), StringComparer.Ordinal);
                plan.Removed.AddRange(plan.Previous.Kernels.Values.Where(k => !current.Contains(k.RelativePath)));
            }
        }

        private void LogDuplicate(KernelCompileSettings first, KernelCompileSettings second)
        {
            string message = first.RelativePath != second.RelativePath
                ? "CUDA kernels '" + first.RelativePath + "' and '" + second.RelativePath + "' differ only in letter case. Their outputs and resource names would overwrite each other on case-insensitive file systems (Windows, macOS). Rename one of them, or give one a different Link metadata."
                : "Kernels '" + first.SourcePath + "' and '" + second.SourcePath + "' both map to '" + second.RelativePath + "' and would overwrite each other's outputs. Give one of them a different Link metadata.";
            _log.LogError(KbErrors.DuplicateKernel, second.SourcePath, 0, message);
        }

        /// <summary>Hash of everything that decides a kernel's compiled bytes other than file contents.</summary>
        private string Fingerprint(KernelCompileSettings settings, CompilerRecord compiler) =>
            FastHash.Of(compiler.Identity + "\n" + settings.RelativePath + "\n" + settings.SourcePath + "\n" + OptionsDigest(settings));

        /// <summary>
        /// Hash of a kernel's compile settings besides its paths: whether signatures are read, the instantiations, and
        /// the NVRTC options for each architecture. Kernels nearly always share these, so each distinct set is hashed
        /// once: building the text for each kernel allocated 2-3 KB per kernel on every no-op (at N = 500 the settings
        /// step allocated 1.9 MB, and first-touched memory costs about 3 ms per MB in a fresh build process).
        /// </summary>
        private string OptionsDigest(KernelCompileSettings settings)
        {
            string architectures = string.Join(";", settings.Architectures.Select(a => a.Name));
            string instantiations = string.Join("\n", settings.Instantiations);
            var key = (settings.Options, settings.ReadSignatures, architectures, instantiations);
            if (_optionsDigests.TryGetValue(key, out string? digest))
            {
                return digest;
            }
            var text = new StringBuilder();
            if (settings.ReadSignatures) text.Append("signatures\n");
            foreach (string instantiation in settings.Instantiations) text.Append("instantiate ").Append(instantiation).Append('\n');
            foreach (TargetArchitecture architecture in settings.Architectures)
            {
                text.Append(string.Join("\u0001", NvrtcOptionsBuilder.Build(settings, architecture))).Append('\n');
            }
            digest = FastHash.Of(text.ToString());
            _optionsDigests[key] = digest;
            return digest;
        }

        private static List<PlannedImage> PlanImages(KernelCompileSettings settings) =>
            settings.Architectures.Select(a => new PlannedImage(a, Formats.KernelResources.ImagePath(settings.RelativePath, a.Architecture))).ToList();
    }
}
