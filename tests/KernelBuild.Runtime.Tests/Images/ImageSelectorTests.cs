using System.Collections.Generic;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Images;

[TestClass]
public sealed class ImageSelectorTests
{
    [TestMethod]
    public void PrefersTheCubinOfTheDevicesOwnArchitecture() =>
        Assert.AreEqual("sm_90", Select(new(9, 0), "sm_80", "sm_90", "compute_52"));

    [TestMethod]
    public void RunsAnOlderMinorCubinOfTheSameMajor() =>
        Assert.AreEqual("sm_80", Select(new(8, 6), "sm_80"));

    [TestMethod]
    public void TakesTheClosestRunnableCubin() =>
        Assert.AreEqual("sm_86", Select(new(8, 9), "sm_80", "sm_86", "sm_90"));

    [TestMethod]
    public void PrefersARunnableCubinOverExactPtx() =>
        Assert.AreEqual("sm_80", Select(new(8, 6), "compute_86", "sm_80"));

    [TestMethod]
    public void PrefersTheArchitectureSpecificCubinOnItsOwnDevice() =>
        Assert.AreEqual("sm_90a", Select(new(9, 0), "sm_90", "sm_90a"));

    [TestMethod]
    public void FallsBackToPtxWhenNoCubinRuns() =>
        Assert.AreEqual("compute_52", Select(new(8, 0), "sm_86", "compute_52"));

    [TestMethod]
    public void TakesTheHighestPtxNotAboveTheDevice() =>
        Assert.AreEqual("compute_80", Select(new(8, 6), "compute_52", "compute_80", "compute_90"));

    [TestMethod]
    public void UsesPtxForADeviceNewerThanEveryCubin() =>
        Assert.AreEqual("compute_90", Select(new(12, 0), "sm_80", "sm_90", "compute_90"));

    [TestMethod]
    public void ReturnsTheManifestsImageWithItsResource()
    {
        List<KernelImage> images = Images("sm_80", "compute_52");

        KernelImage selected = ImageSelector.Select("kernels/a.cu", images, new ComputeCapability(8, 0));

        Assert.AreSame(images[0], selected);
        Assert.AreEqual(KernelImageKind.Cubin, selected.Kind);
    }

    [TestMethod]
    public void ListsWhatWasEmbeddedWhenNothingRuns()
    {
        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => ImageSelector.Select("kernels/a.cu", Images("sm_80"), new ComputeCapability(7, 5)));

        Assert.Contains("kernels/a.cu", exception.Message);
        Assert.Contains("7.5", exception.Message);
        Assert.Contains("embedded are sm_80", exception.Message);
        Assert.Contains("add sm_75", exception.Message);
    }

    [TestMethod]
    public void RefusesPtxNewerThanTheDevice()
    {
        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => ImageSelector.Select("kernels/a.cu", Images("compute_80", "sm_90"), new ComputeCapability(7, 0)));

        Assert.Contains("compute_80, sm_90", exception.Message);
    }

    [TestMethod]
    public void SaysSoWhenAKernelHasNoImages()
    {
        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => ImageSelector.Select("kernels/a.cu", Images(), new ComputeCapability(9, 0)));

        Assert.Contains("no images", exception.Message);
    }

    private static string Select(ComputeCapability device, params string[] architectures) =>
        ImageSelector.Select("kernels/a.cu", Images(architectures), device).Architecture.Name;

    private static List<KernelImage> Images(params string[] architectures) =>
        architectures
            .Select(name => CudaArchitecture.Parse(name))
            .Select(arch => new KernelImage(
                arch,
                arch.IsVirtual ? KernelImageKind.Ptx : KernelImageKind.Cubin,
                $"KernelBuild/kernels/a.{arch.Name}.{(arch.IsVirtual ? "ptx" : "cubin")}",
                new string('0', 64)))
            .ToList();
}
