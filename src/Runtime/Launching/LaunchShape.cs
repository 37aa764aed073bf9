using System;

namespace KernelBuild.Runtime;

/// <summary>
/// Launch configurations for the common shapes: one thread per element of a 1-D range or a 2-D grid, the grid
/// rounded up so that every element is covered (the kernel checks its index against the size).
/// </summary>
public static class LaunchShape
{
    /// <summary>Threads per block when none is given: a multiple of the warp size that suits most kernels.</summary>
    public const int DefaultBlockSize = 256;

    /// <summary>One thread per element of <paramref name="count"/> elements, in blocks of <paramref name="blockSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or block size that is not positive, or a grid too large for one launch.</exception>
    public static LaunchConfiguration For1D(long count, int blockSize = DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return new LaunchConfiguration(new Dim3(BlocksFor(count, blockSize, nameof(count))), new Dim3((uint)blockSize));
    }

    /// <summary>
    /// One thread per element of <paramref name="count"/> elements, in blocks of the size the driver says maximises
    /// <paramref name="kernel"/>'s occupancy (<see cref="CudaKernel.SuggestBlockSize"/>).
    /// </summary>
    /// <exception cref="CudaException">The driver refused the occupancy query.</exception>
    public static LaunchConfiguration For1D(CudaKernel kernel, long count, uint sharedMemoryBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return For1D(count, kernel.SuggestBlockSize(sharedMemoryBytes)) with { SharedMemoryBytes = sharedMemoryBytes };
    }

    /// <summary>One thread per element of a <paramref name="width"/> × <paramref name="height"/> grid, in 16 × 16 blocks unless told otherwise.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size that is not positive, or a grid too large for one launch.</exception>
    public static LaunchConfiguration For2D(long width, long height, int blockWidth = 16, int blockHeight = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockHeight);
        var grid = new Dim3(BlocksFor(width, blockWidth, nameof(width)), BlocksFor(height, blockHeight, nameof(height)));
        return new LaunchConfiguration(grid, new Dim3((uint)blockWidth, (uint)blockHeight));
    }

    private static uint BlocksFor(long count, int blockSize, string parameterName)
    {
        long blocks = (count + blockSize - 1) / blockSize;
        if (blocks > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, count, $"{count} elements in blocks of {blockSize} need more than {uint.MaxValue} blocks");
        }
        return (uint)blocks;
    }
}
