using System;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

[TestClass]
public sealed class KernelLaunchTests(TestContext testContext)
{
    [TestMethod]
    public void IncrementAddsOneToEveryElement()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 100_000);
        int[] host = Enumerable.Range(0, n).Select(_ => random.Next(-1_000_000_000, 1_000_000_000)).ToArray();

        using CudaModule module = TestGpu.Load(gpu, "kernels/increment.cu");
        CudaKernel increment = module.GetKernel("increment");
        using DeviceBuffer<int> data = gpu.Allocate<int>(n);
        data.CopyFrom(host);
        increment.Launch(grid: (n + 255) / 256, block: 256, data, n);
        gpu.Synchronize();
        int[] result = data.ToArray();

        CollectionAssert.AreEqual(host.Select(value => value + 1).ToArray(), result);
    }

    [TestMethod]
    public void AKernelBuiltFromSeveralHeadersRuns()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(50_000, 200_000);
        float a = (float)(random.NextDouble() * 4 - 2);
        float[] x = RandomFloats(random, n);
        float[] y = RandomFloats(random, n);
        const float Low = -0.75f, High = 1.25f;

        using CudaModule module = TestGpu.Load(gpu, "kernels/saxpy_clamped.cu");
        using DeviceBuffer<float> deviceX = gpu.Allocate<float>(n);
        using DeviceBuffer<float> deviceY = gpu.Allocate<float>(n);
        deviceX.CopyFrom(x);
        deviceY.CopyFrom(y);
        // Fewer threads than elements: the headers' grid-stride loop covers the rest.
        module.GetKernel("saxpy_clamped").Launch(grid: 32, block: 128, a, deviceX, deviceY, Low, High, n);
        float[] result = deviceY.ToArray();

        for (int i = 0; i < n; i++)
        {
            float expected = Math.Clamp(MathF.FusedMultiplyAdd(a, x[i], y[i]), Low, High);
            Assert.AreEqual(expected, result[i], 1e-5f, $"element {i}");
        }
    }

    [TestMethod]
    public void ArgumentsOfMixedSizesReachTheDeviceIntact()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 10_000);
        int[] input = Enumerable.Range(0, n).Select(_ => random.Next(-100_000, 100_000)).ToArray();
        double scale = random.NextDouble() * 10 - 5;
        var affine = new Affine((float)(random.NextDouble() * 2), random.Next(-1000, 1000));

        using CudaModule module = TestGpu.Load(gpu, "kernels/mixed_args.cu");
        CudaKernel kernel = module.GetKernel("mixed_args");
        using DeviceBuffer<int> deviceInput = gpu.Allocate<int>(n);
        using DeviceBuffer<double> output = gpu.Allocate<double>(n);
        deviceInput.CopyFrom(input);
        kernel.Launch(grid: (n + 127) / 128, block: 128, n, scale, deviceInput, affine, output);
        double[] result = output.ToArray();

        for (int i = 0; i < n; i++)
        {
            double expected = scale * ((double)input[i] * affine.Multiply + affine.Add);
            Assert.AreEqual(expected, result[i], Math.Abs(expected) * 1e-12 + 1e-9, $"element {i}");
        }
        if (kernel.Parameters is { } parameters)
        {
            // The driver's own layout of the parameters is the one the runtime computes.
            KernelArgumentLayout layout = KernelArgumentLayout.Of([n, scale, deviceInput, affine, output]);
            CollectionAssert.AreEqual(
                layout.Slots.Select(slot => new KernelParameter(slot.Offset, slot.Size)).ToArray(),
                parameters.ToArray());
        }
    }

    [TestMethod]
    public void TwoDimensionalShapesReachTheDevice()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int width = random.Next(100, 700), height = random.Next(100, 500);

        using CudaModule module = TestGpu.Load(gpu, "kernels/grid2d.cu");
        using DeviceBuffer<int> output = gpu.Allocate<int>(width * height);
        module.GetKernel("fill_coordinates").Launch(
            grid: ((width + 15) / 16, (height + 7) / 8),
            block: (16, 8),
            output, width, height);
        int[] result = output.ToArray();

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Assert.AreEqual(y * 65536 + x, result[y * width + x], $"element ({x}, {y})");
            }
        }
    }

    [TestMethod]
    public void DynamicSharedMemoryAndAStreamAreUsed()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        const int Block = 256;
        int n = random.Next(10_000, 1_000_000);
        int blocks = (n + Block - 1) / Block;
        int[] input = Enumerable.Range(0, n).Select(_ => random.Next()).ToArray();
        var sums = new long[blocks];

        using CudaModule module = TestGpu.Load(gpu, "kernels/block_sum.cu");
        using CudaStream stream = gpu.CreateStream();
        using DeviceBuffer<int> deviceInput = gpu.Allocate<int>(n);
        using DeviceBuffer<long> deviceSums = gpu.Allocate<long>(blocks);
        deviceInput.CopyFrom(input, stream);
        module.GetKernel("block_sum").Launch(
            new LaunchConfiguration(blocks, Block) { SharedMemoryBytes = Block * sizeof(long), Stream = stream },
            deviceInput, deviceSums, n);
        deviceSums.CopyTo(sums, stream);
        stream.Synchronize();

        for (int b = 0; b < blocks; b++)
        {
            long expected = input.Skip(b * Block).Take(Block).Sum(value => (long)value);
            Assert.AreEqual(expected, sums[b], $"block {b}");
        }
    }

    private static float[] RandomFloats(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    // struct Affine { float multiply; int add; } of kernels/mixed_args.cu.
    private readonly record struct Affine(float Multiply, int Add);
}
