using System;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

/// <summary>
/// Launches through the launchers KernelBuild generated for kernels/typed_launch.cu (TypedLaunchKernels, in this
/// project's root namespace): a template instantiated twice, vector types, one parameter of every scalar width, user
/// structs mapped by [CudaStruct] (below) by value, through buffers and as a template argument, and the grid/block
/// and stream overloads.
/// </summary>
[TestClass]
public sealed class TypedLaunchTests(TestContext testContext)
{
    [TestMethod]
    public void TemplateInstantiations_EachRunWithTheirOwnTypes()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 50_000);
        float[] floats = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        double[] doubles = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();

        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using DeviceBuffer<float> deviceFloats = gpu.Allocate<float>(n);
        using DeviceBuffer<double> deviceDoubles = gpu.Allocate<double>(n);
        deviceFloats.CopyFrom(floats);
        deviceDoubles.CopyFrom(doubles);
        kernels.Scale(LaunchShape.For1D(n), deviceFloats, 2.5f, n);  // ops::scale<float>
        kernels.Scale(LaunchShape.For1D(n), deviceDoubles, -3.0, n); // ops::scale<double>

        CollectionAssert.AreEqual(floats.Select(x => x * 2.5f).ToArray(), deviceFloats.ToArray());
        CollectionAssert.AreEqual(doubles.Select(x => x * -3.0).ToArray(), deviceDoubles.ToArray());
    }

    [TestMethod]
    public void VectorTypes_HaveCudasLayout()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 50_000);
        Float4[] a = Enumerable.Range(0, n).Select(_ => RandomFloat4(random)).ToArray();
        Float4[] b = Enumerable.Range(0, n).Select(_ => RandomFloat4(random)).ToArray();

        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using DeviceBuffer<Float4> deviceA = gpu.Allocate<Float4>(n);
        using DeviceBuffer<Float4> deviceB = gpu.Allocate<Float4>(n);
        using DeviceBuffer<Float4> sum = gpu.Allocate<Float4>(n);
        deviceA.CopyFrom(a);
        deviceB.CopyFrom(b);
        // const float4* parameters take a read-only view, or a buffer converted implicitly.
        kernels.AddVectors(LaunchShape.For1D(kernels.Module.GetKernel("add_vectors"), n), new ReadOnlyDeviceBuffer<Float4>(deviceA), deviceB, sum, n);

        Float4[] expected = a.Zip(b, (x, y) => new Float4(x.X + y.X, x.Y + y.Y, x.Z + y.Z, x.W + y.W)).ToArray();
        CollectionAssert.AreEqual(expected, sum.ToArray());
    }

    [TestMethod]
    public void EveryScalarWidth_ReachesTheDeviceIntact()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using DeviceBuffer<ulong> output = gpu.Allocate<ulong>(9);
        kernels.Widths(new LaunchConfiguration(1, 1), -7, 65_000, true, 4_000_000_000u, -5_000_000_000_000L, 1.5f, -2.25,
            new Double2(0.5, 0.25), new Short3(3, 4, 5), output);

        ulong[] values = output.ToArray();
        Assert.AreEqual("-7 65000 1 4000000000 -5000000000000 1500 -2250 750 30405", string.Join(" ", values.Select(v => (long)v)));
    }

    [TestMethod]
    public void TypedLaunch_AllocatesNothing()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using DeviceBuffer<float> data = gpu.Allocate<float>(256);
        using CudaStream stream = gpu.CreateStream();
        LaunchConfiguration configuration = LaunchShape.For1D(256);
        var particle = new Particle(1, 2, 3);
        using DeviceBuffer<Particle> particles = gpu.Allocate<Particle>(256);
        LaunchAllForms(); // first calls: JIT, lazy initialisation

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 25; i++)
        {
            LaunchAllForms();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        gpu.Synchronize();
        stream.Synchronize();

        Assert.AreEqual(0, allocated, "bytes allocated by 100 typed launches");

        // The three forms of a launcher, and a user struct by value.
        void LaunchAllForms()
        {
            kernels.Scale(configuration, data, 1.0f, 256);
            kernels.Scale(1, 256, data, 1.0f, 256);
            kernels.Scale(configuration, stream, data, 1.0f, 256);
            kernels.Fill(configuration, particles, particle, 256);
        }
    }

    [TestMethod]
    public void UserStructs_ByValueAndThroughBuffers_ReachTheDeviceIntact()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 50_000);
        Particle[] input = Enumerable.Range(0, n).Select(i => new Particle((float)random.NextDouble(), (float)random.NextDouble(), i)).ToArray();
        // A power of two: the device's fused multiply-add rounds as the host's multiply and add do.
        var step = new Step(new Particle((float)random.NextDouble(), (float)random.NextDouble(), random.Next(1, 1000)), Math.ScaleB(1.0, random.Next(-3, 4)));

        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using DeviceBuffer<Particle> deviceInput = gpu.Allocate<Particle>(n);
        using DeviceBuffer<Particle> output = gpu.Allocate<Particle>(n);
        deviceInput.CopyFrom(input);
        kernels.Advance(LaunchShape.For1D(n), deviceInput, output, step, n);

        float scale = (float)step.Scale;
        Particle[] expected = input.Select(p => new Particle(p.X + step.Delta.X * scale, p.Y + step.Delta.Y * scale, p.Id + step.Delta.Id)).ToArray();
        CollectionAssert.AreEqual(expected, output.ToArray());
    }

    [TestMethod]
    public void TemplateInstantiatedOnAUserStruct_FillsABufferOfIt()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 50_000);
        var value = new Particle((float)random.NextDouble(), -(float)random.NextDouble(), random.Next());

        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using DeviceBuffer<Particle> data = gpu.Allocate<Particle>(n);
        kernels.Fill(LaunchShape.For1D(n), data, value, n); // fill<physics::Particle>

        Assert.IsTrue(data.ToArray().All(p => p == value), "every element is the value passed by value");
    }

    [TestMethod]
    public void GridBlockAndStreamOverloads_LaunchTheSameKernel()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        int n = random.Next(1_000, 50_000);
        float[] values = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();

        using TypedLaunchKernels kernels = TypedLaunchKernels.Load(gpu);
        using CudaStream stream = gpu.CreateStream();
        using DeviceBuffer<float> data = gpu.Allocate<float>(n);
        data.CopyFrom(values);
        kernels.Scale((n + 127) / 128, 128, data, 2.0f, n);              // Dim3 grid, Dim3 block
        kernels.Scale(LaunchShape.For1D(n), stream, data, 4.0f, n);     // on a stream
        stream.Synchronize();

        CollectionAssert.AreEqual(values.Select(x => x * 8.0f).ToArray(), data.ToArray());
    }

    private static Float4 RandomFloat4(Random random) =>
        new((float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble());
}

/// <summary>physics::Particle of kernels/typed_launch.cu: 12 bytes aligned to 4, as the generator checks.</summary>
[CudaStruct("physics::Particle")]
public record struct Particle(float X, float Y, int Id);

/// <summary>physics::Step: a nested struct and a double, 24 bytes aligned to 8.</summary>
[CudaStruct("physics::Step")]
public record struct Step(Particle Delta, double Scale);
