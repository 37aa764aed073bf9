using System.Collections.Generic;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

[TestClass]
public sealed class DeviceTests
{
    [TestMethod]
    public void TheDriverDescribesItsDevices()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        IReadOnlyList<CudaDevice> devices = CudaGpu.GetDevices();

        Assert.IsNotEmpty(devices);
        Assert.AreEqual(0, devices[0].Ordinal);
        Assert.AreEqual(gpu.Device.Name, devices[0].Name);
        Assert.IsFalse(string.IsNullOrWhiteSpace(devices[0].Name));
        // No device that current drivers support is older than Maxwell (5.0).
        Assert.IsGreaterThanOrEqualTo(5, devices[0].ComputeCapability.Major);
        Assert.IsGreaterThan(0L, devices[0].TotalMemoryBytes);
        Assert.IsGreaterThan(0, devices[0].MultiprocessorCount);
    }

    [TestMethod]
    public void AnOrdinalPastTheLastDeviceIsRefused()
    {
        TestGpu.OpenOrInconclusive();

        Assert.ThrowsExactly<System.ArgumentOutOfRangeException>(() => CudaGpu.Open(CudaGpu.GetDevices().Count));
    }
}
