using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// Compiles kernels in parallel, one kernel per lane at a time. NVRTC before 12.3 serializes compiles inside one
    /// process (two threads are no faster than one; ../docs/benchmarks.md), so for those versions lanes are worker
    /// processes (KernelBuild.NvrtcWorker, beside this assembly) that scan, compile and read the signatures of the
    /// kernels they are given; from 12.3 on, NVIDIA documents concurrent compiles in one process and every lane is a
    /// thread. A single lane compiles in this process: one kernel is not worth a worker's start. A worker that cannot
    /// start or dies falls back to compiling in process: slower, never wrong.
    /// </summary>
    /// <remarks>
    /// From <see cref="AllWorkersFromKernels"/> kernels on, every lane is a worker; below, the first lane compiles in
    /// this process. The scan, the signature reading and the result handling are managed code that .NET's tiered
    /// compilation recompiles once it is hot, and in the build process that recompiling ran beside both NVRTC lanes
    /// (1.2 s of CPU in a 100-kernel build); a second worker's start costs about 0.1 s instead, which is what a
    /// 10-kernel build pays when every lane is a worker (docs/benchmarks.md, twelfth round).
    /// </remarks>
    internal sealed class CompilerPool : IDisposable
    {
        public const string WorkerFileName = "KernelBuild.NvrtcWorker.dll";

        private readonly BlockingCollection<Lane> _free = new BlockingCollection<Lane>();
        private readonly List<Lane> _all = new List<Lane>();

        /// <summary>From this many kernels in a build on, the first lane is a worker process too (see the remarks).</summary>
        public const int AllWorkersFromKernels = 32;

        /// <param name="kernels">How many kernels will be compiled: with few, the first lane stays in this process.</param>
        /// <param name="scanCache">The include scans' cache of the lanes in this process (a worker keeps its own).</param>
        public CompilerPool(NvrtcLibrary nvrtc, int lanes, int kernels, IncludeScanCache scanCache)
        {
            string? worker = WorkerCommand(out string workerArguments);
            UsesWorkerProcesses = !nvrtc.CompilesConcurrently && lanes > 1 && worker != null;
            FirstLaneInProcess = !UsesWorkerProcesses || kernels < AllWorkersFromKernels;
            for (int i = 0; i < Math.Max(1, lanes); i++)
            {
                Lane lane = UsesWorkerProcesses && (i > 0 || !FirstLaneInProcess)
                    ? new WorkerLane(nvrtc, scanCache, worker!, workerArguments)
                    : new Lane(nvrtc, scanCache);
                _all.Add(lane);
                _free.Add(lane);
            }
        }

        public bool UsesWorkerProcesses { get; }
        /// <summary>Whether the first lane compiles in this process (always so without worker processes).</summary>
        public bool FirstLaneInProcess { get; }
        public int LaneCount => _all.Count;

        /// <summary>Why a worker lane fell back to compiling in process, if one did (for the log).</summary>
        public string? FallbackReason { get; private set; }

        /// <summary>Compiles one kernel on the next free lane; blocks while all lanes are busy. Thread-safe; never throws for the kernel's own failures.</summary>
        public KernelCompileResult Compile(KernelCompileSettings settings)
        {
            Lane lane = _free.Take();
            try
            {
                KernelCompileResult result = lane.Compile(settings, out string? fallback);
                if (fallback != null) FallbackReason = fallback;
                return result;
            }
            finally
            {
                _free.Add(lane);
            }
        }

        public void Dispose()
        {
            foreach (Lane lane in _all) lane.Dispose();
            _free.Dispose();
        }

        /// <summary>The host and arguments that start a worker, or null when it cannot be started from here.</summary>
        private static string? WorkerCommand(out string arguments)
        {
            arguments = "";
            string? folder = Path.GetDirectoryName(typeof(CompilerPool).Assembly.Location);
            string worker = Path.Combine(folder ?? ".", WorkerFileName);
            if (!File.Exists(worker)) return null;

            // The .NET SDK tells tasks which host runs MSBuild; Visual Studio's MSBuild does not, so try PATH.
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (string.IsNullOrEmpty(host) || !File.Exists(host))
            {
                host = "dotnet";
            }
            arguments = "exec \"" + worker + "\"";
            return host;
        }

        /// <summary>A lane that compiles in this process.</summary>
        private class Lane : IDisposable
        {
            protected readonly NvrtcLibrary _nvrtc;
            private readonly IncludeScanCache _scanCache;

            public Lane(NvrtcLibrary nvrtc, IncludeScanCache scanCache)
            {
                _nvrtc = nvrtc;
                _scanCache = scanCache;
            }

            public virtual KernelCompileResult Compile(KernelCompileSettings settings, out string? fallback)
            {
                fallback = null;
                return CompileInProcess(settings);
            }

            protected KernelCompileResult CompileInProcess(KernelCompileSettings settings) =>
                KernelCompiler.CompileOrFail(_nvrtc, settings, _scanCache);

            public virtual void Dispose() { }
        }

        /// <summary>A lane backed by one long-lived worker process, started on first use.</summary>
        private sealed class WorkerLane : Lane
        {
            private readonly string _host;
            private readonly string _arguments;
            private Process? _process;
            private BinaryWriter? _requests;
            private BinaryReader? _responses;
            private readonly StringBuilder _stderr = new StringBuilder();
            private string? _broken;

            public WorkerLane(NvrtcLibrary nvrtc, IncludeScanCache scanCache, string host, string arguments) : base(nvrtc, scanCache)
            {
                _host = host;
                _arguments = arguments;
            }

            public override KernelCompileResult Compile(KernelCompileSettings settings, out string? fallback)
            {
                fallback = null;
                if (_broken == null)
                {
                    try
                    {
                        EnsureStarted();
                        WorkerProtocol.WriteRequest(_requests!, _nvrtc.Path, settings);
                        return WorkerProtocol.ReadResult(_responses!, settings);
                    }
                    catch (Exception e) when (e is IOException || e is InvalidDataException || e is System.ComponentModel.Win32Exception || e is InvalidOperationException || e is ObjectDisposedException)
                    {
                        lock (_stderr)
                        {
                            _broken = "compile worker failed (" + e.Message + (_stderr.Length > 0 ? "; " + _stderr.ToString().Trim() : "") + "); compiling in process instead";
                        }
                        fallback = _broken;
                        StopProcess();
                    }
                }
                return CompileInProcess(settings);
            }

            private void EnsureStarted()
            {
                if (_process != null) return;
                var start = new ProcessStartInfo(_host, _arguments)
                {
                    UseShellExecute = false,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    CreateNoWindow = true,
                };
                _process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + _host);
                _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
                _process.BeginErrorReadLine();
                _requests = new BinaryWriter(_process.StandardInput.BaseStream, Encoding.UTF8);
                _responses = new BinaryReader(_process.StandardOutput.BaseStream, Encoding.UTF8);
                string hello = _responses.ReadString();
                if (hello != WorkerProtocol.Hello)
                {
                    throw new InvalidOperationException("unexpected worker greeting '" + hello + "'");
                }
            }

            private void StopProcess()
            {
                try
                {
                    _requests?.Dispose(); // closing stdin tells the worker to exit
                    if (_process != null && !_process.WaitForExit(5000)) _process.Kill();
                }
                catch (Exception e) when (e is IOException || e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
                _process?.Dispose();
                _process = null;
            }

            public override void Dispose() => StopProcess();
        }
    }
}
