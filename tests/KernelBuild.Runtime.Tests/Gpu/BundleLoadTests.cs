using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using KernelBuild.Runtime;
using KernelBuild.Runtime.Tests.Loading;

namespace KernelBuild.Runtime.Tests.Gpu;

/// <summary>
/// A kernel shipped in the kernel bundle (EmbedCudaKernels=false) loads and runs like an embedded one: the bundle is
/// made from this assembly's embedded kernels and put beside an assembly that embeds none.
/// </summary>
[TestClass]
public sealed class BundleLoadTests(TestContext testContext)
{
    [TestMethod]
    public void AKernelFromTheBundleBesideAnAssemblyRuns()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        string folder = Path.Combine(Path.GetTempPath(), "kb-gpu-bundle-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var context = new AssemblyLoadContext("gpu-bundle-test", isCollectible: true);
        try
        {
            // The runtime assembly embeds no kernels; a copy of it stands for an application built with the bundle.
            string copy = Path.Combine(folder, "KernelBuild.Runtime.dll");
            File.Copy(typeof(CudaGpu).Assembly.Location, copy);
            Assembly withoutKernels = context.LoadFromAssemblyPath(copy);
            TestBundles.WriteFromEmbedded(typeof(BundleLoadTests).Assembly, Path.Combine(folder, "KernelBuild.Runtime.cudakernels"));

            Random random = TestGpu.Random(testContext);
            int n = random.Next(1_000, 100_000);
            int[] host = Enumerable.Range(0, n).Select(_ => random.Next(-1_000_000, 1_000_000)).ToArray();
            using CudaModule module = gpu.LoadModule(withoutKernels, "kernels/increment.cu");
            using DeviceBuffer<int> data = gpu.Allocate<int>(n);
            data.CopyFrom(host);
            module.GetKernel("increment").Launch(grid: (n + 255) / 256, block: 256, data, n);
            gpu.Synchronize();

            CollectionAssert.AreEqual(host.Select(value => value + 1).ToArray(), data.ToArray());
        }
        finally
        {
            context.Unload();
            Directory.Delete(folder, recursive: true);
        }
    }
}
