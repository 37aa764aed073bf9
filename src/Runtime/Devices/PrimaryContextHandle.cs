using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>One reference to a device's primary context (cuDevicePrimaryCtxRetain / Release).</summary>
/// <remarks>
/// Every handle created in the context (memory, modules, streams) holds a reference to this one
/// (SafeHandle.DangerousAddRef), so the context outlives them however they are disposed or finalised.
/// </remarks>
internal sealed class PrimaryContextHandle : SafeHandle
{
    private readonly int _device;

    private PrimaryContextHandle(int device) : base(invalidHandleValue: 0, ownsHandle: true) => _device = device;

    public override bool IsInvalid => handle == 0;

    internal static PrimaryContextHandle Retain(int device)
    {
        var context = new PrimaryContextHandle(device);
        try
        {
            Interop.CudaDriver.cuDevicePrimaryCtxRetain(out nint native, device)
                .ThrowIfFailed(nameof(Interop.CudaDriver.cuDevicePrimaryCtxRetain));
            context.SetHandle(native);
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Makes the context current on the calling thread.</summary>
    /// <remarks>
    /// The driver keeps the current context per thread, and .NET code moves between threads freely
    /// (thread pool, async continuations, parallel tests), so every operation sets it rather than
    /// assuming an earlier call on some other thread did. It only writes a thread-local.
    /// </remarks>
    internal void MakeCurrent() =>
        Interop.CudaDriver.cuCtxSetCurrent(handle).ThrowIfFailed(nameof(Interop.CudaDriver.cuCtxSetCurrent));

    protected override bool ReleaseHandle()
    {
        CudaResult result = Interop.CudaDriver.cuDevicePrimaryCtxRelease_v2(_device);
        return result is CudaResult.Success or CudaResult.Deinitialized;
    }
}
