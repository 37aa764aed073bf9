using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// Options as a user writes them in CudaAdditionalOptions, through the build's own parser, against the real
/// NVRTC under strace: NVRTC gets exactly the arguments the build would give it, the scanner gets the
/// request the build would give it, and every file NVRTC opened must be listed.
/// </summary>
[TestClass]
public sealed class OptionsOracleTests
{
    private static IncludeScanResult CheckAgainstNvrtc(TempTree tree, string source, string additionalOptions, string defineConstants = "")
    {
        var settings = new KernelCompileSettings
        {
            SourcePath = tree.P(source),
            Options = CudaOptionsParser.Parse("", "", defineConstants, additionalOptions, tree.Root),
        };
        IncludeScanResult scan = IncludeScanner.Scan(KernelCompiler.ScanRequestFor(settings));
        List<string> arguments = settings.Options.NvrtcArguments(TargetArchitecture.Ptx(OracleComparison.PortableArchitecture));
        OracleRun run = NvrtcOracle.Run(settings.SourcePath, arguments, [tree.Root]);

        Assert.AreEqual(0, run.ExitCode, "NVRTC failed. Log:" + Environment.NewLine + run.Log);
        var listed = new HashSet<string>(scan.Files.Select(f => f.Path), StringComparer.Ordinal);
        string[] missed = run.Opened.Where(o => !listed.Contains(o.Resolved)).Select(o => o.Resolved).Distinct().ToArray();
        Assert.IsEmpty(missed, "NVRTC opened files the scanner did not list: " + string.Join(", ", missed));
        Assert.IsTrue(scan.Complete, string.Join(Environment.NewLine, scan.Warnings));
        return scan;
    }

    /// <summary>A define split over two arguments selects the header of a computed include.</summary>
    [TestMethod]
    public void ASplitDefineSelectsATrackedInclude()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include HDR\nextern \"C\" __global__ void k(int* p) { *p = VALUE; }\n");
        tree.Write("inc/b.cuh", "#define VALUE 2\n");

        IncludeScanResult scan = CheckAgainstNvrtc(tree, "src/k.cu", "-I inc -D HDR=<b.cuh>");
        OracleComparison.AssertListed(scan, tree.P("inc/b.cuh"));
    }

    /// <summary>A -U after a define makes the source's own fallback header the one used; the scan follows.</summary>
    [TestMethod]
    public void AnUndefineAfterADefineSelectsTheFallback()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#ifndef HDR\n#define HDR <a.cuh>\n#endif\n#include HDR\n#if VALUE != 1\n#error wrong header\n#endif\n" +
            "extern \"C\" __global__ void k(int* p) { *p = VALUE; }\n");
        tree.Write("inc/a.cuh", "#define VALUE 1\n");
        tree.Write("inc/b.cuh", "#define VALUE 2\n");

        IncludeScanResult scan = CheckAgainstNvrtc(tree, "src/k.cu", "-I inc --undefine-macro HDR", defineConstants: "HDR=<b.cuh>");
        OracleComparison.AssertListed(scan, tree.P("inc/a.cuh"));
        OracleComparison.AssertNotListed(scan, tree.P("inc/b.cuh"));
    }

    /// <summary>A project-relative pre-include is found whatever NVRTC's current directory (the oracle runs elsewhere).</summary>
    [TestMethod]
    [DataRow("--pre-include=common/pre.cuh")]
    [DataRow("-include common/pre.cuh")]
    public void AProjectRelativePreIncludeIsTracked(string option)
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "extern \"C\" __global__ void k(int* p) { *p = PRE; }\n");
        tree.Write("common/pre.cuh", "#include \"pre_detail.cuh\"\n");
        tree.Write("common/pre_detail.cuh", "#define PRE 7\n");

        IncludeScanResult scan = CheckAgainstNvrtc(tree, "src/k.cu", option);
        OracleComparison.AssertListed(scan, tree.P("common/pre.cuh"));
        OracleComparison.AssertListed(scan, tree.P("common/pre_detail.cuh"));
    }
}
