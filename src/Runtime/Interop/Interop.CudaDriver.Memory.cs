using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    internal static partial class CudaDriver
    {
        // CUdeviceptr is 64 bits wide on every platform the driver supports, hence ulong.
        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuMemAlloc_v2(out ulong devicePointer, nuint bytes);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuMemFree_v2(ulong devicePointer);

        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);

        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);

        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);
    }
}
