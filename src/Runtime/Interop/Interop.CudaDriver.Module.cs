using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    internal static partial class CudaDriver
    {
        /// <summary>The subset of CUjit_option this library passes to cuModuleLoadDataEx.</summary>
        internal enum JitOption
        {
            ErrorLogBuffer = 5,
            ErrorLogBufferSizeBytes = 6,
        }

        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuModuleLoadDataEx(
            out nint module, void* image, uint optionCount, JitOption* options, void** optionValues);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuModuleUnload(nint module);

        [LibraryImport(Libraries.CudaDriver, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial CudaResult cuModuleGetFunction(out nint function, nint module, string name);
    }
}
