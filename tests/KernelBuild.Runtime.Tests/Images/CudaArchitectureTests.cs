using System;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Images;

[TestClass]
public sealed class CudaArchitectureTests
{
    [TestMethod]
    [DataRow("sm_80", false, 8, 0, '\0')]
    [DataRow("sm_86", false, 8, 6, '\0')]
    [DataRow("compute_52", true, 5, 2, '\0')]
    [DataRow("sm_90a", false, 9, 0, 'a')]
    [DataRow("sm_100", false, 10, 0, '\0')]
    [DataRow("compute_100f", true, 10, 0, 'f')]
    public void ParsesNvrtcNames(string name, bool isVirtual, int major, int minor, char suffix)
    {
        CudaArchitecture architecture = CudaArchitecture.Parse(name);

        Assert.AreEqual(isVirtual, architecture.IsVirtual);
        Assert.AreEqual(new ComputeCapability(major, minor), architecture.Capability);
        Assert.AreEqual(suffix, architecture.Suffix);
        Assert.AreEqual(name, architecture.ToString());
    }

    [TestMethod]
    [DataRow("SM_80", "sm_80")]
    [DataRow("Compute_90A", "compute_90a")]
    public void IgnoresLetterCaseAsTheBuildDoes(string text, string name)
    {
        // The same rules as CudaArchitectures in the project file: any case in, lower case out.
        CudaArchitecture architecture = CudaArchitecture.Parse(text);

        Assert.AreEqual(name, architecture.Name);
        Assert.AreEqual(CudaArchitecture.Parse(name), architecture);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("sm_")]
    [DataRow("sm_8")]
    [DataRow("sm_x0")]
    [DataRow("sm_-80")]
    [DataRow("compute80")]
    [DataRow("lto_80")]
    [DataRow("sm_80b")]
    [DataRow("sm_080")]
    [DataRow("sm_1000")]
    [DataRow(" sm_80")]
    public void RefusesOtherNames(string name)
    {
        Assert.IsFalse(CudaArchitecture.TryParse(name, out _));
        FormatException exception = Assert.ThrowsExactly<FormatException>(() => CudaArchitecture.Parse(name));
        Assert.Contains("sm_XY or compute_XY", exception.Message);
    }

    [TestMethod]
    // Cubins: same major, minor not above the device's.
    [DataRow("sm_80", 8, 0, true)]
    [DataRow("sm_80", 8, 6, true)]
    [DataRow("sm_86", 8, 0, false)]
    [DataRow("sm_80", 9, 0, false)]
    [DataRow("sm_80", 7, 5, false)]
    [DataRow("sm_90a", 9, 0, true)]
    [DataRow("sm_86a", 8, 9, false)]
    // PTX: any device at least as capable.
    [DataRow("compute_52", 5, 2, true)]
    [DataRow("compute_52", 9, 0, true)]
    [DataRow("compute_80", 7, 5, false)]
    [DataRow("compute_90a", 9, 0, true)]
    [DataRow("compute_90a", 10, 0, false)]
    [DataRow("compute_100f", 10, 3, true)]
    [DataRow("compute_100f", 12, 0, false)]
    public void KnowsWhichDevicesCanUseAnImage(string name, int major, int minor, bool expected) =>
        Assert.AreEqual(expected, CudaArchitecture.Parse(name).CanRunOn(new ComputeCapability(major, minor)));
}
