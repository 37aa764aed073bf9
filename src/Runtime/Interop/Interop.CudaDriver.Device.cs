using System.Runtime.InteropServices;
using KernelBuild.Runtime;

internal static partial class Interop
{
    internal static partial class CudaDriver
    {
        /// <summary>The subset of CUdevice_attribute this library reads.</summary>
        internal enum DeviceAttribute
        {
            MultiprocessorCount = 16,
            ComputeCapabilityMajor = 75,
            ComputeCapabilityMinor = 76,
        }

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuDeviceGetCount(out int count);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuDeviceGet(out int device, int ordinal);

        [LibraryImport(Libraries.CudaDriver)]
        internal static unsafe partial CudaResult cuDeviceGetName(byte* name, int length, int device);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuDeviceGetAttribute(out int value, DeviceAttribute attribute, int device);

        [LibraryImport(Libraries.CudaDriver)]
        internal static partial CudaResult cuDeviceTotalMem_v2(out nuint bytes, int device);
    }
}
