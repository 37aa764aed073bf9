using System;
using System.Collections.Generic;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// What the full check saw the last time it found every kernel up to date: the digest of its inputs (the task's
    /// parameters and the kernels' items), where NVRTC was found, and the stamp of every file it read a decision from.
    /// The check is a function of exactly these, so while each one is as recorded its answer is "up to date" again,
    /// and <c>CheckCudaKernels</c> gives it without reading the state or the kernels' settings (docs/design.md,
    /// "The up-to-date record"). Written only by the check, read only by the check (<see cref="UpToDateRecordFile"/>).
    /// </summary>
    internal sealed class UpToDateRecord
    {
        /// <summary>The task assembly that wrote it (<c>CompilerIdentity.TaskVersion</c>).</summary>
        public string TaskVersion { get; set; } = "";

        /// <summary>The digest of the check's parameters and of every kernel item with the metadata it reads.</summary>
        public string Inputs { get; set; } = "";

        /// <summary>The NVRTC library the search found, as a full path.</summary>
        public string CompilerPath { get; set; } = "";

        /// <summary>How many kernels were checked: the "up to date" message names it.</summary>
        public int KernelCount { get; set; }

        /// <summary>The images the check hands to MSBuild, in the check's order.</summary>
        public List<RecordedImage> Images { get; } = new List<RecordedImage>();

        /// <summary>The warnings of the current kernels, said again on every build as the full check does.</summary>
        public List<RecordedWarning> Warnings { get; } = new List<RecordedWarning>();

        /// <summary>Sources and headers, with their bytes' SHA-256: a file touched without a change still agrees.</summary>
        public List<TrackedFile> Dependencies { get; } = new List<TrackedFile>();

        /// <summary>
        /// Files whose stamp must be exactly as recorded: outputs, the manifest, the signature index, NVRTC's files, the
        /// state, the compile target's stamp and the options cache. Any difference sends the check down its full path,
        /// which knows what the difference means.
        /// </summary>
        public List<StampedFile> Files { get; } = new List<StampedFile>();

        /// <summary>Include probes that found nothing; one that now finds a file may shadow a header.</summary>
        public List<string> AbsentProbes { get; } = new List<string>();

        // What AddKernel has added, so that each file is stat'ed once however many kernels share it.
        private readonly HashSet<string> _addedDependencies = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _addedProbes = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Adds what the full check read of one kernel in <paramref name="state"/>: its dependencies with their
        /// stamps and hashes, its absent probes, its outputs (under <paramref name="outputDirectory"/>) and its warnings.
        /// </summary>
        public void AddKernel(KernelRecord kernel, BuildState state, string outputDirectory)
        {
            Warnings.AddRange(kernel.Warnings);
            foreach (string path in kernel.Dependencies)
            {
                if (_addedDependencies.Add(path)) Dependencies.Add(state.Files[path]);
            }
            foreach (string probe in kernel.AbsentProbes)
            {
                if (_addedProbes.Add(probe)) AbsentProbes.Add(probe);
            }
            foreach (OutputRecord output in kernel.Outputs) AddOutput(output, outputDirectory);
        }

        /// <summary>Adds an output, whose stamp must stay as recorded.</summary>
        public void AddOutput(OutputRecord output, string outputDirectory) =>
            Files.Add(new StampedFile(System.IO.Path.Combine(outputDirectory, output.RelativePath), output.Stamp));

        /// <summary>
        /// Starts stating every file of the record, on a second thread and on the caller's when it waits
        /// (<see cref="FirstDifference"/> reads them).
        /// </summary>
        public RecordedFileStats StartStats()
        {
            int count = Files.Count + AbsentProbes.Count + Dependencies.Count;
            var paths = new string[count];
            var kinds = new RecordedFileStats.Kind[count];
            int i = 0;
            foreach (StampedFile file in Files) paths[i++] = file.Path;
            foreach (string probe in AbsentProbes) paths[i++] = probe;
            foreach (TrackedFile file in Dependencies) paths[i++] = file.Path;
            // Kind.Output is 0 (the default): only the others are set.
            for (int p = Files.Count; p < Files.Count + AbsentProbes.Count; p++) kinds[p] = RecordedFileStats.Kind.Probe;
            for (int d = Files.Count + AbsentProbes.Count; d < count; d++) kinds[d] = RecordedFileStats.Kind.Dependency;
            return RecordedFileStats.Start(paths, kinds);
        }

        /// <summary>
        /// Null when every file is as recorded, a touched dependency (a new stamp, the same bytes) counting as
        /// unchanged; else the first difference, in words. A touched dependency gets its new stamp here, and
        /// <paramref name="touched"/> says that the record is worth writing again. The stamps come from
        /// <paramref name="stats"/>, from <see cref="StartStats"/>.
        /// </summary>
        public string? FirstDifference(RecordedFileStats stats, out bool touched)
        {
            touched = false;
            stats.Wait();
            int i = 0;
            foreach (StampedFile file in Files)
            {
                FileStamp now = stats.StampAt(i++);
                if (!now.Equals(file.Stamp)) return file.Path + (now.Exists ? " changed" : " is missing");
            }
            foreach (string probe in AbsentProbes)
            {
                if (stats.StampAt(i++).Exists) return probe + " was created";
            }
            foreach (TrackedFile file in Dependencies)
            {
                // As the staleness checker decides: the stamp was taken before the hash reads the bytes.
                FileStamp now = stats.StampAt(i++);
                if (now.Equals(file.Stamp)) continue;
                if (!now.Exists) return file.Path + " was deleted or renamed";
                if (ContentHash.OfFile(file.Path) != file.Sha256) return file.Path + " changed";
                file.Stamp = now;
                touched = true;
            }
            return null;
        }
    }

    /// <summary>A file and its stamp (absolute path).</summary>
    internal sealed class StampedFile
    {
        public StampedFile(string path, FileStamp stamp)
        {
            Path = path;
            Stamp = stamp;
        }

        public string Path { get; }
        public FileStamp Stamp { get; set; }
    }

    /// <summary>An image as the check's <c>Images</c> output describes it.</summary>
    internal sealed class RecordedImage
    {
        public RecordedImage(string architecture, string resourceName, string relativePath)
        {
            Architecture = architecture;
            ResourceName = resourceName;
            RelativePath = relativePath;
        }

        /// <summary>compute_XX or sm_XX.</summary>
        public string Architecture { get; }

        /// <summary>The manifest resource name the runtime loads it by.</summary>
        public string ResourceName { get; }

        /// <summary>Relative to the output folder, '/'-separated.</summary>
        public string RelativePath { get; }
    }
}
