using System;

namespace KernelBuild.Runtime;

/// <summary>One argument's place in the packed argument block.</summary>
/// <param name="Offset">Byte offset from the block's start.</param>
/// <param name="Size">Bytes the argument occupies.</param>
/// <param name="Alignment">The alignment its offset honours.</param>
/// <param name="Type">The argument's .NET type.</param>
internal readonly record struct KernelArgumentSlot(int Offset, int Size, int Alignment, Type Type);
