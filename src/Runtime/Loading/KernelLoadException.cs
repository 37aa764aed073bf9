using System;

namespace KernelBuild.Runtime;

/// <summary>
/// An embedded kernel could not be loaded: the manifest is missing or malformed, the kernel or an
/// image is not there, no image suits the device, an image's hash does not match, or the driver
/// rejected the image.
/// </summary>
public sealed class KernelLoadException : Exception
{
    internal KernelLoadException(string message, Exception? innerException = null, string? jitLog = null)
        : base(message, innerException) => JitLog = jitLog;

    /// <summary>The driver JIT's error log when it rejected the image, otherwise null.</summary>
    public string? JitLog { get; }
}
