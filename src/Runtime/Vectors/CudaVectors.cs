using System.Runtime.InteropServices;

// CUDA's built-in vector types, one C# struct each, with the same size and element order. The typed launchers map
// a float4 parameter to Float4 and so on (docs/launchers.md); a DeviceBuffer<Float4> holds what a float4* points to.
// CUDA aligns some of them more strictly than C# does (float4 to 16 bytes); that changes neither their size nor the
// stride of an array of them, and a kernel parameter is copied by the driver at the kernel's own alignment.
// CUDA's long2/ulong2 are LongLong2/ULongLong2 on 64-bit Linux, where long has 64 bits.

namespace KernelBuild.Runtime;

/// <summary>CUDA's <c>char2</c>: 2 × <see cref="sbyte"/>, 2 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Char2(sbyte X, sbyte Y);

/// <summary>CUDA's <c>char3</c>: 3 × <see cref="sbyte"/>, 3 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Char3(sbyte X, sbyte Y, sbyte Z);

/// <summary>CUDA's <c>char4</c>: 4 × <see cref="sbyte"/>, 4 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Char4(sbyte X, sbyte Y, sbyte Z, sbyte W);

/// <summary>CUDA's <c>uchar2</c>: 2 × <see cref="byte"/>, 2 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UChar2(byte X, byte Y);

/// <summary>CUDA's <c>uchar3</c>: 3 × <see cref="byte"/>, 3 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UChar3(byte X, byte Y, byte Z);

/// <summary>CUDA's <c>uchar4</c>: 4 × <see cref="byte"/>, 4 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UChar4(byte X, byte Y, byte Z, byte W);

/// <summary>CUDA's <c>short2</c>: 2 × <see cref="short"/>, 4 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Short2(short X, short Y);

/// <summary>CUDA's <c>short3</c>: 3 × <see cref="short"/>, 6 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Short3(short X, short Y, short Z);

/// <summary>CUDA's <c>short4</c>: 4 × <see cref="short"/>, 8 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Short4(short X, short Y, short Z, short W);

/// <summary>CUDA's <c>ushort2</c>: 2 × <see cref="ushort"/>, 4 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UShort2(ushort X, ushort Y);

/// <summary>CUDA's <c>ushort3</c>: 3 × <see cref="ushort"/>, 6 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UShort3(ushort X, ushort Y, ushort Z);

/// <summary>CUDA's <c>ushort4</c>: 4 × <see cref="ushort"/>, 8 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UShort4(ushort X, ushort Y, ushort Z, ushort W);

/// <summary>CUDA's <c>int2</c>: 2 × <see cref="int"/>, 8 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Int2(int X, int Y);

/// <summary>CUDA's <c>int3</c>: 3 × <see cref="int"/>, 12 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Int3(int X, int Y, int Z);

/// <summary>CUDA's <c>int4</c>: 4 × <see cref="int"/>, 16 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Int4(int X, int Y, int Z, int W);

/// <summary>CUDA's <c>uint2</c>: 2 × <see cref="uint"/>, 8 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UInt2(uint X, uint Y);

/// <summary>CUDA's <c>uint3</c>: 3 × <see cref="uint"/>, 12 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UInt3(uint X, uint Y, uint Z);

/// <summary>CUDA's <c>uint4</c>: 4 × <see cref="uint"/>, 16 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct UInt4(uint X, uint Y, uint Z, uint W);

/// <summary>CUDA's <c>longlong2</c>: 2 × <see cref="long"/>, 16 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct LongLong2(long X, long Y);

/// <summary>CUDA's <c>longlong3</c>: 3 × <see cref="long"/>, 24 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct LongLong3(long X, long Y, long Z);

/// <summary>CUDA's <c>longlong4</c>: 4 × <see cref="long"/>, 32 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct LongLong4(long X, long Y, long Z, long W);

/// <summary>CUDA's <c>ulonglong2</c>: 2 × <see cref="ulong"/>, 16 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct ULongLong2(ulong X, ulong Y);

/// <summary>CUDA's <c>ulonglong3</c>: 3 × <see cref="ulong"/>, 24 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct ULongLong3(ulong X, ulong Y, ulong Z);

/// <summary>CUDA's <c>ulonglong4</c>: 4 × <see cref="ulong"/>, 32 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct ULongLong4(ulong X, ulong Y, ulong Z, ulong W);

/// <summary>CUDA's <c>float2</c>: 2 × <see cref="float"/>, 8 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Float2(float X, float Y);

/// <summary>CUDA's <c>float3</c>: 3 × <see cref="float"/>, 12 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Float3(float X, float Y, float Z);

/// <summary>CUDA's <c>float4</c>: 4 × <see cref="float"/>, 16 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Float4(float X, float Y, float Z, float W);

/// <summary>CUDA's <c>double2</c>: 2 × <see cref="double"/>, 16 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Double2(double X, double Y);

/// <summary>CUDA's <c>double3</c>: 3 × <see cref="double"/>, 24 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Double3(double X, double Y, double Z);

/// <summary>CUDA's <c>double4</c>: 4 × <see cref="double"/>, 32 bytes.</summary>
/// <param name="X">The x component.</param>
/// <param name="Y">The y component.</param>
/// <param name="Z">The z component.</param>
/// <param name="W">The w component.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Double4(double X, double Y, double Z, double W);
