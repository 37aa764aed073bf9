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
            IncludeDirectories = ["/p/include", "/p/more"],
            DefineConstants = ["A", "B=2"],
            LanguageStandard = "c++17",
            AdditionalOptions = ["--use_fast_math"],
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
    public void NormalizesLanguageStandards()
    {
        Assert.AreEqual("c++17", NvrtcOptionsBuilder.NormalizeLanguageStandard("17"));
        Assert.AreEqual("c++20", NvrtcOptionsBuilder.NormalizeLanguageStandard("C++20"));
        Assert.AreEqual("", NvrtcOptionsBuilder.NormalizeLanguageStandard(" "));
        Assert.IsNull(NvrtcOptionsBuilder.NormalizeLanguageStandard("c++98"));
    }

    [TestMethod]
    public void SplitsAdditionalOptionsLikeAShellAndMakesIncludePathsAbsolute()
    {
        var args = NvrtcOptionsBuilder.SplitAdditionalOptions("--use_fast_math -I inc \"-DNAME=a b\" --include-path=../x;-Dy", "/proj");
        CollectionAssert.AreEqual(new[] { "--use_fast_math", "-I/proj/inc", "-DNAME=a b", "--include-path=/x", "-Dy" }, args);
    }

    [TestMethod]
    public void ScanRequestFollowsTheOptions()
    {
        var settings = new KernelCompileSettings
        {
            SourcePath = "/p/a.cu",
            IncludeDirectories = ["/p/inc"],
            DefineConstants = ["HDR=\"x.cuh\"", "FLAG"],
            AdditionalOptions = ["-I/p/extra", "-no-source-include", "--pre-include=pre.cuh", "--define-macro=Z=3"],
        };
        var request = KernelCompiler.ScanRequestFor(settings);
        CollectionAssert.AreEqual(new[] { "/p/inc", "/p/extra" }, request.IncludeDirectories.ToArray());
        Assert.IsTrue(request.NoSourceInclude);
        CollectionAssert.AreEqual(new[] { "pre.cuh" }, request.PreIncludes.ToArray());
        CollectionAssert.AreEqual(new[] { "HDR=\"x.cuh\"", "FLAG=1", "Z=3" }, request.Defines.Select(d => d.Key + "=" + d.Value).ToArray());
    }
}
