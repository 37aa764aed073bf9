using System;
using System.Linq;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Gpu;

[TestClass]
public sealed class DeviceBufferTests(TestContext testContext)
{
    [TestMethod]
    public void DataSurvivesARoundTrip()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        double[] host = Enumerable.Range(0, random.Next(1, 100_000)).Select(_ => random.NextDouble()).ToArray();

        using DeviceBuffer<double> buffer = gpu.Allocate<double>(host.Length);
        buffer.CopyFrom(host);

        Assert.AreEqual(host.Length, buffer.Length);
        Assert.AreEqual(host.Length * 8L, buffer.SizeInBytes);
        Assert.AreNotEqual(0UL, buffer.DeviceAddress);
        CollectionAssert.AreEqual(host, buffer.ToArray());
    }

    [TestMethod]
    public void CopiesOnAStreamArriveAfterSynchronize()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        Random random = TestGpu.Random(testContext);
        byte[] host = new byte[random.Next(1, 1 << 20)];
        random.NextBytes(host);
        byte[] back = new byte[host.Length];

        using CudaStream stream = gpu.CreateStream();
        using DeviceBuffer<byte> buffer = gpu.Allocate<byte>(host.Length);
        buffer.CopyFrom(host, stream);
        buffer.CopyTo(back, stream);
        stream.Synchronize();

        CollectionAssert.AreEqual(host, back);
    }

    [TestMethod]
    public void APartialCopyTouchesOnlyTheStart()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        using DeviceBuffer<int> buffer = gpu.Allocate<int>(8);
        buffer.CopyFrom([1, 2, 3, 4, 5, 6, 7, 8]);
        buffer.CopyFrom([-1, -2]);
        var firstThree = new int[3];
        buffer.CopyTo(firstThree);

        CollectionAssert.AreEqual(new[] { -1, -2, 3 }, firstThree);
        CollectionAssert.AreEqual(new[] { -1, -2, 3, 4, 5, 6, 7, 8 }, buffer.ToArray());
    }

    [TestMethod]
    public void ASpanLongerThanTheBufferIsRefused()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        using DeviceBuffer<int> buffer = gpu.Allocate<int>(4);

        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(() => buffer.CopyFrom(new int[5]));
        Assert.Contains("the span has 5 elements; the buffer holds 4", exception.Message);
        Assert.ThrowsExactly<ArgumentException>(() => buffer.CopyTo(new int[5]));
    }

    [TestMethod]
    public void AnEmptyBufferNeedsNoMemory()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        using DeviceBuffer<float> buffer = gpu.Allocate<float>(0);

        Assert.AreEqual(0UL, buffer.DeviceAddress);
        Assert.IsEmpty(buffer.ToArray());
    }

    [TestMethod]
    public void ADisposedBufferCannotBeUsed()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();
        DeviceBuffer<int> buffer = gpu.Allocate<int>(16);

        buffer.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => buffer.CopyFrom(new int[16]));
        Assert.ThrowsExactly<ObjectDisposedException>(() => buffer.ToArray());
    }

    [TestMethod]
    public void AnAllocationTooLargeForTheDeviceIsACudaException()
    {
        CudaGpu gpu = TestGpu.OpenOrInconclusive();

        CudaException exception = Assert.ThrowsExactly<CudaException>(
            () => gpu.Allocate<byte>(gpu.Device.TotalMemoryBytes * 4));

        Assert.AreEqual(CudaResult.OutOfMemory, exception.Result);
        Assert.AreEqual("CUDA_ERROR_OUT_OF_MEMORY", exception.ErrorName);
        Assert.AreEqual("cuMemAlloc_v2", exception.Operation);
    }
}
