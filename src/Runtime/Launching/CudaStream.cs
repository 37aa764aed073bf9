using System;

namespace KernelBuild.Runtime;

/// <summary>
/// A queue of device work: copies and launches queued on one stream run in order, and may overlap
/// work on other streams. Create one with <see cref="CudaGpu.CreateStream"/>.
/// </summary>
public sealed class CudaStream : IDisposable
{
    private readonly StreamHandle _handle;

    private CudaStream(StreamHandle handle) => _handle = handle;

    internal StreamHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    internal static CudaStream Create(PrimaryContextHandle context) => new(StreamHandle.Create(context));

    /// <summary>Waits until everything queued on this stream has finished.</summary>
    /// <exception cref="CudaException">Queued work failed, e.g. a kernel with an illegal address.</exception>
    public void Synchronize()
    {
        using var lease = new SafeHandleLease(Handle);
        _handle.Context.MakeCurrent();
        Interop.CudaDriver.cuStreamSynchronize(_handle.DangerousGetHandle()).ThrowIfFailed(nameof(Interop.CudaDriver.cuStreamSynchronize));
    }

    /// <summary>Destroys the stream; work already queued still completes.</summary>
    public void Dispose() => _handle.Dispose();
}
