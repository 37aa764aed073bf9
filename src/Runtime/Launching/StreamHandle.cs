namespace KernelBuild.Runtime;

/// <summary>A CUstream (cuStreamCreate), destroyed with cuStreamDestroy_v2.</summary>
internal sealed class StreamHandle : ContextBoundHandle
{
    private StreamHandle(PrimaryContextHandle context) : base(context)
    {
    }

    internal static StreamHandle Create(PrimaryContextHandle context)
    {
        var stream = new StreamHandle(context);
        try
        {
            context.MakeCurrent();
            // Flags 0 (CU_STREAM_DEFAULT): the stream still orders itself with the legacy default
            // stream, so work queued without a stream never races work queued on one.
            Interop.CudaDriver.cuStreamCreate(out nint native, 0).ThrowIfFailed(nameof(Interop.CudaDriver.cuStreamCreate));
            stream.SetHandle(native);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    protected override CudaResult Destroy(nint value) => Interop.CudaDriver.cuStreamDestroy_v2(value);
}
