using System;
using System.Threading;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Starts, early in the build, the part of <see cref="CheckCudaKernels"/>' no-op path that nothing before the
    /// check can change, on a pool thread: reading the up-to-date record, searching for NVRTC, and stating the files
    /// the record stamps (KernelBuild's outputs, the state, NVRTC's files). The check takes the result
    /// (<see cref="EarlyRecordRead"/>) instead of doing that work itself. Why: MSBuild's own work before the check
    /// (PrepareForBuild to ResolveReferences, about 50 ms of a no-op) runs on one core, and the second one is idle.
    /// At 500 kernels the record is 0.5 MB and stamps 1 500 outputs of 3 200 files; reading it took the check
    /// 4–13 ms and the search 1–2 ms (docs/benchmarks.md, "Eleventh round").
    /// Sources, headers and include probes are left to the check: a target of the project (a header generator) may
    /// write them at any point before it. Never fails the build: whatever goes wrong, the check does the work itself.
    /// </summary>
    public sealed class StartCudaKernelCheck : Task
    {
        /// <summary>The project folder, against which a relative <see cref="UpToDateRecordFile"/> is resolved.</summary>
        [Required] public string ProjectDirectory { get; set; } = "";

        /// <summary>The up-to-date record the check will read (its UpToDateRecordFile).</summary>
        [Required] public string UpToDateRecordFile { get; set; } = "";

        /// <summary>The check's NvrtcPath.</summary>
        public string? NvrtcPath { get; set; }

        public override bool Execute()
        {
            if (BuildEngine is IBuildEngine4 engine)
            {
                string recordPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(ProjectDirectory, UpToDateRecordFile));
                var read = EarlyRecordRead.Start(recordPath, NvrtcPath);
                engine.RegisterTaskObject(EarlyRecordRead.KeyFor(recordPath), read, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: true);
            }
            return true;
        }
    }

    /// <summary>
    /// The up-to-date record, read, NVRTC searched for and the stamps of the record's <see cref="UpToDateRecord.Files"/>
    /// taken, on a pool thread (<see cref="StartCudaKernelCheck"/>). Whoever comes first does the work: the pool
    /// thread, or the check in <see cref="Complete"/> when the pool has not begun it, so a busy pool only makes the
    /// check do it itself.
    /// </summary>
    internal sealed class EarlyRecordRead
    {
        private readonly string _recordPath;
        private readonly ManualResetEventSlim _done = new ManualResetEventSlim();
        private int _claimed;

        private EarlyRecordRead(string recordPath, string? nvrtcPath)
        {
            _recordPath = recordPath;
            NvrtcPath = nvrtcPath;
        }

        /// <summary>The NvrtcPath the search was made for.</summary>
        public string? NvrtcPath { get; }

        /// <summary>True when the work failed: the check then does it again itself.</summary>
        public bool Failed { get; private set; }

        /// <summary>The record; null when there was none, or it could not be read.</summary>
        public UpToDateRecord? Record { get; private set; }

        /// <summary>The stamps of the record's <see cref="UpToDateRecord.Files"/>, in order; null without a record.</summary>
        public FileStamp[]? FileStamps { get; private set; }

        /// <summary>Where the search found NVRTC; null when the work failed.</summary>
        public NvrtcLocation? Location { get; private set; }

        /// <summary>The key the check finds it by: the record's full path.</summary>
        public static string KeyFor(string recordPath) => "KernelBuild early record read " + recordPath;

        public static EarlyRecordRead Start(string recordPath, string? nvrtcPath)
        {
            var read = new EarlyRecordRead(recordPath, nvrtcPath);
            ThreadPool.UnsafeQueueUserWorkItem(_ => read.RunOnce(), null);
            return read;
        }

        /// <summary>Returns once the work is done, doing it on this thread if no other has begun it.</summary>
        public void Complete()
        {
            RunOnce();
            _done.Wait();
        }

        private void RunOnce()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0) return;
            try
            {
                Location = NvrtcLocator.ForThisMachine().Locate(NvrtcPath);
                UpToDateRecord? record = State.UpToDateRecordFile.TryRead(_recordPath);
                if (record != null)
                {
                    var stamps = new FileStamp[record.Files.Count];
                    for (int i = 0; i < stamps.Length; i++) stamps[i] = FileStamp.Of(record.Files[i].Path);
                    FileStamps = stamps;
                }
                Record = record;
            }
            catch (Exception)
            {
                // An exception must not end the build process from a pool thread; the check reads and stats again,
                // where an error surfaces as it always did.
                Failed = true;
            }
            finally
            {
                _done.Set();
            }
        }
    }
}
