using System;
using System.Collections.Generic;
using System.IO;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Finds every file NVRTC may open when compiling a kernel. NVRTC has no -M option and no API listing
    /// the files it read, so the scanner re-implements NVRTC's header search over a superset of the
    /// directives: all conditional groups but literal <c>#if 0</c> ones, every definition of a macro at a
    /// computed include. See docs/dependencies.md.
    /// </summary>
    public static class IncludeScanner
    {
        private const int MaxAttempts = 4;

        /// <summary>Whether to follow NVRTC's order (ScanSession.Flow.cs) before falling back to the
        /// order-independent scan; false for the order-independent scan alone, the behaviour before the walk.</summary>
        internal static bool FlowSensitive = true;

        public static IncludeScanResult Scan(IncludeScanRequest request) => Scan(request, null);

        /// <param name="cache">Shared by the kernels of one build so each header is parsed once; null for
        /// a cache private to this scan.</param>
        public static IncludeScanResult Scan(IncludeScanRequest request, IncludeScanCache? cache)
        {
            if (request == null)
                throw new ArgumentNullException(nameof(request));
            if (string.IsNullOrEmpty(request.SourcePath) || !Path.IsPathRooted(request.SourcePath))
                throw new ArgumentException("SourcePath must be an absolute path.", nameof(request));
            foreach (string directory in request.IncludeDirectories ?? new string[0])
            {
                if (string.IsNullOrEmpty(directory) || !Path.IsPathRooted(directory))
                    throw new ArgumentException("Include directory '" + directory + "' is not an absolute path.", nameof(request));
            }
            cache ??= new IncludeScanCache();
            ScanSession.LastFlowFallback = null;
            if (FlowSensitive && !request.OrderIndependentOnly)
            {
                IncludeScanResult? flow = new ScanSession(request, cache, new HashSet<string>(), evaluateConditions: true).RunFlow();
                if (flow != null)
                {
                    ScanSession.LastAttempts = 0;
                    return flow;
                }
            }
            // A condition is decided only on names no file of the scan touches, but which files those are is
            // known only at the end: if a file read later touched a name a decision relied on, scan again with
            // every touched name uncertain. The set only grows; after a few rounds, decide nothing.
            var uncertain = new HashSet<string>(StringComparer.Ordinal);
            for (int attempt = 0; ; attempt++)
            {
                var session = new ScanSession(request, cache, uncertain, evaluateConditions: attempt < MaxAttempts);
                IncludeScanResult result = session.Run();
                result.FlowFallback = ScanSession.LastFlowFallback ?? "switched off";
                ScanSession.LastAttempts = attempt + 1;
                if (!session.ReliedOnTouchedName)
                    return result;
                uncertain.UnionWith(session.Touched);
            }
        }

        /// <summary>
        /// Whether one of <see cref="IncludeScanResult.AbsentProbes"/> now holds a file NVRTC would open,
        /// so that it might open a different file than last time and the kernel must be rebuilt. An entry
        /// ending in '/' names a missing directory that a ".." in an include path has to pass through; it
        /// counts once the directory exists.
        /// </summary>
        public static bool AbsentProbeNowExists(string absentProbe) =>
            // Nearly every probe is still absent, and one File.Exists (one stat) says so; only when something is
            // there does the full test run (a dangling link, which File.Exists reports, is still no header).
            absentProbe.EndsWith("/", System.StringComparison.Ordinal) || System.IO.File.Exists(absentProbe)
                ? PathResolver.IsFileNow(absentProbe)
                : false;
    }
}
