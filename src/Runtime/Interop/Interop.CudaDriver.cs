using System.Reflection;
using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    /// <summary>
    /// The CUDA driver API (cuda.h), only the entry points this library uses. Each method is named
    /// exactly as the driver exports it, so the versioned <c>_v2</c> symbols are explicit: those are
    /// the ones cuda.h's macros bind to, with 64-bit sizes and pointers.
    /// </summary>
    internal static partial class CudaDriver
    {
        // Runs before the first call of any entry point below (an explicit static constructor makes
        // the type precise-init), so the logical library name is always resolved by us.
        static CudaDriver() =>
            NativeLibrary.SetDllImportResolver(typeof(CudaDriver).Assembly, ResolveLibrary);

        private static nint ResolveLibrary(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
            libraryName == Libraries.CudaDriver ? CudaDriverLibrary.Handle : 0;

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuInit(uint flags);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuGetErrorName(CudaResult error, out nint name);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuGetErrorString(CudaResult error, out nint description);
    }
}
