using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// Runs NVRTC compiles in parallel. NVRTC before 12.3 serializes compiles inside one process (two threads are
    /// no faster than one; ../docs/benchmarks.md), so for those versions all lanes but one are worker processes
    /// (KernelBuild.NvrtcWorker, beside this assembly); from 12.3 on, NVIDIA documents concurrent compiles in one
    /// process and every lane is a thread. A worker that cannot start or dies falls back to compiling in process:
    /// slower, never wrong.
    /// </summary>
    internal sealed class CompilerPool : IDisposable
    {
        public const string WorkerFileName = "KernelBuild.NvrtcWorker.dll";

        private readonly NvrtcLibrary _nvrtc;
        private readonly BlockingCollection<Lane> _free = new BlockingCollection<Lane>();
        private readonly List<Lane> _all = new List<Lane>();

        public CompilerPool(NvrtcLibrary nvrtc, int lanes)
        {
            _nvrtc = nvrtc;
            string? worker = WorkerCommand(out string workerArguments);
            UsesWorkerProcesses = !nvrtc.CompilesConcurrently && lanes > 1 && worker != null;
            for (int i = 0; i < Math.Max(1, lanes); i++)
            {
                Lane lane = i > 0 && UsesWorkerProcesses ? new WorkerLane(nvrtc, worker!, workerArguments) : new Lane(nvrtc);
                _all.Add(lane);
                _free.Add(lane);
            }
        }

        public bool UsesWorkerProcesses { get; }
        /// <summary>The NVRTC the lanes use, for small compiles made in this process (the signature probe).</summary>
        public NvrtcLibrary Library => _nvrtc;
        /// <summary>The loaded NVRTC's version (the include scan derives predefined macros from it).</summary>
        public Version NvrtcVersion => _nvrtc.Version;
        public int LaneCount => _all.Count;

        /// <summary>Why a worker lane fell back to compiling in process, if one did (for the log).</summary>
        public string? FallbackReason { get; private set; }

        /// <summary>Compiles on the next free lane; blocks while all lanes are busy. Thread-safe.</summary>
        public NvrtcCompileOutput Compile(NvrtcCompileRequest request)
        {
            Lane lane = _free.Take();
            try
            {
                NvrtcCompileOutput output = lane.Compile(request, out string? fallback);
                if (fallback != null) FallbackReason = fallback;
                return output;
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

            public Lane(NvrtcLibrary nvrtc) => _nvrtc = nvrtc;

            public virtual NvrtcCompileOutput Compile(NvrtcCompileRequest request, out string? fallback)
            {
                fallback = null;
                return CompileInProcess(request);
            }

            protected NvrtcCompileOutput CompileInProcess(NvrtcCompileRequest request) =>
                _nvrtc.CompileFile(request);

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

            public WorkerLane(NvrtcLibrary nvrtc, string host, string arguments) : base(nvrtc)
            {
                _host = host;
                _arguments = arguments;
            }

            public override NvrtcCompileOutput Compile(NvrtcCompileRequest request, out string? fallback)
            {
                fallback = null;
                if (_broken == null)
                {
                    try
                    {
                        EnsureStarted();
                        WorkerProtocol.WriteRequest(_requests!, _nvrtc.Path, request);
                        return WorkerProtocol.ReadResponse(_responses!);
                    }
                    catch (Exception e) when (e is IOException || e is System.ComponentModel.Win32Exception || e is InvalidOperationException || e is ObjectDisposedException)
                    {
                        lock (_stderr)
                        {
                            _broken = "compile worker failed (" + e.Message + (_stderr.Length > 0 ? "; " + _stderr.ToString().Trim() : "") + "); compiling in process instead";
                        }
                        fallback = _broken;
                        StopProcess();
                    }
                }
                return CompileInProcess(request);
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
