using System;
using System.Collections.Generic;
using System.Reflection;

namespace KernelBuild.Runtime;

/// <summary>
/// An opened CUDA device: the entry point for loading embedded kernels, allocating device memory
/// and creating streams. Uses the device's primary context, so several <see cref="CudaGpu"/>
/// objects for one device (and other CUDA code in the process) share it.
/// </summary>
/// <example>
/// <code>
/// using var gpu = CudaGpu.OpenDefault();
/// using var module = gpu.LoadModule(typeof(Program).Assembly, "kernels/increment.cu");
/// var increment = module.GetKernel("increment");
/// using var data = gpu.Allocate&lt;int&gt;(n);
/// data.CopyFrom(host);
/// increment.Launch(grid: (n + 255) / 256, block: 256, data, n);
/// gpu.Synchronize();
/// data.CopyTo(host);
/// </code>
/// </example>
public sealed class CudaGpu : IDisposable
{
    private readonly PrimaryContextHandle _context;

    // The handle's own IsClosed stays false while buffers, modules or streams still hold the
    // context, so this object tracks its disposal itself.
    private volatile bool _disposed;

    private CudaGpu(CudaDevice device, PrimaryContextHandle context)
    {
        Device = device;
        _context = context;
    }

    /// <summary>The device this object runs on.</summary>
    public CudaDevice Device { get; }

    internal PrimaryContextHandle Context
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _context;
        }
    }

    /// <summary>Every device the driver sees.</summary>
    /// <exception cref="CudaUnavailableException">No driver library, or no device.</exception>
    public static IReadOnlyList<CudaDevice> GetDevices()
    {
        var devices = new CudaDevice[CudaDriverSession.DeviceCount];
        for (int ordinal = 0; ordinal < devices.Length; ordinal++)
        {
            devices[ordinal] = CudaDriverSession.DescribeDevice(ordinal);
        }
        return devices;
    }

    /// <summary>Opens device 0.</summary>
    /// <exception cref="CudaUnavailableException">No driver library, or no device.</exception>
    public static CudaGpu OpenDefault() => Open(0);

    /// <summary>Opens the device with the given ordinal.</summary>
    /// <exception cref="CudaUnavailableException">No driver library, or no device.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no device with that ordinal.</exception>
    public static CudaGpu Open(int ordinal)
    {
        CudaDevice device = CudaDriverSession.DescribeDevice(ordinal);
        return new CudaGpu(device, PrimaryContextHandle.Retain(device.Handle));
    }

    /// <summary>
    /// Loads the kernel that KernelBuild compiled from <paramref name="kernelSource"/> and embedded
    /// in <paramref name="assembly"/>, choosing the image that suits this device (see docs/runtime.md).
    /// </summary>
    /// <param name="assembly">The assembly the kernel was built into, e.g. <c>typeof(Program).Assembly</c>.</param>
    /// <param name="kernelSource">The kernel's project-relative source path, e.g. <c>kernels/increment.cu</c>.</param>
    /// <exception cref="KernelLoadException">
    /// No manifest, no such kernel, no image this device can run, an image whose hash does not match,
    /// or the driver rejected the image (the JIT's log is in the message).
    /// </exception>
    public CudaModule LoadModule(Assembly assembly, string kernelSource)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(kernelSource);
        return CudaModule.Load(Context, Device, KernelContainer.From(assembly), kernelSource);
    }

    /// <summary>Allocates device memory for <paramref name="length"/> elements (not initialised).</summary>
    public DeviceBuffer<T> Allocate<T>(long length) where T : unmanaged => DeviceBuffer<T>.Allocate(Context, length);

    /// <summary>Creates a stream: work queued on it runs in order, and may overlap other streams' work.</summary>
    public CudaStream CreateStream() => CudaStream.Create(Context);

    /// <summary>Waits until all work queued on this device (every stream) has finished.</summary>
    /// <exception cref="CudaException">A kernel failed, e.g. with an illegal address.</exception>
    public void Synchronize()
    {
        Context.MakeCurrent();
        Interop.CudaDriver.cuCtxSynchronize().ThrowIfFailed(nameof(Interop.CudaDriver.cuCtxSynchronize));
    }

    /// <summary>
    /// Gives back this object's reference to the primary context. Buffers, modules and streams
    /// created from it keep the context alive until they are disposed as well.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _context.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Device.ToString();
}
