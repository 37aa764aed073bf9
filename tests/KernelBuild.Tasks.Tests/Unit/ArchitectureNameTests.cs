using KernelBuild.Formats;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>The one architecture-name parser that the build and the runtime share.</summary>
[TestClass]
public sealed class ArchitectureNameTests
{
    [TestMethod]
    [DataRow("sm_80", "sm_80", false, 80, '\0')]
    [DataRow("compute_52", "compute_52", true, 52, '\0')]
    [DataRow("sm_100", "sm_100", false, 100, '\0')]
    [DataRow("sm_90a", "sm_90a", false, 90, 'a')]
    [DataRow("compute_90a", "compute_90a", true, 90, 'a')]
    [DataRow("sm_100f", "sm_100f", false, 100, 'f')]
    [DataRow("compute_120f", "compute_120f", true, 120, 'f')]
    // Letter case is ignored on input; the name is always written lower case, the only spelling NVRTC accepts.
    [DataRow("SM_80", "sm_80", false, 80, '\0')]
    [DataRow("Compute_52", "compute_52", true, 52, '\0')]
    [DataRow("sm_90A", "sm_90a", false, 90, 'a')]
    [DataRow("COMPUTE_100F", "compute_100f", true, 100, 'f')]
    public void ParsesNamesInAnyCaseAndWritesThemLowerCase(string text, string name, bool isVirtual, int number, char suffix)
    {
        Assert.IsTrue(ArchitectureName.TryParse(text, out ArchitectureName architecture), text);

        Assert.AreEqual(name, architecture.Name);
        Assert.AreEqual(name, architecture.ToString());
        Assert.AreEqual(isVirtual, architecture.IsVirtual);
        Assert.AreEqual(number, architecture.Number);
        Assert.AreEqual(number / 10, architecture.Major);
        Assert.AreEqual(number % 10, architecture.Minor);
        Assert.AreEqual(suffix, architecture.Suffix);
        Assert.AreEqual(isVirtual ? "ptx" : "cubin", architecture.ImageKind);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("sm_")]
    [DataRow("sm_8")]
    [DataRow("sm_1000")]
    [DataRow("sm_080")]
    [DataRow("sm_x0")]
    [DataRow("sm_-80")]
    [DataRow("sm_+80")]
    [DataRow("sm80")]
    [DataRow("compute80")]
    [DataRow("compute_")]
    [DataRow("lto_80")]
    [DataRow("gfx90a")]
    [DataRow("sm_80b")]      // CUDA defines only the a and f suffixes
    [DataRow("sm_90af")]
    [DataRow("sm_90a ")]     // white space is the caller's to trim (CudaArchitectures entries are trimmed)
    [DataRow(" sm_80")]
    [DataRow("sm_80 x")]
    [DataRow("sm_\u0668\u0660")] // Arabic-Indic digits: char.IsDigit says yes, NVRTC would not
    public void RefusesOtherNames(string? text) =>
        Assert.IsFalse(ArchitectureName.TryParse(text, out _), text);

    [TestMethod]
    public void NamesThatDifferOnlyInCaseAreEqual()
    {
        ArchitectureName.TryParse("SM_90A", out ArchitectureName upper);
        ArchitectureName.TryParse("sm_90a", out ArchitectureName lower);
        ArchitectureName.TryParse("compute_90a", out ArchitectureName ptx);

        Assert.AreEqual(lower, upper);
        Assert.AreEqual(lower.GetHashCode(), upper.GetHashCode());
        Assert.AreNotEqual(lower, ptx);
    }

    [TestMethod]
    public void BuildsTheDefaultPtxArchitecture()
    {
        Assert.AreEqual("compute_52", ArchitectureName.Virtual(52).Name);
        Assert.IsTrue(ArchitectureName.Virtual(52).IsVirtual);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ArchitectureName.Virtual(5));
    }

    [TestMethod]
    [DataRow("kernels/increment.cu", "sm_80", "kernels/increment.sm_80.cubin")]
    [DataRow("kernels/increment.cu", "COMPUTE_52", "kernels/increment.compute_52.ptx")]
    [DataRow("a/b.CU", "sm_90a", "a/b.sm_90a.cubin")]
    [DataRow("noext", "compute_100f", "noext.compute_100f.ptx")]
    public void FormsImagePathsAndResourceNames(string kernel, string arch, string expected)
    {
        ArchitectureName.TryParse(arch, out ArchitectureName architecture);

        string path = KernelResources.ImagePath(kernel, architecture);

        Assert.AreEqual(expected, path);
        Assert.AreEqual("KernelBuild/" + expected, KernelResources.ForImage(path));
    }
}
