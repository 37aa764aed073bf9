namespace KernelBuild.Runtime;

/// <summary>Device memory that can be passed to a kernel as a pointer, whatever its element type.</summary>
internal interface IDeviceMemory
{
    DeviceMemoryHandle Memory { get; }
}
