using System.Globalization;

namespace KernelBuild.Runtime;

/// <summary>What the driver reports about one device.</summary>
public sealed class CudaDevice
{
    internal CudaDevice(int ordinal, int handle, string name, ComputeCapability computeCapability, long totalMemoryBytes, int multiprocessorCount)
    {
        Ordinal = ordinal;
        Handle = handle;
        Name = name;
        ComputeCapability = computeCapability;
        TotalMemoryBytes = totalMemoryBytes;
        MultiprocessorCount = multiprocessorCount;
    }

    /// <summary>The device's index among those the driver sees (after CUDA_VISIBLE_DEVICES).</summary>
    public int Ordinal { get; }

    /// <summary>The product name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public string Name { get; }

    /// <summary>The device's compute capability; decides which embedded image is loaded.</summary>
    public ComputeCapability ComputeCapability { get; }

    /// <summary>Device memory in bytes.</summary>
    public long TotalMemoryBytes { get; }

    /// <summary>The number of streaming multiprocessors.</summary>
    public int MultiprocessorCount { get; }

    /// <summary>The CUdevice the driver uses for this ordinal.</summary>
    internal int Handle { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Ordinal}: {Name} (compute capability {ComputeCapability}, {TotalMemoryBytes / (1024 * 1024)} MiB)");
}
