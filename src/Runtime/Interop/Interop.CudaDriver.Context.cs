using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    internal static partial class CudaDriver
    {
        // The primary context is the one the CUDA runtime API uses too, so a program mixing this
        // library with other CUDA code shares one context per device instead of fighting over it.
        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuDevicePrimaryCtxRetain(out nint context, int device);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuDevicePrimaryCtxRelease_v2(int device);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuCtxSetCurrent(nint context);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuCtxPushCurrent_v2(nint context);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuCtxPopCurrent_v2(out nint context);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuCtxSynchronize();
    }
}
