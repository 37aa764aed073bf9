using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.RemoteCache;
using Microsoft.Build.Framework;
using System.Collections.Generic;

namespace KernelBuild.Tasks
{
    /// <summary>The compile task's remote cache (docs/remote-cache.md): its parameters and the calls around the compile.</summary>
    public sealed partial class CompileCudaKernels
    {
        private RemoteCacheSettings? _remoteCache;

        /// <summary>$(CudaRemoteCacheUrl): a Bazel HTTP cache's root URL; empty (the default) for no remote cache.</summary>
        public string? RemoteCacheUrl { get; set; }

        /// <summary>$(CudaRemoteCacheMode): ReadWrite (default) or ReadOnly.</summary>
        public string? RemoteCacheMode { get; set; }

        /// <summary>$(CudaRemoteCacheHeader): one <c>Name: value</c> header sent with every request (credentials).</summary>
        public string? RemoteCacheHeader { get; set; }

        /// <summary>$(CudaRemoteCacheHeaderVariable): the name of an environment variable that holds such a header.</summary>
        public string? RemoteCacheHeaderVariable { get; set; }

        /// <summary>$(CudaRemoteCacheTimeout): seconds one request may take (10 by default).</summary>
        public string? RemoteCacheTimeout { get; set; }

        /// <summary>False (KB6002 logged) when a CudaRemoteCache* property is invalid: a mistake in the project, not the server.</summary>
        private bool TryReadRemoteCacheSettings()
        {
            _remoteCache = RemoteCacheSettings.Parse(RemoteCacheUrl, RemoteCacheMode, RemoteCacheHeader, RemoteCacheHeaderVariable, RemoteCacheTimeout, out string? error);
            if (error != null) LogProjectError(KbErrors.InvalidRemoteCacheSettings, error);
            return error == null;
        }

        /// <summary>Null when the cache is off, or when NVRTC cannot be named by content (then kernels are only compiled).</summary>
        private RemoteKernelCache? OpenRemoteCache(NvrtcLibrary nvrtc, BuildPlan plan)
        {
            if (_remoteCache == null) return null;
            string? compilerKey = CompilerKey.Of(nvrtc, plan.Compiler!.Files, plan.Compiler.Identity);
            if (compilerKey == null)
            {
                Log.LogMessage(MessageImportance.Normal, "Remote cache not used: NVRTC was loaded by name, so its files cannot be hashed. Set NvrtcPath to use the remote cache.");
                return null;
            }
            return new RemoteKernelCache(_remoteCache, System.IO.Path.GetFullPath(ProjectDirectory), compilerKey);
        }

        private KernelCompileResult?[] RestoreFromRemoteCache(RemoteKernelCache? remote, List<KernelPlan> stale)
        {
            if (remote == null) return new KernelCompileResult?[stale.Count];
            var details = new string[stale.Count];
            KernelCompileResult?[] results = remote.Restore(stale, details);
            foreach (string line in details) Log.LogMessage(MessageImportance.Low, line);
            return results;
        }

        /// <summary>Uploads what was compiled and written here, then logs the build's line and, after any failure, its one warning.</summary>
        private void UploadToRemoteCache(RemoteKernelCache? remote, List<KernelPlan> stale, KernelCompileResult?[] compiled)
        {
            if (remote == null) return;
            var details = new string?[stale.Count];
            remote.Upload(stale, compiled, details);
            foreach (string? line in details)
            {
                if (line != null) Log.LogMessage(MessageImportance.Low, line);
            }
            Log.LogMessage(MessageImportance.Normal, remote.Summary);
            if (remote.Failure != null)
            {
                BuildLog.LogWarning(KbErrors.RemoteCacheFailed, ProjectFileForDiagnostics, 0, 0,
                    "The remote cache at " + _remoteCache!.DisplayUrl + " could not be used as expected: " + remote.Failure
                    + ". The kernels it could not supply were compiled locally; the build is not affected. Check that the server is up and that CudaRemoteCacheUrl and its credentials are right.");
            }
        }
    }
}
