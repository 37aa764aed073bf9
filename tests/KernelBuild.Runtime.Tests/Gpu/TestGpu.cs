using System;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

/// <summary>
/// The device the GPU tests share, opened once through the public entry point. Tests end
/// Inconclusive, not failed, where there is nothing to run on: no kernels embedded in this
/// assembly (the KernelBuild targets not imported), no driver, or no device.
/// </summary>
internal static class TestGpu
{
    private static readonly Lazy<CudaGpu> s_gpu = new(CudaGpu.OpenDefault);

    internal static CudaGpu OpenOrInconclusive()
    {
        if (typeof(TestGpu).Assembly.GetManifestResourceInfo(KernelContainer.EmbeddedBundleResource) is null)
        {
            Assert.Inconclusive(
                $"this test assembly embeds no kernels (no '{KernelContainer.EmbeddedBundleResource}' resource): the KernelBuild targets were not imported when it was built");
        }
        try
        {
            return s_gpu.Value;
        }
        catch (CudaUnavailableException exception)
        {
            Assert.Inconclusive($"no GPU to run on: {exception.Message}");
            throw;
        }
    }

    /// <summary>Loads a kernel of this assembly's kernels/ folder.</summary>
    internal static CudaModule Load(CudaGpu gpu, string source) => gpu.LoadModule(typeof(TestGpu).Assembly, source);

    /// <summary>A seeded generator whose seed is printed, so a failure can be replayed.</summary>
    internal static Random Random(TestContext context)
    {
        int seed = System.Random.Shared.Next();
        context.WriteLine($"random seed: {seed}");
        return new Random(seed);
    }
}
