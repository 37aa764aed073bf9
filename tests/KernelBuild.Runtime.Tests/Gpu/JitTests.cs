using System;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

[TestClass]
public sealed class JitTests(TestContext testContext)
{
    [TestMethod]
    public void AKernelEmbeddedOnlyAsPtxIsCompiledByTheDriver()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 50_000);
        float[] host = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();

        using CudaModule module = TestGpu.Load(gpu, "kernels/jit_only.cu");
        using DeviceBuffer<float> data = gpu.Allocate<float>(n);
        data.CopyFrom(host);
        module.GetKernel("square").Launch(grid: (n + 255) / 256, block: 256, data, n);
        float[] result = data.ToArray();

        Assert.AreEqual(KernelImageKind.Ptx, module.Image.Kind);
        Assert.AreEqual("compute_75", module.Image.Architecture.Name);
        CollectionAssert.AreEqual(host.Select(value => value * value).ToArray(), result);
    }
}
