using System;
using System.Collections.Generic;

namespace KernelBuild.Runtime;

/// <summary>
/// CUDA cannot be used here at all: no driver, or no device. Kept apart from
/// <see cref="CudaException"/> so that a program (or a test) can fall back or skip on exactly this
/// condition while every other driver failure stays an error.
/// </summary>
public sealed class CudaUnavailableException : Exception
{
    internal CudaUnavailableException(CudaUnavailableReason reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Whether the driver library or a device is what is missing.</summary>
    public CudaUnavailableReason Reason { get; }

    internal static CudaUnavailableException DriverNotFound(IReadOnlyList<string> triedNames) => new(
        CudaUnavailableReason.DriverNotFound,
        triedNames.Count == 0
            ? "CUDA driver library not found: CUDA has no driver for this operating system"
            : $"CUDA driver library not found (tried {string.Join(", ", triedNames)}): install the NVIDIA driver");

    internal static CudaUnavailableException StubDriver(CudaException cause) => new(
        CudaUnavailableReason.DriverNotFound,
        "CUDA driver library not found: the library loaded is the CUDA toolkit's stub, which only serves linking; " +
        "install the NVIDIA driver, or take the stubs folder off the library search path",
        cause);

    internal static CudaUnavailableException NoDevice(CudaException? cause) => new(
        CudaUnavailableReason.NoDevice,
        "no CUDA device: the NVIDIA driver is installed but reports no device (check that the GPU is visible to this process, e.g. CUDA_VISIBLE_DEVICES or the container's device mapping)",
        cause);
}
