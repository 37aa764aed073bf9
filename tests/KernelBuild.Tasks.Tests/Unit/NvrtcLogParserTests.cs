using KernelBuild.Tasks.Diagnostics;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class NvrtcLogParserTests
{
    // Logs as NVRTC 11.8 writes them (captured from real compiles).
    private const string HeaderErrorAndMissingInclude =
        "/src/app/inc/step.cuh(2): error: expected a \";\"\n\n" +
        "/src/app/a.cu(2): catastrophic error: cannot open source file \"missing.cuh\"\n\n" +
        " and 1 catastrophic error detected in the compilation of \"/src/app/a.cu\".\nCompilation terminated.\n";

    [TestMethod]
    public void ParsesErrorsInHeadersAndCatastrophicErrors()
    {
        var diagnostics = NvrtcLogParser.Parse(HeaderErrorAndMissingInclude);
        Assert.AreEqual(2, diagnostics.Count);
        Assert.AreEqual("/src/app/inc/step.cuh", diagnostics[0].File);
        Assert.AreEqual(2, diagnostics[0].Line);
        Assert.AreEqual(DiagnosticSeverity.Error, diagnostics[0].Severity);
        Assert.AreEqual("expected a \";\"", diagnostics[0].Message);
        Assert.AreEqual("cannot open source file \"missing.cuh\"", diagnostics[1].Message);
        Assert.AreEqual(DiagnosticSeverity.Error, diagnostics[1].Severity);
    }

    [TestMethod]
    public void ParsesNumberedWarningsIntoCodes()
    {
        var d = NvrtcLogParser.Parse("/p/a.cu(3): warning #177-D: variable \"unused\" was declared but never referenced\n\n1 error detected in the compilation of \"/p/a.cu\".\n").Single();
        Assert.AreEqual(DiagnosticSeverity.Warning, d.Severity);
        Assert.AreEqual("NVRTC177", d.Code);
        Assert.AreEqual(3, d.Line);
    }

    [TestMethod]
    public void OptionErrorsHaveNoFile()
    {
        var d = NvrtcLogParser.Parse("nvrtc: error: invalid value for --gpu-architecture (-arch)\n").Single();
        Assert.IsNull(d.File);
        Assert.AreEqual(DiagnosticSeverity.Error, d.Severity);
        StringAssert.Contains(d.Message, "--gpu-architecture");
    }

    [TestMethod]
    public void ContinuationLinesJoinTheirDiagnostic()
    {
        var d = NvrtcLogParser.Parse("/p/t.cuh(5): error: no instance of overloaded function\n          detected during instantiation of \"f<int>\" at line 9 of /p/a.cu\n").Single();
        StringAssert.Contains(d.Message, "detected during instantiation");
    }

    [TestMethod]
    public void PathsWithParenthesesAndSpacesSurvive()
    {
        var d = NvrtcLogParser.Parse("/home/me/My Kernels (v2)/a.cu(12): error: identifier \"x\" is undefined\n").Single();
        Assert.AreEqual("/home/me/My Kernels (v2)/a.cu", d.File);
        Assert.AreEqual(12, d.Line);
    }

    [TestMethod]
    public void EmptyLogHasNoDiagnostics() => Assert.AreEqual(0, NvrtcLogParser.Parse("").Count);
}
