using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Stats every file a previous state records (dependencies, absent include probes, outputs) on a second thread,
    /// started as soon as the state is read, while the planner identifies the compiler and reads the kernels'
    /// settings. The <see cref="StalenessChecker"/> then takes its stamps from here instead of making each stat when
    /// it gets to it. Why: on a no-op at N = 500 the stats (about 3 000 <c>statx</c> calls) took 16–22 ms and the
    /// compiler and settings 10–22 ms, one after the other, on a machine with a second core idle. The up-to-date
    /// record's files are stat'ed the same way, given as a list (<see cref="Start(string[], Kind[])"/>).
    /// Nothing here decides anything: a path that was not stat'ed here (not recorded, or the thread failed) is
    /// stat'ed by the caller as before, and each stamp is taken the way the checker would take it.
    /// </summary>
    internal sealed class RecordedFileStats
    {
        /// <summary>How a path is stat'ed: as <see cref="DependencyStamp"/>, <see cref="OutputStamp"/> or <see cref="ProbeExists"/> does.</summary>
        internal enum Kind : byte { Output, Dependency, Probe }

        // Written by the thread before it publishes _paths; read-only afterwards.
        private readonly Dictionary<string, int> _dependencies = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _probes = new Dictionary<string, int>(StringComparer.Ordinal);
        // Grown while the worker lists a state's paths; then fixed, as _kinds.
        private readonly List<Kind> _listedKinds = new List<Kind>();
        private Kind[] _kinds = new Kind[0];
        // Each index is claimed once (Interlocked) by the thread or by the caller in Wait, and its result written there.
        private volatile string[]? _paths;
        private FileStamp[] _stamps = new FileStamp[0];
        private int _next = -1;
        private int _completed;
        // Set once the paths are published, or the listing failed. Whoever comes first lists them (ListOnce).
        private readonly ManualResetEventSlim _listed = new ManualResetEventSlim();
        private int _listingClaimed;
        private volatile bool _failed;
        private readonly Action<RecordedFileStats, List<string>>? _listPaths;

        private RecordedFileStats(Action<RecordedFileStats, List<string>>? listPaths) => _listPaths = listPaths;

        /// <summary>
        /// A pool thread, not a thread of its own: MSBuild's process has idle pool threads, and starting a thread
        /// took 1.5–2 ms of the check at N = 500. Nothing waits for the worker as such: the caller lists the paths
        /// if the worker has not begun to, and claims whatever is left to stat, so a worker that starts late (a busy
        /// pool) only finds less to do.
        /// </summary>
        private void StartWorker() => ThreadPool.UnsafeQueueUserWorkItem(_ => Run(), null);

        /// <summary>Starts stating what <paramref name="previous"/> records; <see cref="Wait"/> before reading a stamp.</summary>
        public static RecordedFileStats Start(BuildState previous, string outputDirectory) => Start((stats, paths) =>
        {
            foreach (string path in previous.Files.Keys) stats.Add(stats._dependencies, Kind.Dependency, path, paths);
            stats.AddOutput(previous.Manifest, outputDirectory, paths);
            stats.AddOutput(previous.SignatureIndex, outputDirectory, paths);
            stats.AddOutput(previous.Bundle, outputDirectory, paths);
            foreach (KernelRecord kernel in previous.Kernels.Values)
            {
                foreach (OutputRecord output in kernel.Outputs) stats.AddOutput(output, outputDirectory, paths);
                foreach (string probe in kernel.AbsentProbes) stats.Add(stats._probes, Kind.Probe, probe, paths);
            }
        });

        /// <summary>
        /// Starts stating <paramref name="paths"/>, each as its kind says, read back by position
        /// (<see cref="StampAt"/>). They are published at once, so the caller helps from its first call to
        /// <see cref="Wait"/>: no index is built, as the up-to-date record, which stats this way, needs none (building
        /// one for its 3 000 paths took the thread 7–10 ms at N = 500).
        /// </summary>
        public static RecordedFileStats Start(string[] paths, Kind[] kinds)
        {
            var stats = new RecordedFileStats(null) { _kinds = kinds, _stamps = new FileStamp[paths.Length] };
            stats._paths = paths;
            stats._listed.Set();
            stats.StartWorker();
            return stats;
        }

        /// <summary>The stamp of the path at <paramref name="index"/> of those given to <see cref="Start(string[], Kind[])"/>;
        /// a probe's says whether it now exists. After <see cref="Wait"/>.</summary>
        public FileStamp StampAt(int index) => _failed ? StampOf(_kinds[index], _paths![index]) : _stamps[index];

        private static RecordedFileStats Start(Action<RecordedFileStats, List<string>>? listPaths)
        {
            var stats = new RecordedFileStats(listPaths);
            stats.StartWorker();
            return stats;
        }

        /// <summary>
        /// Stops stating: what is left unclaimed is never stat'ed. For a caller that no longer needs the stamps, so
        /// that the thread does not compete for the cores with the work that follows.
        /// </summary>
        public void Abandon()
        {
            // Far above any path count, and far below overflow however often it is incremented after this.
            Interlocked.Exchange(ref _next, 1 << 30);
        }

        /// <summary>
        /// Stats what is left on the caller's thread too, then waits for the stats the worker has in hand: the caller
        /// comes here when it has nothing else to do, and two threads finish the stats sooner than one.
        /// </summary>
        public void Wait()
        {
            ListOnce();
            _listed.Wait();
            string[]? paths = _paths;
            if (paths == null) return; // the worker failed to list them: every stamp is taken when asked for
            StatClaimed();
            var spin = new SpinWait();
            while (!_failed && Volatile.Read(ref _completed) < paths.Length) spin.SpinOnce();
        }

        /// <summary>The dependency's stamp as <see cref="FileStamp.BeforeRead"/> took it here, or a fresh one.</summary>
        public FileStamp DependencyStamp(string path) =>
            TryGet(_dependencies, path, out FileStamp stamp) ? stamp : FileStamp.BeforeRead(path);

        /// <summary>The output's stamp (<paramref name="path"/> as combined with the output folder), or a fresh one.</summary>
        public FileStamp OutputStamp(string path) =>
            TryGet(_outputs, path, out FileStamp stamp) ? stamp : FileStamp.Of(path);

        /// <summary>Whether an absent probe now exists, as <see cref="IncludeScanner.AbsentProbeNowExists"/> says.</summary>
        public bool ProbeExists(string path) =>
            TryGet(_probes, path, out FileStamp found) ? found.Exists : IncludeScanner.AbsentProbeNowExists(path);

        private bool TryGet(Dictionary<string, int> index, string path, out FileStamp stamp)
        {
            stamp = default;
            if (_failed || _paths == null || !index.TryGetValue(path, out int i)) return false;
            stamp = _stamps[i];
            return true;
        }

        private void Run()
        {
            ListOnce();
            _listed.Wait();
            if (!_failed && _paths != null) StatClaimed();
        }

        /// <summary>Lists and publishes the paths, unless given at the start or already claimed by the other thread.</summary>
        private void ListOnce()
        {
            if (_listPaths == null || Interlocked.Exchange(ref _listingClaimed, 1) != 0) return;
            try
            {
                var paths = new List<string>();
                _listPaths(this, paths);
                _stamps = new FileStamp[paths.Count];
                _kinds = _listedKinds.ToArray();
                _paths = paths.ToArray(); // published: from here on both threads may stat
            }
            catch (Exception)
            {
                // Whatever went wrong (a path the file system refuses), the checker stats again on its own thread,
                // where an error surfaces as it always did. An exception must not end the build process from here.
                _failed = true;
            }
            finally
            {
                _listed.Set();
            }
        }

        private void Add(Dictionary<string, int> index, Kind kind, string path, List<string> paths)
        {
            if (index.ContainsKey(path)) return;
            index[path] = paths.Count;
            paths.Add(path);
            _listedKinds.Add(kind);
        }

        private void AddOutput(OutputRecord? output, string outputDirectory, List<string> paths)
        {
            if (output != null) Add(_outputs, Kind.Output, Path.Combine(outputDirectory, output.RelativePath), paths);
        }

        private static FileStamp StampOf(Kind kind, string path) => kind switch
        {
            Kind.Dependency => FileStamp.BeforeRead(path),
            Kind.Output => FileStamp.Of(path),
            // Not a stamp: whether the probe now exists, as the scanner decides it.
            _ => IncludeScanner.AbsentProbeNowExists(path) ? new FileStamp(true, 0, 0, 0, 0) : FileStamp.Missing,
        };

        /// <summary>Stats the paths not yet claimed, one claim at a time, on whichever thread calls it.</summary>
        private void StatClaimed()
        {
            string[] paths = _paths!;
            try
            {
                for (int i = Interlocked.Increment(ref _next); i < paths.Length; i = Interlocked.Increment(ref _next))
                {
                    _stamps[i] = StampOf(_kinds[i], paths[i]);
                    Interlocked.Increment(ref _completed);
                }
            }
            catch (Exception)
            {
                _failed = true; // as in Run: the checker stats for itself
            }
        }
    }
}
