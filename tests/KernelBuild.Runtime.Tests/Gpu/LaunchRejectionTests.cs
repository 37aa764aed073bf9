using System;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

[TestClass]
public sealed class LaunchRejectionTests
{
    [TestMethod]
    public void AnUnknownEntryPointListsTheModulesEntryPoints()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        using CudaModule module = TestGpu.Load(gpu, "kernels/increment.cu");

        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(() => module.GetKernel("decrement"));

        Assert.Contains("no entry point 'decrement'", exception.Message);
        Assert.Contains("it has: increment", exception.Message);
        CollectionAssert.Contains(module.EntryPoints.ToArray(), "increment");
    }

    [TestMethod]
    public void AnUnknownKernelSourceListsTheEmbeddedKernels()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => TestGpu.Load(gpu, "kernels/missing.cu"));

        Assert.Contains("no kernel 'kernels/missing.cu'", exception.Message);
        Assert.Contains("kernels/increment.cu", exception.Message);
    }

    [TestMethod]
    public void AHostArrayIsRefusedBeforeTheLaunch()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        using CudaModule module = TestGpu.Load(gpu, "kernels/increment.cu");

        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(
            () => module.GetKernel("increment").Launch(1, 32, new int[32], 32));

        Assert.Contains("kernel argument 0 is an array", exception.Message);
    }

    [TestMethod]
    public void TheWrongNumberOfArgumentsIsRefusedWhenTheDriverKnowsTheParameters()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        using CudaModule module = TestGpu.Load(gpu, "kernels/increment.cu");
        CudaKernel increment = module.GetKernel("increment");
        if (increment.Parameters is null)
        {
            Assert.Inconclusive("this driver is older than CUDA 12.4 and cannot describe kernel parameters");
        }
        using DeviceBuffer<int> data = gpu.Allocate<int>(32);

        ArgumentException tooFew = Assert.ThrowsExactly<ArgumentException>(() => increment.Launch(1, 32, data));
        ArgumentException wrongSize = Assert.ThrowsExactly<ArgumentException>(() => increment.Launch(1, 32, data, 32L));

        Assert.Contains("takes 2 parameter(s) (8 bytes, 4 bytes) but 1 argument(s)", tooFew.Message);
        Assert.Contains("parameter 1 is 4 bytes but argument 1 (Int64) is 8 bytes", wrongSize.Message);
    }

    [TestMethod]
    public void ADisposedBufferIsRefused()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        using CudaModule module = TestGpu.Load(gpu, "kernels/increment.cu");
        DeviceBuffer<int> data = gpu.Allocate<int>(32);
        data.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => module.GetKernel("increment").Launch(1, 32, data, 32));
    }

    [TestMethod]
    public void AKernelOfADisposedModuleCannotBeLaunched()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        CudaModule module = TestGpu.Load(gpu, "kernels/increment.cu");
        CudaKernel increment = module.GetKernel("increment");
        using DeviceBuffer<int> data = gpu.Allocate<int>(32);

        module.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => increment.Launch(1, 32, data, 32));
    }
}
