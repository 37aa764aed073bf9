namespace KernelBuild.Runtime;

/// <summary>Everything about a launch except the arguments: the <c>&lt;&lt;&lt;grid, block, shared, stream&gt;&gt;&gt;</c> of CUDA C++.</summary>
/// <param name="Grid">Blocks in the grid.</param>
/// <param name="Block">Threads in a block.</param>
public readonly record struct LaunchConfiguration(Dim3 Grid, Dim3 Block)
{
    /// <summary>Bytes of dynamic shared memory per block (<c>extern __shared__</c> arrays).</summary>
    public uint SharedMemoryBytes { get; init; }

    /// <summary>The stream to queue the launch on; null for the default stream.</summary>
    public CudaStream? Stream { get; init; }
}
