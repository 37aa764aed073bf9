using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>
/// A driver object that lives in a context (device memory, a module, a stream). Keeps the context
/// alive while it exists and makes it current to destroy the object, which matters on the
/// finalizer thread, where no context is current.
/// </summary>
internal abstract class ContextBoundHandle : SafeHandle
{
    protected ContextBoundHandle(PrimaryContextHandle context) : base(invalidHandleValue: 0, ownsHandle: true)
    {
        bool added = false;
        context.DangerousAddRef(ref added);
        Context = context;
    }

    internal PrimaryContextHandle Context { get; }

    // Never "invalid": ReleaseHandle must also run for a handle whose creation failed (value still
    // zero) so that the context reference taken in the constructor is given back. A zero value is
    // simply nothing to destroy.
    public override bool IsInvalid => false;

    /// <summary>Destroys the native object; the context is current.</summary>
    protected abstract CudaResult Destroy(nint value);

    protected override bool ReleaseHandle()
    {
        CudaResult result = CudaResult.Success;
        if (handle != 0)
        {
            // Push/pop rather than set, to leave the calling thread's current context as it was.
            result = Interop.CudaDriver.cuCtxPushCurrent_v2(Context.DangerousGetHandle());
            if (result == CudaResult.Success)
            {
                result = Destroy(handle);
                Interop.CudaDriver.cuCtxPopCurrent_v2(out _);
            }
        }
        Context.DangerousRelease();
        return result is CudaResult.Success or CudaResult.Deinitialized;
    }
}
