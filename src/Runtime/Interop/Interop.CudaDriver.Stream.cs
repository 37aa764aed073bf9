using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    internal static partial class CudaDriver
    {
        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuStreamCreate(out nint stream, uint flags);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuStreamDestroy_v2(nint stream);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuStreamSynchronize(nint stream);
    }
}
