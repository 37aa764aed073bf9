using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>Initialises the driver once per process and turns "nothing to run on" into one exception type.</summary>
internal static class CudaDriverSession
{
    private static readonly Lazy<int> s_deviceCount = new(Initialize);

    /// <summary>Loads and initialises the driver; the number of devices it sees (at least one).</summary>
    internal static int DeviceCount => s_deviceCount.Value;

    private static int Initialize()
    {
        // Touching the handle first gives "driver library not found" rather than a DllNotFoundException.
        _ = CudaDriverLibrary.Handle;

        CudaResult result = Interop.CudaDriver.cuInit(0);
        if (result == CudaResult.NoDevice)
        {
            throw CudaUnavailableException.NoDevice(CudaException.FromDriver(result, nameof(Interop.CudaDriver.cuInit)));
        }
        if (result == CudaResult.StubLibrary)
        {
            throw CudaUnavailableException.StubDriver(CudaException.FromDriver(result, nameof(Interop.CudaDriver.cuInit)));
        }
        result.ThrowIfFailed(nameof(Interop.CudaDriver.cuInit));

        Interop.CudaDriver.cuDeviceGetCount(out int count).ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceGetCount));
        if (count == 0)
        {
            throw CudaUnavailableException.NoDevice(null);
        }
        return count;
    }

    /// <summary>Queries one device's properties.</summary>
    internal static unsafe CudaDevice DescribeDevice(int ordinal)
    {
        int count = DeviceCount;
        if (ordinal < 0 || ordinal >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"the driver sees {count} CUDA device(s), numbered from 0");
        }

        Interop.CudaDriver.cuDeviceGet(out int device, ordinal).ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceGet));

        const int NameCapacity = 256;
        byte* name = stackalloc byte[NameCapacity];
        Interop.CudaDriver.cuDeviceGetName(name, NameCapacity, device).ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceGetName));

        Interop.CudaDriver.cuDeviceGetAttribute(out int major, Interop.CudaDriver.DeviceAttribute.ComputeCapabilityMajor, device)
            .ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceGetAttribute));
        Interop.CudaDriver.cuDeviceGetAttribute(out int minor, Interop.CudaDriver.DeviceAttribute.ComputeCapabilityMinor, device)
            .ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceGetAttribute));
        Interop.CudaDriver.cuDeviceGetAttribute(out int multiprocessors, Interop.CudaDriver.DeviceAttribute.MultiprocessorCount, device)
            .ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceGetAttribute));
        Interop.CudaDriver.cuDeviceTotalMem_v2(out nuint totalMemory, device).ThrowIfFailed(nameof(Interop.CudaDriver.cuDeviceTotalMem_v2));

        return new CudaDevice(
            ordinal,
            device,
            Marshal.PtrToStringUTF8((nint)name) ?? string.Empty,
            new ComputeCapability(major, minor),
            (long)totalMemory,
            multiprocessors);
    }
}
