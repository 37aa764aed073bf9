using System;

namespace KernelBuild.Runtime;

/// <summary>An allocation of device memory (cuMemAlloc_v2), freed with cuMemFree_v2.</summary>
internal sealed class DeviceMemoryHandle : ContextBoundHandle
{
    private DeviceMemoryHandle(PrimaryContextHandle context) : base(context)
    {
    }

    /// <summary>The CUdeviceptr; zero for an empty allocation.</summary>
    internal ulong Address => (ulong)handle;

    internal static DeviceMemoryHandle Allocate(PrimaryContextHandle context, ulong bytes)
    {
        var memory = new DeviceMemoryHandle(context);
        if (bytes == 0)
        {
            // The driver refuses zero-byte allocations; an empty buffer needs no memory.
            return memory;
        }
        try
        {
            context.MakeCurrent();
            Interop.CudaDriver.cuMemAlloc_v2(out ulong address, (nuint)bytes).ThrowIfFailed(nameof(Interop.CudaDriver.cuMemAlloc_v2));
            memory.SetHandle((nint)address);
            return memory;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    protected override CudaResult Destroy(nint value) => Interop.CudaDriver.cuMemFree_v2((ulong)value);
}
