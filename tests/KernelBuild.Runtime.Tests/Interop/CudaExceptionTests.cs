using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Interop;

[TestClass]
public sealed class CudaExceptionTests
{
    [TestMethod]
    public void CarriesTheDriversOwnNameAndDescription()
    {
        var exception = new CudaException(CudaResult.OutOfMemory, "cuMemAlloc_v2", "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");

        Assert.AreEqual(CudaResult.OutOfMemory, exception.Result);
        Assert.AreEqual("cuMemAlloc_v2", exception.Operation);
        Assert.AreEqual("CUDA_ERROR_OUT_OF_MEMORY", exception.ErrorName);
        Assert.AreEqual("out of memory", exception.ErrorDescription);
        Assert.AreEqual("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory", exception.Message);
    }

    [TestMethod]
    public void KeepsCodesThisLibraryDoesNotName()
    {
        var exception = new CudaException((CudaResult)912, "cuLaunchKernel", "CUDA_ERROR_INVALID_CLUSTER_SIZE", "invalid cluster size");

        Assert.AreEqual(912, (int)exception.Result);
        Assert.AreEqual("cuLaunchKernel failed: CUDA_ERROR_INVALID_CLUSTER_SIZE (912): invalid cluster size", exception.Message);
    }

    [TestMethod]
    public void TellsANoDeviceMachineFromANoDriverOne()
    {
        CudaUnavailableException noDevice = CudaUnavailableException.NoDevice(null);
        CudaUnavailableException noDriver = CudaUnavailableException.DriverNotFound(["libcuda.so.1"]);

        Assert.AreEqual(CudaUnavailableReason.NoDevice, noDevice.Reason);
        Assert.StartsWith("no CUDA device", noDevice.Message);
        Assert.AreEqual(CudaUnavailableReason.DriverNotFound, noDriver.Reason);
        Assert.StartsWith("CUDA driver library not found (tried libcuda.so.1)", noDriver.Message);
    }
}
