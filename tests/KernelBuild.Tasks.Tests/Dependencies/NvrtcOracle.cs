using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>One file NVRTC opened: the path string it passed to open(2), and what the kernel resolved it to.</summary>
internal sealed record OpenedFile(string Requested, string Resolved);

internal sealed record OracleRun(int ExitCode, string Log, IReadOnlyList<OpenedFile> Opened);

/// <summary>
/// Ground truth for the include scanner: compiles a source with the real NVRTC under strace and reports
/// every file NVRTC opened. The C driver (Oracle/nvrtc_open_oracle.c) is built with gcc once per test run.
/// Reports Assert.Inconclusive, never a pass, where gcc, strace (or ptrace) or NVRTC is missing.
/// </summary>
internal static partial class NvrtcOracle
{
    private static readonly Lazy<(string? Oracle, string? Strace, string? Why)> s_setup = new(Prepare);

    // 1234  openat(AT_FDCWD</cwd>, "/path", O_RDONLY) = 3</resolved/path>
    [GeneratedRegex("""^\d+\s+(?:openat|open)\((?:[^,]*,\s*)?"(?<path>(?:[^"\\]|\\.)*)",[^)]*\)\s*=\s*(?<fd>\d+)<(?<real>[^>]*)>""")]
    private static partial Regex OpenLine();

    /// <summary>Compiles <paramref name="source"/> (as the program name too) with <paramref name="options"/>
    /// from a working directory unrelated to the tree; returns the opens that succeeded of regular files
    /// requested under one of <paramref name="roots"/> (NVRTC's own libraries are not of interest).</summary>
    public static OracleRun Run(string source, IEnumerable<string> options, IReadOnlyCollection<string> roots)
    {
        (string? oracle, string? strace, string? why) = s_setup.Value;
        if (oracle == null || strace == null)
        {
            Assert.Inconclusive(why ?? "The NVRTC oracle is unavailable.");
            throw new InvalidOperationException(); // not reached
        }

        string scratch = Path.Combine(Path.GetTempPath(), "kb-oracle-run-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(scratch);
        try
        {
            string trace = Path.Combine(scratch, "trace.txt");
            var arguments = new List<string> { "-f", "-qq", "-y", "-e", "trace=openat,open,creat", "-o", trace, oracle, source };
            arguments.AddRange(options);
            (int exit, string output) = Execute(strace, arguments, scratch);

            var opened = new List<OpenedFile>();
            foreach (string line in File.Exists(trace) ? File.ReadAllLines(trace) : [])
            {
                Match match = OpenLine().Match(line);
                if (!match.Success)
                    continue;
                string requested = Regex.Unescape(match.Groups["path"].Value);
                string resolved = match.Groups["real"].Value;
                if (roots.Any(root => requested.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)) && File.Exists(resolved))
                    opened.Add(new OpenedFile(requested, resolved));
            }
            if (!opened.Any(o => o.Requested == source))
                Assert.Inconclusive("strace recorded no open of the source; tracing does not work here. Output:" + Environment.NewLine + output);
            return new OracleRun(exit, output, opened);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static (string?, string?, string?) Prepare()
    {
        if (!OperatingSystem.IsLinux())
            return (null, null, "The NVRTC oracle runs on Linux only (it needs strace).");
        string? gcc = FindOnPath("gcc");
        string? strace = FindOnPath("strace");
        if (gcc == null)
            return (null, null, "gcc is not installed: cannot build the NVRTC oracle.");
        if (strace == null)
            return (null, null, "strace is not installed (eng/install-nvrtc.sh installs it).");

        string driver = Path.Combine(AppContext.BaseDirectory, "Dependencies", "Oracle", "nvrtc_open_oracle.c");
        if (!File.Exists(driver))
            return (null, null, "The oracle's C source was not copied to the test output: " + driver);
        string folder = Path.Combine(Path.GetTempPath(), "kb-oracle-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        string oracle = Path.Combine(folder, "nvrtc_open_oracle");
        (int gccExit, string gccOutput) = Execute(gcc, ["-O1", "-o", oracle, driver, "-ldl"], folder);
        if (gccExit != 0)
            return (null, null, "gcc could not build the oracle:" + Environment.NewLine + gccOutput);

        // An empty program: tells whether NVRTC loads at all (exit 2 means it does not).
        string empty = Path.Combine(folder, "empty.cu");
        File.WriteAllText(empty, "\n");
        (int probeExit, string probeOutput) = Execute(oracle, [empty, OracleComparison.PortableArchitectureOption], folder);
        if (probeExit != 0)
            return (null, null, "NVRTC is not usable (eng/install-nvrtc.sh installs it): " + probeOutput.Trim());
        return (oracle, strace, null);
    }

    private static (int, string) Execute(string program, IEnumerable<string> arguments, string workingDirectory) =>
        ExternalTool.Run(program, arguments, workingDirectory, TimeSpan.FromSeconds(120));

    private static string? FindOnPath(string name) => ExternalTool.FindOnPath(name);
}
