using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// A `dotnet build` running in its own process group (through setsid), so that a test can kill -9 the whole
/// build at once: the MSBuild nodes and the NVRTC worker processes die with it, as in a power cut or an OOM kill.
/// </summary>
internal sealed class BackgroundBuild : IDisposable
{
    private const int SigKill = 9;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private BackgroundBuild(Process process) => _process = process;

    public TimeSpan Elapsed => _clock.Elapsed;
    public bool HasExited => _process.HasExited;

    public static BackgroundBuild Start(string projectOrSolution, params string[] arguments)
    {
        Requirements.Tool("setsid");
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Path.GetDirectoryName(projectOrSolution)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "dotnet", "build", projectOrSolution, "-nodeReuse:false", "-v:n", "-clp:NoSummary" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";

        var build = new BackgroundBuild(Process.Start(start)!);
        build._process.OutputDataReceived += (_, e) => build.Append(e.Data);
        build._process.ErrorDataReceived += (_, e) => build.Append(e.Data);
        build._process.BeginOutputReadLine();
        build._process.BeginErrorReadLine();
        build.WaitUntilGroupLeader();
        return build;
    }

    /// <summary>kill -9 of the build's process group (its id is the build's pid, see <see cref="WaitUntilGroupLeader"/>).</summary>
    public void KillGroup()
    {
        int group = _process.Id;
        if (kill(-group, SigKill) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -9 -{group} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the build (killed or not) and for every process of its group to be gone.</summary>
    public BuildRun Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            KillGroup();
            throw new TimeoutException($"the build did not finish in {timeout.TotalSeconds} s:\n{Output}");
        }
        _process.WaitForExit(); // drains the output events
        WaitUntilGroupIsGone(_process.Id);
        return new BuildRun(_process.ExitCode, Output);
    }

    /// <summary>Waits until the build printed a line containing the text; false if it ended (or the time ran out) first.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || _clock.Elapsed > timeout) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillGroup();
        _process.Dispose();
    }

    /// <summary>
    /// setsid makes the build the leader of a new group (group id = its pid) before it runs dotnet, unless it had to
    /// fork, which would leave us watching the wrong process. A kill before the group exists would miss it.
    /// </summary>
    private void WaitUntilGroupLeader()
    {
        var deadline = Stopwatch.StartNew();
        while (GroupOf(_process.Id) != _process.Id)
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("setsid did not make the build a process group leader:\n" + Output);
            }
            Thread.Sleep(1);
        }
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>A killed group's members die asynchronously; the next build must not meet a dying worker.</summary>
    private static void WaitUntilGroupIsGone(int group)
    {
        var deadline = Stopwatch.StartNew();
        while (ProcessesInGroup(group).Any())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"processes of group {group} outlived the build: {string.Join(", ", ProcessesInGroup(group))}");
            }
            Thread.Sleep(20);
        }
    }

    private static IEnumerable<int> ProcessesInGroup(int group)
    {
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out int pid) && GroupOf(pid) == group) yield return pid;
        }
    }

    /// <summary>The process group of a live process; -1 for a zombie (dead, waiting to be reaped) or a gone one.</summary>
    private static int GroupOf(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 2 && fields[0] != "Z" && int.TryParse(fields[2], out int group) ? group : -1;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
