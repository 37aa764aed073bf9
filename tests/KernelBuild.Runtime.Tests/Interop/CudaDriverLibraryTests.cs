using System;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Interop;

[TestClass]
public sealed class CudaDriverLibraryTests
{
    [TestMethod]
    public void NamesEveryLibraryItTriedWhenNoneLoads()
    {
        CudaUnavailableException exception = Assert.ThrowsExactly<CudaUnavailableException>(
            () => CudaDriverLibrary.Load(["libkernelbuild-no-such-driver.so.1", "kernelbuild-no-such-driver.dll"]));

        Assert.AreEqual(CudaUnavailableReason.DriverNotFound, exception.Reason);
        Assert.AreEqual(
            "CUDA driver library not found (tried libkernelbuild-no-such-driver.so.1, kernelbuild-no-such-driver.dll): install the NVIDIA driver",
            exception.Message);
    }

    [TestMethod]
    public void SaysSoOnAPlatformWithoutACudaDriver()
    {
        CudaUnavailableException exception = Assert.ThrowsExactly<CudaUnavailableException>(() => CudaDriverLibrary.Load([]));

        Assert.Contains("no driver for this operating system", exception.Message);
    }

    [TestMethod]
    public void LoadsTheFirstLibraryThatExists()
    {
        // Any library the OS certainly has stands in for the driver.
        string present = OperatingSystem.IsWindows() ? "kernel32.dll" : OperatingSystem.IsMacOS() ? "libSystem.dylib" : "libc.so.6";

        nint handle = CudaDriverLibrary.Load(["libkernelbuild-no-such-driver.so.1", present]);

        Assert.AreNotEqual(0, handle);
    }

    [TestMethod]
    public void LooksForTheVersionedDriverNotTheToolkitStub()
    {
        if (OperatingSystem.IsLinux())
        {
            CollectionAssert.AreEqual(new[] { "libcuda.so.1" }, CudaDriverLibrary.PlatformCandidates.ToArray());
        }
        else if (OperatingSystem.IsWindows())
        {
            CollectionAssert.AreEqual(new[] { "nvcuda.dll" }, CudaDriverLibrary.PlatformCandidates.ToArray());
        }
        else
        {
            Assert.IsEmpty(CudaDriverLibrary.PlatformCandidates);
        }
    }
}
