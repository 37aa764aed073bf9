using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class NvrtcOptionsBuilderTests
{
    private static TargetArchitecture Arch(string name)
    {
        Assert.IsTrue(TargetArchitecture.TryParse(name, out var arch), name);
        return arch!;
    }

    [TestMethod]
    public void BuildsOptionsInAStableOrder()
    {
        var settings = new KernelCompileSettings
        {
            Options = CudaOptionsParser.Parse("c++17", "include;more", "A;B=2", "--use_fast_math", "/p"),
        };
        CollectionAssert.AreEqual(
            new[] { "-arch=sm_80", "-std=c++17", "-I/p/include", "-I/p/more", "-DA", "-DB=2", "--use_fast_math" },
            NvrtcOptionsBuilder.Build(settings, Arch("sm_80")));
    }

    [TestMethod]
    public void ParsesArchitectures()
    {
        Assert.IsTrue(Arch("sm_90a").IsCubin);
        Assert.AreEqual(90, Arch("sm_90a").Number);
        Assert.IsFalse(Arch("compute_52").IsCubin);
        Assert.AreEqual("ptx", Arch("COMPUTE_52").Extension);
        foreach (string bad in new[] { "sm80", "sm_8", "gfx90a", "compute_", "sm_80 x" })
        {
            Assert.IsFalse(TargetArchitecture.TryParse(bad, out _), bad);
        }
    }

    [TestMethod]
    public void OneCompileUnitPerComputeCapabilityPreferringTheCubin()
    {
        var units = KernelCompiler.CompileUnits([Arch("compute_80"), Arch("sm_80"), Arch("compute_52")]).Select(a => a.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "compute_52", "sm_80" }, units);
    }

    [TestMethod]
    public void ArchitectureSpecificTargetsAreCompilesOfTheirOwn()
    {
        // sm_90a code may use instructions sm_90 lacks: one compile's images must never stand in for the other's.
        var units = KernelCompiler.CompileUnits([Arch("sm_90"), Arch("compute_90a"), Arch("sm_90a"), Arch("compute_90")]).Select(a => a.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "sm_90", "sm_90a" }, units);
    }

    [TestMethod]
    public void NormalizesLanguageStandards()
    {
        Assert.AreEqual("c++17", NvrtcOptionsBuilder.NormalizeLanguageStandard("17"));
        Assert.AreEqual("c++20", NvrtcOptionsBuilder.NormalizeLanguageStandard("C++20"));
        Assert.AreEqual("", NvrtcOptionsBuilder.NormalizeLanguageStandard(" "));
        Assert.IsNull(NvrtcOptionsBuilder.NormalizeLanguageStandard("c++98"));
    }
}
