namespace KernelBuild.Runtime;

/// <summary>Where a kernel parameter sits in the device-side parameter block, as the driver reports it.</summary>
/// <param name="Offset">Byte offset in the block.</param>
/// <param name="Size">Size in bytes.</param>
public readonly record struct KernelParameter(int Offset, int Size);
