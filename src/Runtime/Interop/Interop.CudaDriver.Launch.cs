using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    internal static partial class CudaDriver
    {
        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuLaunchKernel(
            nint function,
            uint gridDimX, uint gridDimY, uint gridDimZ,
            uint blockDimX, uint blockDimY, uint blockDimZ,
            uint sharedMemoryBytes, nint stream, void** kernelParameters, void** extra);

        /// <summary>
        /// The block size that maximises occupancy for a kernel with a fixed amount of dynamic shared memory (no
        /// per-block-size callback), and the smallest grid that reaches it.
        /// </summary>
        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuOccupancyMaxPotentialBlockSize(
            out int minGridSize, out int blockSize, nint function, nint blockSizeToDynamicSharedMemory, nuint dynamicSharedMemoryBytes, int blockSizeLimit);

        /// <summary>Whether the driver can describe a kernel's parameters (CUDA 12.4 and later).</summary>
        internal static unsafe bool HasFuncGetParamInfo => OptionalEntryPoints.FuncGetParamInfo != null;

        /// <summary>
        /// cuFuncGetParamInfo; returns CUDA_ERROR_INVALID_VALUE once <paramref name="index"/> is past the
        /// last parameter, which is how the parameter count is found. Call only when
        /// <see cref="HasFuncGetParamInfo"/>.
        /// </summary>
        internal static unsafe CudaResult cuFuncGetParamInfo(nint function, nuint index, out nuint offset, out nuint size)
        {
            nuint parameterOffset, parameterSize;
            CudaResult result = OptionalEntryPoints.FuncGetParamInfo(function, index, &parameterOffset, &parameterSize);
            offset = parameterOffset;
            size = parameterSize;
            return result;
        }

        // Entry points newer drivers have and older ones lack. A [LibraryImport] would fail on first
        // call with EntryPointNotFoundException, so these are looked up once and may be null.
        private static unsafe class OptionalEntryPoints
        {
            internal static readonly delegate* unmanaged<nint, nuint, nuint*, nuint*, CudaResult> FuncGetParamInfo =
                (delegate* unmanaged<nint, nuint, nuint*, nuint*, CudaResult>)CudaDriverLibrary.GetExportOrZero("cuFuncGetParamInfo");
        }
    }
}
