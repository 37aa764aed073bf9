using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// The check's shortcut (docs/design.md, "The up-to-date record"). When the full check finds every kernel up to
    /// date, it records what it decided that from; the next check that finds all of it unchanged answers "up to date"
    /// without reading the state or the kernels' settings. On a no-op at 500 kernels the full check took about 40 ms and
    /// the answer from the record 13–23 ms, most of it the same 3 000 stats (docs/benchmarks.md, "Sixth round").
    /// </summary>
    public sealed partial class CheckCudaKernels
    {
        /// <summary>The up-to-date record; <c>KernelBuild.uptodate</c> in the output folder when not given.</summary>
        public string? UpToDateRecordFile { get; set; }

        private string UpToDateRecordPath => PathOrDefault(UpToDateRecordFile, State.UpToDateRecordFile.FileName);

        /// <summary>The record that answered this check, when one did.</summary>
        private UpToDateRecord? _answeredBy;

        /// <summary>The record's digest of the inputs: the planning inputs and the two files only the check reads.</summary>
        private string RecordedInputs() =>
            FastHash.Of(InputsDigest() + "\n" + Path.GetFullPath(StampFile) + "\n" + Path.GetFullPath(OptionsCacheFile));

        /// <summary>
        /// True when the up-to-date record holds: the outputs are set and the build is up to date. False, having
        /// changed nothing, when there is no record or something differs from it; the full check then runs.
        /// </summary>
        private bool TryAnswerFromRecord(DateTime started, Stopwatch stopwatch)
        {
            UpToDateRecord? record = State.UpToDateRecordFile.TryRead(UpToDateRecordPath);
            if (record == null)
            {
                return false;
            }
            // The files are stat'ed on a second thread while this one digests the items and searches for NVRTC.
            RecordedFileStats stats = record.StartStats();
            string? difference = DifferenceInInputs(record);
            bool touched = false;
            if (difference != null)
            {
                stats.Abandon();
            }
            else
            {
                difference = record.FirstDifference(stats, out touched);
            }
            if (difference != null)
            {
                Log.LogMessage(MessageImportance.Low, "The up-to-date record does not hold ({0}): the kernels are checked in full.", difference);
                return false;
            }

            _answeredBy = record;
            if (touched)
            {
                SaveTouchedStamps(record, started);
            }
            foreach (RecordedWarning warning in record.Warnings)
            {
                ReplayWarning(warning);
            }
            CompileNeeded = false;
            StaleKernelCount = 0;
            SignatureIndex = SignatureIndexWanted && record.KernelCount > 0 ? SignatureIndexPath : "";
            Log.LogMessage(MessageImportance.Normal, UpToDateMessage, record.KernelCount);
            Log.LogMessage(MessageImportance.Low, "KernelBuild check of {0} kernel(s): {1:F1} ms, answered by the up-to-date record ({2} files); compile needed: False.",
                record.KernelCount, stopwatch.Elapsed.TotalMilliseconds, record.Dependencies.Count + record.Files.Count + record.AbsentProbes.Count);
            return true;
        }

        /// <summary>Null when the task, its inputs and NVRTC's location are as recorded; else what differs.</summary>
        private string? DifferenceInInputs(UpToDateRecord record)
        {
            if (record.TaskVersion != CompilerIdentity.TaskVersion) return "another build of KernelBuild's tasks";
            if (record.Inputs != RecordedInputs()) return "the kernels, their metadata or the task's parameters changed";
            // The search runs again: a variable or a newly installed toolkit may now lead to another library.
            NvrtcLocation location = NvrtcLocator.ForThisMachine().Locate(NvrtcPath);
            if (!location.Found || Path.GetFullPath(location.Path!) != record.CompilerPath) return "NVRTC is now found elsewhere";
            return null;
        }

        /// <summary>
        /// Touched, unchanged dependencies: as the full check does, the compile target's stamp is moved past the touch
        /// (Visual Studio's fast up-to-date check compares it with the dependencies), and the new stamps are saved, in
        /// the record only, so that the next build need not hash the files again.
        /// </summary>
        private void SaveTouchedStamps(UpToDateRecord record, DateTime started)
        {
            string stamp = Path.GetFullPath(StampFile);
            if (!TryWrite(stamp, () => File.SetLastWriteTimeUtc(stamp, started)))
            {
                return;
            }
            foreach (StampedFile file in record.Files.Where(f => f.Path == stamp))
            {
                file.Stamp = FileStamp.Of(stamp);
            }
            TryWriteRecord(record);
        }

        /// <summary>
        /// After the full check found no compile needed: records what it decided that from, when the plan can be
        /// recorded (<see cref="RecordOf"/>).
        /// </summary>
        private void RecordUpToDate(BuildPlan plan)
        {
            UpToDateRecord? record = RecordOf(plan);
            if (record != null)
            {
                TryWriteRecord(record);
            }
        }

        /// <summary>
        /// The record of a plan in which nothing is stale, removed or unreadable, the compiler is the recorded one
        /// and was found as a file, and each kernel's source is among its recorded dependencies; null for any other.
        /// Null too when a kernel pre-includes a file (<c>-include</c>): the full check searches for a relative name
        /// again on every build, and where it finds it is part of the kernel's options, which the record's files do
        /// not cover.
        /// </summary>
        private UpToDateRecord? RecordOf(BuildPlan plan)
        {
            BuildState? state = plan.Previous;
            if (state?.Compiler == null || plan.Compiler != state.Compiler || plan.CompilerFileStamps == null || plan.Location?.Found != true
                || plan.Kernels.Count == 0 || plan.AnyStale || plan.Unreadable.Count > 0 || !plan.StateStamp.Exists)
            {
                return null;
            }
            var record = new UpToDateRecord
            {
                TaskVersion = CompilerIdentity.TaskVersion,
                Inputs = RecordedInputs(),
                CompilerPath = Path.GetFullPath(plan.Location.Path!),
                KernelCount = plan.Kernels.Count,
            };
            foreach (KernelPlan kernel in plan.Kernels)
            {
                KernelRecord recorded = state.Kernels[kernel.Settings.RelativePath];
                if (!recorded.Dependencies.Contains(kernel.Settings.SourcePath) || PreIncludes(kernel.Settings.Options)) return null;
                record.Images.AddRange(kernel.Images.Select(i => new RecordedImage(i.Architecture.Name, i.ResourceName, i.RelativePath)));
                record.AddKernel(recorded, state, OutputDirectory);
            }
            if (state.Manifest == null || (SignatureIndexWanted && state.SignatureIndex == null) || state.Bundle == null
                || state.Compiler.Files.Count != plan.CompilerFileStamps.Count)
            {
                return null;
            }
            record.AddOutput(state.Manifest, OutputDirectory);
            if (SignatureIndexWanted) record.AddOutput(state.SignatureIndex!, OutputDirectory);
            record.AddOutput(state.Bundle, OutputDirectory);
            record.Files.AddRange(state.Compiler.Files.Select((path, i) => new StampedFile(path, plan.CompilerFileStamps[i])));
            record.Files.Add(new StampedFile(StatePath, plan.StateStamp));
            // Stat'ed now, after this check wrote them (or found them): they must exist for "up to date".
            foreach (string written in new[] { Path.GetFullPath(StampFile), Path.GetFullPath(OptionsCacheFile) })
            {
                FileStamp now = FileStamp.Of(written);
                if (!now.Exists) return null;
                record.Files.Add(new StampedFile(written, now));
            }
            return record;
        }

        private static bool PreIncludes(CudaOptions options) => options.PreIncludes.Any();

        /// <summary>The record is a shortcut: when it cannot be written, the next check runs in full, and says why.</summary>
        private void TryWriteRecord(UpToDateRecord record)
        {
            string path = UpToDateRecordPath;
            try
            {
                State.UpToDateRecordFile.Write(path, record);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is UnrepresentablePathException)
            {
                Log.LogMessage(MessageImportance.Low, "The up-to-date record {0} was not written: {1}", path, e.Message);
                DeleteOlderRecord(path);
            }
        }

        /// <summary>
        /// An older record cannot hold on Linux (each stamp holds a change time, which only moves forward), but
        /// elsewhere a stamp is a size and a time, which a restore can bring back; so it goes. When it cannot be
        /// deleted either, the folder refuses every change, and nothing a build writes there can succeed.
        /// </summary>
        private static void DeleteOlderRecord(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Nothing more to do: see above.
            }
        }
    }
}
