using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Stats every file a previous state records (dependencies, absent include probes, outputs) on a thread of its
    /// own, started as soon as the state is read, while the planner identifies the compiler and reads the kernels'
    /// settings. The <see cref="StalenessChecker"/> then takes its stamps from here instead of making each stat when
    /// it gets to it. Why: on a no-op at N = 500 the stats (about 3 000 <c>statx</c> calls) took 16–22 ms and the
    /// compiler and settings 10–22 ms, one after the other, on a machine with a second core idle.
    /// Nothing here decides anything: a path that was not stat'ed here (not recorded, or the thread failed) is
    /// stat'ed by the caller as before, and each stamp is taken the way the checker would take it.
    /// </summary>
    internal sealed class RecordedFileStats
    {
        private enum Kind : byte { Dependency, Output, Probe }

        // Written by the thread before it publishes _paths; read-only afterwards.
        private readonly Dictionary<string, int> _dependencies = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _probes = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<Kind> _kinds = new List<Kind>();
        // Each index is claimed once (Interlocked) by the thread or by the caller in Wait, and its result written there.
        private volatile string[]? _paths;
        private FileStamp[] _stamps = new FileStamp[0];
        private int _next = -1;
        private readonly Thread _thread;
        private volatile bool _failed;

        private RecordedFileStats(BuildState previous, string outputDirectory)
        {
            _thread = new Thread(() => Run(previous, outputDirectory)) { IsBackground = true, Name = "KernelBuild stats" };
        }

        /// <summary>Starts stating what <paramref name="previous"/> records; <see cref="Wait"/> before reading a stamp.</summary>
        public static RecordedFileStats Start(BuildState previous, string outputDirectory)
        {
            var stats = new RecordedFileStats(previous, outputDirectory);
            stats._thread.Start();
            return stats;
        }

        /// <summary>
        /// Stats what is left on the caller's thread too, then waits for the thread: the caller comes here when it
        /// has nothing else to do, and two threads finish the stats sooner than one.
        /// </summary>
        public void Wait()
        {
            if (_paths != null) StatClaimed();
            _thread.Join();
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

        private void Run(BuildState previous, string outputDirectory)
        {
            try
            {
                var paths = new List<string>();
                foreach (string path in previous.Files.Keys) Add(_dependencies, Kind.Dependency, path, paths);
                AddOutput(previous.Manifest, outputDirectory, paths);
                AddOutput(previous.SignatureIndex, outputDirectory, paths);
                foreach (KernelRecord kernel in previous.Kernels.Values)
                {
                    foreach (OutputRecord output in kernel.Outputs) AddOutput(output, outputDirectory, paths);
                    foreach (string probe in kernel.AbsentProbes) Add(_probes, Kind.Probe, probe, paths);
                }
                _stamps = new FileStamp[paths.Count];
                _paths = paths.ToArray(); // published: from here on the caller may help
                StatClaimed();
            }
            catch (Exception)
            {
                // Whatever went wrong (a path the file system refuses), the checker stats again on its own thread,
                // where an error surfaces as it always did. An exception must not end the build process from here.
                _failed = true;
            }
        }

        private void Add(Dictionary<string, int> index, Kind kind, string path, List<string> paths)
        {
            if (index.ContainsKey(path)) return;
            index[path] = paths.Count;
            paths.Add(path);
            _kinds.Add(kind);
        }

        private void AddOutput(OutputRecord? output, string outputDirectory, List<string> paths)
        {
            if (output != null) Add(_outputs, Kind.Output, Path.Combine(outputDirectory, output.RelativePath), paths);
        }

        /// <summary>Stats the paths not yet claimed, one claim at a time, on whichever thread calls it.</summary>
        private void StatClaimed()
        {
            string[] paths = _paths!;
            try
            {
                for (int i = Interlocked.Increment(ref _next); i < paths.Length; i = Interlocked.Increment(ref _next))
                {
                    _stamps[i] = _kinds[i] switch
                    {
                        Kind.Dependency => FileStamp.BeforeRead(paths[i]),
                        Kind.Output => FileStamp.Of(paths[i]),
                        // Not a stamp: whether the probe now exists, as the scanner decides it.
                        _ => IncludeScanner.AbsentProbeNowExists(paths[i]) ? new FileStamp(true, 0, 0, 0, 0) : FileStamp.Missing,
                    };
                }
            }
            catch (Exception)
            {
                _failed = true; // as in Run: the checker stats for itself
            }
        }
    }
}
