using System;
using System.Globalization;

namespace KernelBuild.Runtime;

/// <summary>
/// An array of <typeparamref name="T"/> in device memory. Pass it to a kernel to pass its device
/// address; copy to and from host memory with <see cref="CopyFrom(ReadOnlySpan{T})"/> and
/// <see cref="CopyTo(Span{T})"/>. Dispose it to free the memory (the finalizer frees it otherwise).
/// </summary>
/// <typeparam name="T">The element type; laid out in device memory exactly as on the host.</typeparam>
public sealed unsafe class DeviceBuffer<T> : IDisposable, IDeviceMemory where T : unmanaged
{
    private readonly DeviceMemoryHandle _memory;

    private DeviceBuffer(DeviceMemoryHandle memory, long length)
    {
        _memory = memory;
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public long Length { get; }

    /// <summary>The size in bytes.</summary>
    public long SizeInBytes => Length * sizeof(T);

    /// <summary>The device address (CUdeviceptr) of the first element; what a kernel receives.</summary>
    public ulong DeviceAddress
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return _memory.Address;
        }
    }

    DeviceMemoryHandle IDeviceMemory.Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return _memory;
        }
    }

    internal static DeviceBuffer<T> Allocate(PrimaryContextHandle context, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > long.MaxValue / sizeof(T))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"{length} elements of {sizeof(T)} bytes do not fit in 64 bits");
        }
        return new DeviceBuffer<T>(DeviceMemoryHandle.Allocate(context, (ulong)(length * sizeof(T))), length);
    }

    /// <summary>Copies <paramref name="source"/> into the start of the buffer; returns when the copy is done.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is longer than the buffer.</exception>
    public void CopyFrom(ReadOnlySpan<T> source) => CopyFromHost(source, stream: null);

    /// <summary>
    /// Queues a copy of <paramref name="source"/> into the start of the buffer on <paramref name="stream"/>,
    /// after the work already queued there.
    /// </summary>
    /// <remarks>
    /// From ordinary (pageable) host memory, such as a managed array, the driver has taken its own copy
    /// of the data when this returns, so the span may be reused at once; only page-locked memory
    /// registered with the driver must stay untouched until the stream is synchronised.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="source"/> is longer than the buffer.</exception>
    public void CopyFrom(ReadOnlySpan<T> source, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CopyFromHost(source, stream);
    }

    /// <summary>Copies the first <c>destination.Length</c> elements of the buffer into <paramref name="destination"/>.</summary>
    /// <remarks>Waits for work queued on the default stream first, as a synchronous copy does in CUDA.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is longer than the buffer.</exception>
    public void CopyTo(Span<T> destination) => CopyToHost(destination, stream: null);

    /// <summary>
    /// Queues a copy of the first <c>destination.Length</c> elements into <paramref name="destination"/>
    /// on <paramref name="stream"/>, after the work already queued there.
    /// </summary>
    /// <remarks>
    /// Into ordinary (pageable) host memory, such as a managed array, the driver completes the copy
    /// before returning; into page-locked memory registered with the driver it may still be running,
    /// and the data is there once the stream is synchronised.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is longer than the buffer.</exception>
    public void CopyTo(Span<T> destination, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CopyToHost(destination, stream);
    }

    /// <summary>Copies the whole buffer into a new array.</summary>
    public T[] ToArray()
    {
        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"the buffer's {Length} elements do not fit in one array");
        }
        var result = new T[Length];
        CopyTo(result);
        return result;
    }

    /// <summary>Frees the device memory (after the device has finished with it: cuMemFree synchronises).</summary>
    public void Dispose() => _memory.Dispose();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"DeviceBuffer<{typeof(T).Name}>[{Length}]");

    private void CopyFromHost(ReadOnlySpan<T> source, CudaStream? stream)
    {
        CheckFits(source.Length, nameof(source));
        ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
        if (source.IsEmpty)
        {
            return;
        }

        using var memoryLease = new SafeHandleLease(_memory);
        using var streamLease = stream is null ? default : new SafeHandleLease(stream.Handle);
        _memory.Context.MakeCurrent();
        nuint bytes = (nuint)source.Length * (nuint)sizeof(T);
        fixed (T* host = source)
        {
            if (stream is null)
            {
                Interop.CudaDriver.cuMemcpyHtoD_v2(_memory.Address, host, bytes)
                    .ThrowIfFailed(nameof(Interop.CudaDriver.cuMemcpyHtoD_v2));
            }
            else
            {
                Interop.CudaDriver.cuMemcpyHtoDAsync_v2(_memory.Address, host, bytes, stream.Handle.DangerousGetHandle())
                    .ThrowIfFailed(nameof(Interop.CudaDriver.cuMemcpyHtoDAsync_v2));
            }
        }
    }

    private void CopyToHost(Span<T> destination, CudaStream? stream)
    {
        CheckFits(destination.Length, nameof(destination));
        ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
        if (destination.IsEmpty)
        {
            return;
        }

        using var memoryLease = new SafeHandleLease(_memory);
        using var streamLease = stream is null ? default : new SafeHandleLease(stream.Handle);
        _memory.Context.MakeCurrent();
        nuint bytes = (nuint)destination.Length * (nuint)sizeof(T);
        fixed (T* host = destination)
        {
            if (stream is null)
            {
                Interop.CudaDriver.cuMemcpyDtoH_v2(host, _memory.Address, bytes)
                    .ThrowIfFailed(nameof(Interop.CudaDriver.cuMemcpyDtoH_v2));
            }
            else
            {
                Interop.CudaDriver.cuMemcpyDtoHAsync_v2(host, _memory.Address, bytes, stream.Handle.DangerousGetHandle())
                    .ThrowIfFailed(nameof(Interop.CudaDriver.cuMemcpyDtoHAsync_v2));
            }
        }
    }

    private void CheckFits(int count, string parameterName)
    {
        if (count > Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"the span has {count} elements; the buffer holds {Length}"),
                parameterName);
        }
    }
}
