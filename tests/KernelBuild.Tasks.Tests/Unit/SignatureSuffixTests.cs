using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The signature lines appended to a kernel's compile (docs/launchers.md): what they say, which name an error
/// belongs to, and how a failed compile is retried. NVRTC's own behaviour with them is in KernelSignatureTests.
/// </summary>
[TestClass]
public sealed class SignatureSuffixTests
{
    [TestMethod]
    public void EachName_HasItsOwnLine_AfterTheTemplates()
    {
        SignatureSuffix suffix = SignatureSuffix.Create(["saxpy", "move"], ["scale<float>"])!;
        string[] lines = suffix.Text.Split('\n');

        Assert.AreEqual("#line 1 \"kernelbuild-signatures\"", lines[0]);
        StringAssert.Contains(lines[3], "__kernelbuild_take<0>(&saxpy)");
        StringAssert.Contains(lines[4], "__kernelbuild_take<1>(&move)");
        StringAssert.Contains(lines[5], "__kernelbuild_take<2>(&scale<float>)");
        Assert.AreEqual("move", suffix.NameAt(Error(SignatureSuffix.FileName, 4)));
        Assert.AreEqual("scale<float>", suffix.NameAt(Error(SignatureSuffix.FileName, 5)));
        Assert.IsNull(suffix.NameAt(Error(SignatureSuffix.FileName, 2)), "a template line names nothing");
        Assert.IsNull(suffix.NameAt(Error("/src/k.cu", 4)), "the user's file");
        Assert.IsNull(SignatureSuffix.Create([], []));
    }

    [TestMethod]
    public void WrongGuesses_AreDropped_AndTheCompileRetried()
    {
        SignatureSuffix suffix = SignatureSuffix.Create(["saxpy", "gone"], ["scale<float>"])!;

        Assert.IsTrue(suffix.TryRepair([Error(SignatureSuffix.FileName, 4), Error("/src/k.cu", 9)], out SignatureSuffix? repaired));
        CollectionAssert.AreEqual(new[] { "saxpy" }, repaired!.Guessed.ToArray());
        CollectionAssert.AreEqual(new[] { "scale<float>" }, repaired.Instantiations.ToArray());
    }

    [TestMethod]
    public void ErrorsOnlyInTheUsersFiles_OrAtInstantiations_AreNotRetried()
    {
        SignatureSuffix suffix = SignatureSuffix.Create(["saxpy"], ["scale<flaot>"])!;

        Assert.IsFalse(suffix.TryRepair([Error("/src/k.cu", 3)], out _), "the user's error");
        Assert.IsFalse(suffix.TryRepair([Error(SignatureSuffix.FileName, 4)], out _), "the listed instantiation's error is the user's");
        Assert.IsFalse(suffix.TryRepair([Error(SignatureSuffix.FileName, 1)], out _), "instantiations need the template lines");
    }

    [TestMethod]
    public void ATemplateLineError_WithoutInstantiations_DropsTheWholeSuffix()
    {
        SignatureSuffix suffix = SignatureSuffix.Create(["saxpy"], [])!;

        Assert.IsTrue(suffix.TryRepair([Error(SignatureSuffix.FileName, 2)], out SignatureSuffix? repaired));
        Assert.IsNull(repaired);
    }

    [TestMethod]
    public void Types_AreMatchedToEntryPoints_ByNameOrLoweredName()
    {
        SignatureSuffix suffix = SignatureSuffix.Create(["saxpy"], ["scale<float>"])!;
        const string ptx = """
            .visible .entry saxpy(
            .weak .entry _Z23__kernelbuild_signatureILi0EPFvfPKfPfiEEvv()
            .weak .entry _Z23__kernelbuild_signatureILi1EPFvPffiEEvv()
            .weak .entry _Z5scaleIfEvPT_S0_i(
            """;

        var types = suffix.TypesByEntryPoint(ptx, new Dictionary<string, string> { ["scale<float>"] = "_Z5scaleIfEvPT_S0_i" });

        Assert.AreEqual("float, const float*, float*, int", string.Join(", ", types["saxpy"].Parameters.Select(p => p.Spelling)));
        Assert.AreEqual("float*, float, int", string.Join(", ", types["_Z5scaleIfEvPT_S0_i"].Parameters.Select(p => p.Spelling)));
        Assert.IsTrue(SignatureSuffix.IsProbeEntry("_Z23__kernelbuild_signatureILi0EPFvfPKfPfiEEvv"));
        Assert.IsFalse(SignatureSuffix.IsProbeEntry("_Z5scaleIfEvPT_S0_i"));
    }

    private static NvrtcDiagnostic Error(string file, int line) => new(file, line, 0, DiagnosticSeverity.Error, "NVRTC20", "error");
}
