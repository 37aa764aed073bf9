namespace KernelBuild.Runtime;

/// <summary>Why CUDA cannot be used on this machine.</summary>
public enum CudaUnavailableReason
{
    /// <summary>No CUDA driver library could be loaded (or only the toolkit's stub was found).</summary>
    DriverNotFound,

    /// <summary>The driver loaded but reports no CUDA device.</summary>
    NoDevice,
}
