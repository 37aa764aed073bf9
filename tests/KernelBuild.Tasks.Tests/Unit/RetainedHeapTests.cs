using System.Runtime.InteropServices;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The compile worker's C heap settings (Interop.Libc.TryRetainFreedHeap, called first thing in the worker): with them,
/// a block NVRTC frees stays in the heap for its next program instead of going back to the OS.
/// </summary>
[TestClass]
public sealed class RetainedHeapTests
{
    private const int Megabyte = 1 << 20;

    [TestMethod]
    public void AFreedBlockStaysInTheHeapForTheNextAllocation()
    {
        if (!IsGlibc()) Assert.Inconclusive("mallopt's parameters are glibc's; this C library is not glibc");

        Assert.IsTrue(Interop.Libc.TryRetainFreedHeap(64 * Megabyte, 16 * Megabyte, 32 * Megabyte), "glibc refused a setting");

        // 12 MB: above glibc's default mmap threshold (128 KB, raised only by frees of mapped blocks), below the 32 MB set.
        MallInfo2 before = HeapInfo();
        IntPtr block = Marshal.AllocHGlobal(12 * Megabyte);
        MallInfo2 allocated = HeapInfo();
        Marshal.FreeHGlobal(block);
        MallInfo2 freed = HeapInfo();

        long mapped = (long)allocated.MappedBytes - (long)before.MappedBytes;
        Assert.IsTrue(mapped < 12 * Megabyte, $"the block was mapped afresh ({mapped / Megabyte} MB), not taken from the heap");
        // Other test threads may allocate and free meanwhile: a margin, far below the block.
        long returned = (long)allocated.Arena - (long)freed.Arena;
        Assert.IsTrue(returned < 4 * Megabyte, $"the heap gave {returned / Megabyte} MB back to the OS when the block was freed");
    }

    private static bool IsGlibc()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>glibc's heap statistics (mallinfo2, glibc 2.33 and later).</summary>
    private static MallInfo2 HeapInfo()
    {
        try
        {
            return mallinfo2();
        }
        catch (EntryPointNotFoundException)
        {
            Assert.Inconclusive("glibc before 2.33 has no mallinfo2");
            return default;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, MaxTotalAllocated, FreeSmallBytes, AllocatedBytes, FreeBytes, KeepCost;
    }

    [DllImport("libc")]
    private static extern IntPtr gnu_get_libc_version();

    [DllImport("libc")]
    private static extern MallInfo2 mallinfo2();
}
