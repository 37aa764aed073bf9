using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>
/// Holds a reference on a SafeHandle for the length of a native call, so a Dispose on another
/// thread cannot free the native object while the driver is using it.
/// </summary>
internal readonly ref struct SafeHandleLease : IDisposable
{
    private readonly SafeHandle _handle;

    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    internal SafeHandleLease(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        _handle = handle;
    }

    // A default lease (no handle) stands for "nothing to hold", e.g. the default stream.
    public void Dispose() => _handle?.DangerousRelease();
}
