internal static partial class Interop
{
    internal static class Libraries
    {
        // A logical name, not a file name: the resolver registered by Interop.CudaDriver maps it to
        // whichever of CudaDriverLibrary.PlatformCandidates loaded (libcuda.so.1, nvcuda.dll). Using
        // a name no real file has means the runtime's own probing can never pick the toolkit's stub
        // libcuda.so by accident.
        internal const string CudaDriver = "kernelbuild-cuda-driver";
    }
}
