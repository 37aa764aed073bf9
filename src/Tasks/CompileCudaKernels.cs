using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.RemoteCache;
using KernelBuild.Tasks.Scanning;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Compiles the stale kernels through NVRTC, writes their images and .d files, deletes the outputs of removed
    /// kernels, and rewrites the state and the manifest. Kernels that are current keep their files untouched.
    /// </summary>
    public sealed partial class CompileCudaKernels : CudaKernelTaskBase
    {
        /// <summary>Touched on success (with the time the task started); MSBuild's Outputs for the compile target.</summary>
        [Required] public string StampFile { get; set; } = "";

        /// <summary>The manifest ($(_CudaKernelManifest)); <c>KernelBuild.manifest.json</c> in the output folder when not given.</summary>
        public string? ManifestFile { get; set; }

        /// <summary>The kernel bundle ($(_CudaKernelBundle)); <c>KernelBuild.cudakernels</c> in the output folder when not given.</summary>
        public string? BundleFile { get; set; }

        /// <summary>How many kernels to compile at once; 0 or less picks one per processor.</summary>
        public int MaxParallelism { get; set; }

        /// <summary>A SHA-256 no file has in practice: recorded for a file whose bytes changed between two kernels' scans.</summary>
        private static readonly string s_changedDuringBuildHash = new string('0', 64);

        /// <summary>Path to the hash recorded for it by a kernel of this build (see <see cref="RecordDependency"/>).</summary>
        private readonly Dictionary<string, string> _recordedThisBuild = new Dictionary<string, string>(StringComparer.Ordinal);

        public override bool Execute()
        {
            DateTime started = DateTime.UtcNow;
            string stamp = Path.GetFullPath(StampFile);
            if (!TryDelete(stamp)) // until this run succeeds, nothing is up to date
            {
                return false;
            }
            int abandoned = AtomicFile.DeleteAbandonedTemporaryFiles(OutputDirectory);
            if (abandoned > 0)
            {
                Log.LogMessage(MessageImportance.Low, "Deleted {0} temporary file(s) left by an interrupted build.", abandoned);
            }

            // The check's plan when it left one (same parameters, same build); planned again otherwise: this target
            // can be invoked on its own.
            BuildPlan? plan = TakeHandedOverPlan();
            Log.LogMessage(MessageImportance.Low, plan != null ? "Compiling from the check's plan." : "No plan from the check of this build: planning again.");
            plan ??= Plan();
            if (plan == null || !TryReadRemoteCacheSettings())
            {
                return false;
            }

            BuildState state = plan.Previous ?? new BuildState();
            state.Compiler = plan.Compiler;
            foreach (UnreadableKernel kernel in plan.Unreadable)
            {
                // Reported here rather than by the check, so that the other kernels are still compiled in this build.
                LogProjectError(KbErrors.SourceUnreadable, kernel.Message);
            }
            foreach (KernelRecord removed in plan.Removed)
            {
                if (!DeleteOutputs(removed))
                {
                    continue; // KB4001 logged; the record stays, so that the next build deletes them again
                }
                state.Kernels.Remove(removed.RelativePath);
                Log.LogMessage(MessageImportance.Normal, "Removed outputs of deleted CUDA kernel {0}.", removed.RelativePath);
            }

            List<KernelPlan> stale = plan.Kernels.Where(k => k.IsStale).ToList();
            bool succeeded = true;
            if (stale.Count > 0)
            {
                NvrtcLibrary? nvrtc = plan.Library ?? KernelPlanner.LoadCompiler(plan.Location!, BuildLog);
                if (nvrtc == null) return false;
                using (RemoteKernelCache? remote = OpenRemoteCache(nvrtc, plan))
                {
                    succeeded = CompileAll(nvrtc, stale, state, remote);
                }
            }

            state.RemoveUnreferencedFiles();
            try
            {
                // The manifest first, then the bundle made from it: the state then records the files it describes.
                var steps = Stopwatch.StartNew();
                byte[] manifest = ManifestBytes(plan, state);
                state.Manifest = WriteOutput(ManifestRelativePath, manifest, "-", OutputKind.Manifest);
                TimeSpan manifestTime = steps.Elapsed;
                state.Bundle = plan.Kernels.Count > 0 ? WriteBundle(manifest) : DeleteBundle();
                TimeSpan bundleTime = steps.Elapsed - manifestTime;
                state.SignatureIndex = SignatureIndexWanted ? WriteSignatureIndex(plan, state) : DeleteSignatureIndex();
                TimeSpan indexTime = steps.Elapsed - manifestTime - bundleTime;
                TimeSpan beforeState = steps.Elapsed;
                BuildStateFile.Write(StatePath, state);
                Log.LogMessage(MessageImportance.Low, "Wrote the manifest, kernel bundle, signature index and state of {0} kernel(s) in {1} ms (manifest {2}, bundle {3}, signature index {4}, state {5}).",
                    plan.Kernels.Count, Milliseconds(steps.Elapsed), Milliseconds(manifestTime), Milliseconds(bundleTime), Milliseconds(indexTime), Milliseconds(steps.Elapsed - beforeState));
                if (succeeded && !Log.HasLoggedErrors)
                {
                    AtomicFile.Write(stamp, Encoding.UTF8.GetBytes("KernelBuild stamp: the kernels below this folder are up to date.\n"));
                    // The start time, not now: a file edited while we compiled must still look newer than the stamp.
                    File.SetLastWriteTimeUtc(stamp, started);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                BuildLog.LogWriteFailure(OutputDirectory, OutputDirectory, e);
                return false;
            }
            catch (UnrepresentablePathException e)
            {
                BuildLog.LogError(KbErrors.UnrepresentablePath, StatePath, 0, e.Message + " Rename the file or folder so that its path has no line break.");
                return false;
            }
            catch (KernelBundleException e)
            {
                // The manifest and images were written by this task a moment ago. The state is not written, so the
                // next build checks every output again and writes what differs.
                BuildLog.LogError(KbErrors.WriteFailed, BundlePath, 0, "Cannot write the kernel bundle: " + e.Message
                    + " Build again; if this persists, rebuild the project (dotnet build --no-incremental).");
                return false;
            }
            return succeeded && !Log.HasLoggedErrors;
        }

        private bool CompileAll(NvrtcLibrary nvrtc, List<KernelPlan> stale, BuildState state, RemoteKernelCache? remote)
        {
            // Kernels the remote cache restores come back as results a compile would have given; the rest are compiled.
            KernelCompileResult?[] results = RestoreFromRemoteCache(remote, stale);
            List<int> misses = Enumerable.Range(0, stale.Count).Where(i => results[i] == null).ToList();
            var compiledHere = new HashSet<int>(misses);
            foreach (KernelPlan kernel in misses.Select(i => stale[i]))
            {
                Log.LogMessage(MessageImportance.Normal, "Compiling CUDA kernel {0} ({1}) with {2}.",
                    kernel.Settings.RelativePath, string.Join(", ", kernel.Settings.Architectures), nvrtc.DisplayName);
                Log.LogMessage(MessageImportance.Low, "  because {0}.", kernel.StaleReason);
            }

            var scanCache = new IncludeScanCache();
            // A lane compiles a whole kernel (its architectures one after the other), so more lanes than kernels would idle.
            int lanes = Math.Max(1, Math.Min(Parallelism.For(MaxParallelism), misses.Count));
            var stopwatch = Stopwatch.StartNew();
            using CompilerPool? compilers = misses.Count > 0 ? new CompilerPool(nvrtc, lanes, misses.Count, scanCache) : null;
            if (compilers != null)
            {
                Log.LogMessage(MessageImportance.Low, "Compiling on {0} lane(s){1}.", compilers.LaneCount, !compilers.UsesWorkerProcesses ? ""
                    : " (worker processes: " + nvrtc.DisplayName + " serializes compiles within a process" + (compilers.FirstLaneInProcess ? "; the first lane in this one" : "") + ")");
            }
            // Kernel i's errors are logged here as soon as it and those before it are compiled; its files are written
            // after the last compile (WriteAllOutputs).
            using var compiles = new ResultsInOrder<KernelCompileResult>(misses.Count, compilers?.LaneCount ?? 0,
                j => compilers!.Compile(stale[misses[j]].Settings),
                (j, e) => KernelCompiler.FailedUnexpectedly(stale[misses[j]].Settings, e));
            var compiled = new KernelCompileResult[stale.Count];
            var toWrite = new bool[stale.Count];
            int taken = 0;
            for (int i = 0; i < stale.Count; i++)
            {
                // The misses are in the order of stale, so the j-th one taken is kernel misses[j].
                compiled[i] = results[i] ?? compiles.Take(taken++);
                LogDiagnostics(compiled[i]);
                // With -warnaserror a warning fails the build: the kernel must not be recorded as built, or the
                // identical next build would find it current and succeed.
                toWrite[i] = compiled[i].Succeeded && !HasWarningTreatedAsError(compiled[i]);
            }
            if (compilers?.FallbackReason != null)
            {
                Log.LogMessage(MessageImportance.Normal, "KernelBuild: {0}.", compilers.FallbackReason);
            }
            Log.LogMessage(MessageImportance.Normal, "Compiled {0} CUDA kernel(s) in {1} s.", misses.Count, Seconds(stopwatch.Elapsed));

            bool[] recorded = WriteAndRecordAll(stale, compiled, toWrite, state);
            // What this build compiled and recorded goes to the remote cache; what it restored from there is there.
            UploadToRemoteCache(remote, stale, compiled.Select((result, i) => recorded[i] && compiledHere.Contains(i) ? result : null).ToArray());
            return recorded.All(r => r);
        }

        private static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

        private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// True when MSBuild says a warning code of this kernel is an error (-warnaserror:CODE, MSBuildWarningsAsErrors).
        /// A plain -warnaserror is applied by the logger after the fact and not visible here; the warnings recorded
        /// in the state and repeated by every later build make that case fail consistently too.
        /// </summary>
        private bool HasWarningTreatedAsError(KernelCompileResult result)
        {
            if (!(BuildEngine is IBuildEngine8 engine)) return false;
            bool nvrtcWarning = result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning && engine.ShouldTreatWarningAsError(d.Code));
            bool scanWarning = result.Dependencies != null && result.Dependencies.Warnings.Count > 0 && engine.ShouldTreatWarningAsError(KbErrors.UnresolvedInclude);
            return nvrtcWarning || scanWarning;
        }

        private void LogDiagnostics(KernelCompileResult result)
        {
            string source = result.Settings.SourcePath;
            bool loggedError = result.Errors.Count > 0 || result.Faults.Count > 0;
            foreach (KernelFault fault in result.Faults)
            {
                BuildLog.LogError(fault.Code, fault.File ?? source, fault.Line, fault.Message);
            }
            foreach (EntrySignature entry in result.Signatures.Where(e => e.Problem != null))
            {
                BuildLog.LogWarning(KbErrors.SignatureUnavailable, source, entry.Line, 0,
                    "Entry point " + entry.CppName + " gets no typed launcher: " + entry.Problem + ". Launch it through CudaModule.GetKernel(\"" + entry.EntryPoint + "\").");
            }
            foreach (NvrtcDiagnostic d in result.Diagnostics)
            {
                string file = d.File ?? ProjectFileForDiagnostics;
                loggedError |= d.Severity == DiagnosticSeverity.Error;
                if (d.Severity == DiagnosticSeverity.Error)
                    BuildLog.LogError(d.Code, file, d.Line, d.Column, d.Message);
                else if (d.Severity == DiagnosticSeverity.Warning)
                    BuildLog.LogWarning(d.Code, file, d.Line, d.Column, d.Message);
                else
                    BuildLog.LogMessage(d.Code, file, d.Line, d.Column, d.Message);
            }
            foreach (string error in result.Errors)
            {
                LogProjectError(KbErrors.InvalidOptions, "Compiling " + source + " failed: " + error + ". Check CudaArchitectures, CudaAdditionalOptions and the kernel's metadata.");
            }
            if (!result.Succeeded && !loggedError)
            {
                BuildLog.LogError(KbErrors.CompileFailed, source, 0, "NVRTC failed to compile " + source + " without saying why.");
            }
            if (result.Dependencies != null)
            {
                foreach (ScanDiagnostic warning in result.Dependencies.Warnings)
                {
                    BuildLog.LogWarning(KbErrors.UnresolvedInclude, warning.File, warning.Line, 0,
                        warning.Message + " KernelBuild cannot tell which file this includes, so " + result.Settings.RelativePath
                        + " is rebuilt on every build. Use a plain #include \"file\", or macros defined in the sources or CudaDefineConstants.");
                }
            }
        }

        /// <summary>
        /// Records what the scan saw of a file: the stamp taken before it read the bytes, and their hash. A write after
        /// that stat, even one racing NVRTC, changes the stamp, so the next build hashes the file and rebuilds. Kernels
        /// share one entry per file; when two kernels of this build saw different bytes (the file was saved between
        /// their scans), no single (stamp, hash) pair is true for both, so the entry is made one that matches nothing
        /// and every kernel that reads the file is rebuilt next time.
        /// </summary>
        private void RecordDependency(BuildState state, ScannedFile file)
        {
            if (_recordedThisBuild.TryGetValue(file.Path, out string? seen) && seen != file.Sha256)
            {
                state.Files[file.Path] = new TrackedFile(file.Path, file.StampBeforeRead.Unverified(), s_changedDuringBuildHash);
                return;
            }
            if (seen == null)
            {
                _recordedThisBuild[file.Path] = file.Sha256;
                state.Files[file.Path] = new TrackedFile(file.Path, file.StampBeforeRead, file.Sha256);
            }
        }

        private OutputRecord WriteOutput(string relativePath, byte[] bytes, string architecture, OutputKind kind)
        {
            string path = Path.Combine(OutputDirectory, relativePath);
            AtomicFile.WriteIfChanged(path, bytes);
            return new OutputRecord
            {
                Architecture = architecture,
                Kind = kind,
                RelativePath = relativePath,
                Stamp = FileStamp.Of(path),
                Sha256 = ContentHash.Of(bytes),
            };
        }

        /// <summary>Deletes a kernel's recorded outputs; false when one could not be deleted (KB4001 logged).</summary>
        private bool DeleteOutputs(KernelRecord record)
        {
            bool deletedAll = true;
            foreach (OutputRecord output in record.Outputs)
            {
                deletedAll &= TryDelete(Path.Combine(OutputDirectory, output.RelativePath));
            }
            return deletedAll;
        }

        /// <summary>Deletes a file if present; logs KB4001 and returns false when it cannot.</summary>
        private bool TryDelete(string path) => TryWrite(path, () => AtomicFile.DeleteIfExists(path));

        /// <summary>The manifest's path as recorded in the state (see <see cref="CudaKernelTaskBase.RelativeToOutput"/>).</summary>
        private string ManifestRelativePath => RelativeToOutput(PathOrDefault(ManifestFile, Formats.KernelResources.ManifestFileName));

        /// <summary>
        /// The signature index from the current kernels' signature files, as written (only when its text changes, so
        /// that the C# compile is not redone for nothing). Read back from the files rather than kept in the state: at
        /// 500 kernels that is a few milliseconds, and only in builds that compile. A kernel without a launcher
        /// (<c>GenerateLauncher="false"</c>) is left out: the generator makes a class for each part of the index.
        /// </summary>
        private OutputRecord? WriteSignatureIndex(BuildPlan plan, BuildState state)
        {
            var files = new List<string>();
            foreach (KernelPlan kernel in plan.Kernels.Where(k => k.Settings.ReadSignatures).OrderBy(k => k.Settings.RelativePath, StringComparer.Ordinal))
            {
                if (!state.Kernels.TryGetValue(kernel.Settings.RelativePath, out KernelRecord? record)) continue; // failed: no signatures
                OutputRecord? signatures = record.Outputs.FirstOrDefault(o => o.Kind == OutputKind.Signatures);
                if (signatures != null) files.Add(File.ReadAllText(Path.Combine(OutputDirectory, signatures.RelativePath), Encoding.UTF8));
            }
            return WriteOutput(RelativeToOutput(SignatureIndexPath), Encoding.UTF8.GetBytes(KernelSignatureFile.Index(files)), "-", OutputKind.SignatureIndex);
        }

        /// <summary>With no launcher wanted, an index left from before would describe kernels as they were: gone.</summary>
        private OutputRecord? DeleteSignatureIndex()
        {
            AtomicFile.DeleteIfExists(SignatureIndexPath);
            return null;
        }

        private string BundlePath => PathOrDefault(BundleFile, Formats.KernelResources.EmbeddedBundle);

        /// <summary>
        /// The kernel bundle, from this build's manifest and the images it lists (docs/formats.md), as written (only when
        /// its bytes change, so that the C# compile that embeds it is not redone for nothing). Reading the images back
        /// costs a few milliseconds at 500 kernels, and only in builds that compile. A bundle is always written: the
        /// C# compile embeds it, or it is copied beside the assembly (EmbedCudaKernels=false).
        /// </summary>
        private OutputRecord WriteBundle(byte[] manifest)
        {
            string origin = "the KernelBuild manifest '" + Path.Combine(OutputDirectory, ManifestRelativePath) + "'";
            byte[] bytes = KernelBundleArchive.Of(manifest, origin, OutputDirectory);
            return WriteOutput(RelativeToOutput(BundlePath), bytes, "-", OutputKind.Bundle);
        }

        /// <summary>With no kernels left there is nothing to embed; a bundle left from before would describe kernels as they were.</summary>
        private OutputRecord? DeleteBundle()
        {
            AtomicFile.DeleteIfExists(BundlePath);
            return null;
        }

        /// <summary>The manifest of the kernels the state records (a failed kernel has no record and is left out).</summary>
        private static byte[] ManifestBytes(BuildPlan plan, BuildState state)
        {
            var kernels = new List<Formats.ManifestKernelEntry>();
            foreach (KernelPlan kernel in plan.Kernels)
            {
                if (!state.Kernels.TryGetValue(kernel.Settings.RelativePath, out KernelRecord? record)) continue;
                var images = kernel.Images.Select(image => new Formats.ManifestImageEntry(
                    image.Architecture.Architecture, image.ResourceName, record.Outputs.First(o => o.RelativePath == image.RelativePath).Sha256));
                kernels.Add(new Formats.ManifestKernelEntry(kernel.Settings.RelativePath, record.EntryPoints.ToList(), images.ToList()));
            }
            string json = Formats.ManifestWriter.Write(new Formats.Manifest(state.Compiler?.Name ?? "NVRTC", kernels));
            return Encoding.UTF8.GetBytes(json);
        }
    }
}
