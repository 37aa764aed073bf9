using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Packaging;

/// <summary>
/// The .NET Framework flavour (net472) is what Visual Studio and msbuild.exe load. Neither runs on Linux, so Mono runs
/// the flavour's pure code with the .NET Framework build of MSBuild's API (tests/KernelBuild.NetFx.Probe): option
/// building, scanning a small tree, the state round trip and a task executed as MSBuild executes it.
/// </summary>
[TestClass]
public sealed class NetFrameworkFlavourTests
{
    private static string ProbeFolder => Path.Combine(ThrowawayProject.RepositoryRoot, "tests", "KernelBuild.NetFx.Probe", "bin",
        Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(ThrowawayProject.TasksAssembly)))!, "net472");

    [TestMethod]
    public void TaskAssemblyRunsUnderMonoWithTheNetFrameworkBuildOfMSBuild()
    {
        string? mono = ExternalTool.FindOnPath("mono");
        if (mono == null) Assert.Inconclusive("Mono is not installed (run eng/install-mono.sh).");
        string probe = Path.Combine(ProbeFolder, "KernelBuild.NetFx.Probe.exe");
        Assert.IsTrue(File.Exists(probe), probe + " was not built");

        var (exitCode, output) = ExternalTool.Run(mono, [probe], ProbeFolder, TimeSpan.FromMinutes(2));

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "(Mono)");
        StringAssert.Contains(output, "task assembly built for .NETFramework,Version=v4.7.2");
        StringAssert.Contains(output, "MSBuild API built for .NETFramework");
        foreach (string check in new[] { "flavour", "options", "scan", "state", "task" })
        {
            StringAssert.Contains(output, "ok " + check + Environment.NewLine, output);
        }
    }
}
