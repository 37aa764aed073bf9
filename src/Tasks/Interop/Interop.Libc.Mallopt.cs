using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        internal static partial class Libc
        {
            // <malloc.h>: M_TRIM_THRESHOLD, M_TOP_PAD and M_MMAP_THRESHOLD, the glibc parameters mallopt(3) sets.
            private const int MallocTrimThreshold = -1;
            private const int MallocTopPad = -2;
            private const int MallocMmapThreshold = -3;

            [DllImport("libc", EntryPoint = "mallopt")]
            private static extern int mallopt(int parameter, int value);

            /// <summary>
            /// Makes this process's C heap keep the memory it frees, up to <paramref name="trimThreshold"/> bytes, instead
            /// of handing it back to the OS after each free at the top of the heap; grows the heap by
            /// <paramref name="topPad"/> bytes beyond each request; and serves requests up to
            /// <paramref name="mmapThreshold"/> bytes from the heap rather than from a fresh mapping. Returns false where
            /// the C library is not glibc, or refused a value (musl's mallopt does nothing and returns 0).
            /// </summary>
            internal static bool TryRetainFreedHeap(int trimThreshold, int topPad, int mmapThreshold)
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                    return false;
                try
                {
                    // Each call that succeeds returns 1. Any of the three also turns off glibc's own adjustment of the
                    // thresholds (which starts at 128 KB), so all three are set.
                    return mallopt(MallocMmapThreshold, mmapThreshold) == 1
                        & mallopt(MallocTrimThreshold, trimThreshold) == 1
                        & mallopt(MallocTopPad, topPad) == 1;
                }
                catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException)
                {
                    return false;
                }
            }
        }
    }
}
