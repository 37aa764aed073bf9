using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// The scan assumes a measured NVRTC behaviour only for the versions it was measured on (11.8 here, 13.0 on a GPU
/// machine's CUDA 13.0 toolkit), and keeps both readings for any other. The oracle tests check the measured
/// versions against the real NVRTC; these check the table and that the walk uses it, with no NVRTC needed.
/// </summary>
[TestClass]
public sealed class NvrtcPreprocessorBehaviourTests
{
    private const string Kernel = "extern \"C\" __global__ void k(int* p) { *p = VALUE; }\n";

    [TestMethod]
    [DataRow("11.8", true, true, true)]
    [DataRow("13.0", true, true, false)]
    [DataRow("11.2", false, false, false)]
    [DataRow("12.4", false, false, false)]
    [DataRow("13.1", false, false, false)]
    public void MeasuredVersionsOnly(string version, bool error, bool pushPop, bool missingHeader)
    {
        NvrtcPreprocessorBehaviour behaviour = NvrtcPreprocessorBehaviour.For(Version.Parse(version));
        Assert.AreEqual(error, behaviour.ErrorEndsTheCompile);
        Assert.AreEqual(pushPop, behaviour.IgnoresPushAndPopMacro);
        Assert.AreEqual(missingHeader, behaviour.MissingHeaderEndsTheCompile);
    }

    [TestMethod]
    public void NoVersionAssumesNothing()
    {
        NvrtcPreprocessorBehaviour behaviour = NvrtcPreprocessorBehaviour.For(null);
        Assert.IsFalse(behaviour.ErrorEndsTheCompile || behaviour.IgnoresPushAndPopMacro || behaviour.MissingHeaderEndsTheCompile);
    }

    [TestMethod]
    [DataRow("11.8", false)]
    [DataRow("13.0", false)]
    [DataRow("12.4", true)]
    public void PopMacroRestoresTheValueOnlyWhereNotMeasured(string version, bool listsOne)
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#define M 1\n#pragma push_macro(\"M\")\n#undef M\n#define M 2\n#pragma pop_macro(\"M\")\n" +
            "#if M == 1\n#include \"one.cuh\"\n#else\n#include \"two.cuh\"\n#endif\n#define VALUE TWO\n" + Kernel);
        tree.Write("src/one.cuh", "");
        tree.Write("src/two.cuh", "#define TWO 2\n");

        IncludeScanResult scan = Scan(tree, version);
        Assert.IsTrue(scan.Files.Any(f => f.Path == tree.P("src/two.cuh")));
        Assert.AreEqual(listsOne, scan.Files.Any(f => f.Path == tree.P("src/one.cuh")));
    }

    [TestMethod]
    [DataRow("11.8", false)]
    [DataRow("13.0", false)]
    [DataRow("12.4", true)]
    public void AnErrorEndsTheWalkOnlyWhereMeasured(string version, bool listsAfter)
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"before.cuh\"\n#error stop\n#include \"after.cuh\"\n#define VALUE 1\n" + Kernel);
        tree.Write("src/before.cuh", "");
        tree.Write("src/after.cuh", "");

        IncludeScanResult scan = Scan(tree, version);
        Assert.IsTrue(scan.Files.Any(f => f.Path == tree.P("src/before.cuh")));
        Assert.AreEqual(listsAfter, scan.Files.Any(f => f.Path == tree.P("src/after.cuh")));
    }

    private static IncludeScanResult Scan(TempTree tree, string version)
    {
        IncludeScanResult scan = IncludeScanner.Scan(new IncludeScanRequest
        {
            SourcePath = tree.P("src/k.cu"),
            Architectures = [75],
            NvrtcVersion = Version.Parse(version),
        });
        Assert.IsNull(ScanSession.LastFlowFallback, "The walk gave up: " + ScanSession.LastFlowFallback);
        return scan;
    }
}
