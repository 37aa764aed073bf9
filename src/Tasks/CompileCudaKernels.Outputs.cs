using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.Scanning;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Each compiled kernel's files (images, .d file, signature file), written after the last compile, and its record
    /// in the state.
    /// </summary>
    /// <remarks>
    /// After the last compile, not as each kernel finishes: on a machine with as many cores as lanes, everything this
    /// process does while the lanes compile takes CPU from them, and writing a kernel's files here ran code that .NET
    /// then recompiled at tier 1 beside the lanes. Since the workers take whole kernels, writing after the last
    /// compile, 4 kernels at a time, is faster: a full build of 100 light kernels 5.78 → 5.51 s, the compile step
    /// 4.57 → 4.21 s plus 0.12 s of writes (medians of 5 interleaved builds); of 500, 23.62 → 22.78 s (7 builds),
    /// 0.64 s of writes (docs/benchmarks.md, fourteenth round; 8 at a time was no faster). Errors are still logged as
    /// each kernel finishes. The results are held until then either way: the remote cache uploads them afterwards.
    /// </remarks>
    public sealed partial class CompileCudaKernels
    {
        /// <summary>
        /// How many kernels' files are written at once. Their time is mostly creating and renaming the files (at 500
        /// kernels the same with the flushes to the disk or without, docs/benchmarks.md, fifteenth round), which
        /// overlaps across a few threads.
        /// </summary>
        internal const int OutputWriters = 4;

        /// <summary>What writing one kernel's files gave: their records, or the failure that stopped it.</summary>
        private sealed class KernelOutputs
        {
            public KernelOutputs(List<OutputRecord> records) => Records = records;
            public KernelOutputs(Exception failure) => Failure = failure;

            public List<OutputRecord>? Records { get; }
            /// <summary>An <see cref="IOException"/>, <see cref="UnauthorizedAccessException"/> or <see cref="UnrepresentablePathException"/>.</summary>
            public Exception? Failure { get; }
        }

        /// <summary>
        /// Writes the files of the kernels to write, then records each kernel in the state, in order, or makes sure
        /// nothing of it is left to look current. Element i: kernel i is recorded (false: it failed).
        /// </summary>
        private bool[] WriteAndRecordAll(List<KernelPlan> kernels, KernelCompileResult[] results, bool[] toWrite, BuildState state)
        {
            var writing = Stopwatch.StartNew();
            KernelOutputs?[] outputs = WriteAllOutputs(kernels, results, toWrite);
            var recorded = new bool[kernels.Count];
            for (int i = 0; i < kernels.Count; i++)
            {
                recorded[i] = Record(kernels[i], results[i], outputs[i], state);
            }
            Log.LogMessage(MessageImportance.Low, "Wrote the kernels' outputs in {0} s after the last compile ({1} at a time).", Seconds(writing.Elapsed), OutputWriters);
            return recorded;
        }

        /// <summary>Records a kernel whose outputs were written; otherwise makes sure nothing of it is left to look current. False when it failed.</summary>
        private bool Record(KernelPlan kernel, KernelCompileResult result, KernelOutputs? outputs, BuildState state)
        {
            if (outputs?.Records != null)
            {
                RecordKernel(kernel, result, outputs.Records, state);
                Log.LogMessage(MessageImportance.Low, "  {0}: {1} s ({6} ms of it scanning includes, {2} s of it reading signatures; {3} of {4} entry points by a separate probe), {5} files read.", kernel.Settings.RelativePath,
                    Seconds(result.Elapsed), Seconds(result.SignatureElapsed), result.SeparatelyProbed, result.EntryPoints.Count, result.Dependencies!.Files.Count, Milliseconds(result.ScanElapsed));
                return true;
            }
            if (outputs?.Failure is UnrepresentablePathException unrepresentable)
            {
                // A path the .d file cannot hold (docs/formats.md): refuse rather than write a file make misreads.
                BuildLog.LogError(KbErrors.UnrepresentablePath, kernel.Settings.SourcePath, 0,
                    unrepresentable.Message + " Rename the file or folder, or move it, so that its path has no line break or tab and does not end with a space or backslash.");
            }
            else if (outputs?.Failure != null)
            {
                BuildLog.LogWriteFailure(kernel.Settings.SourcePath, OutputDirectory, outputs.Failure);
            }
            // Nothing a failed compile leaves behind may look current to a later build.
            if (state.Kernels.TryGetValue(kernel.Settings.RelativePath, out KernelRecord? old))
            {
                DeleteOutputs(old);
                state.Kernels.Remove(old.RelativePath);
            }
            foreach (PlannedImage image in kernel.Images)
            {
                TryDelete(Path.Combine(OutputDirectory, image.RelativePath));
            }
            return false;
        }

        /// <summary>Writes the files of kernel i where <paramref name="toWrite"/>[i]; null for the others. Logs nothing (other threads write).</summary>
        private KernelOutputs?[] WriteAllOutputs(List<KernelPlan> kernels, KernelCompileResult[] results, bool[] toWrite)
        {
            var outputs = new KernelOutputs?[kernels.Count];
            Parallel.For(0, kernels.Count, new ParallelOptions { MaxDegreeOfParallelism = OutputWriters }, i =>
            {
                if (!toWrite[i]) return;
                try
                {
                    outputs[i] = new KernelOutputs(WriteKernelOutputs(kernels[i], results[i]));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is UnrepresentablePathException)
                {
                    outputs[i] = new KernelOutputs(e);
                }
            });
            return outputs;
        }

        /// <summary>Writes one kernel's images, .d file and signature file (only the bytes that changed).</summary>
        private List<OutputRecord> WriteKernelOutputs(KernelPlan plan, KernelCompileResult result)
        {
            var records = new List<OutputRecord>();
            foreach (PlannedImage image in plan.Images)
            {
                byte[] bytes = result.Images[image.Architecture];
                records.Add(WriteOutput(image.RelativePath, bytes, image.Architecture.Name, OutputKinds.OfImage(image.Architecture.IsCubin)));
            }
            string firstImage = Path.Combine(OutputDirectory, plan.Images[0].RelativePath);
            string depfile = DependencyFile.Format(firstImage, result.Dependencies!.Files.Select(f => f.Path));
            records.Add(WriteOutput(plan.DependencyFileRelativePath, Encoding.UTF8.GetBytes(depfile), "-", OutputKind.DependencyFile));
            string signatures = KernelSignatureFile.Format(plan.Settings.RelativePath, plan.Settings.SourcePath, result.SignatureEntryLines);
            records.Add(WriteOutput(plan.SignatureFileRelativePath, Encoding.UTF8.GetBytes(signatures), "-", OutputKind.Signatures));
            return records;
        }

        /// <summary>Records a kernel whose files were written: what it read, what it wrote, its entry points and warnings.</summary>
        private void RecordKernel(KernelPlan plan, KernelCompileResult result, List<OutputRecord> outputs, BuildState state)
        {
            IncludeScanResult dependencies = result.Dependencies!;
            var record = new KernelRecord { RelativePath = plan.Settings.RelativePath, Fingerprint = plan.Fingerprint, Complete = dependencies.Complete };
            record.EntryPoints.AddRange(result.EntryPoints);
            record.Warnings.AddRange(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning)
                .Select(d => new RecordedWarning(d.Code, d.File ?? "", d.Line, d.Message)));
            record.Outputs.AddRange(outputs);
            foreach (ScannedFile file in dependencies.Files)
            {
                RecordDependency(state, file);
                record.Dependencies.Add(file.Path);
            }
            record.AbsentProbes.AddRange(dependencies.AbsentProbes);

            if (state.Kernels.TryGetValue(record.RelativePath, out KernelRecord? previous))
            {
                // Outputs of architectures no longer asked for must not linger.
                foreach (OutputRecord old in previous.Outputs.Where(o => !record.Outputs.Any(n => n.RelativePath == o.RelativePath)))
                {
                    TryDelete(Path.Combine(OutputDirectory, old.RelativePath));
                }
            }
            state.Kernels[record.RelativePath] = record;
        }
    }
}
