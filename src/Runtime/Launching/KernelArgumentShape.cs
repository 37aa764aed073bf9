using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>
/// How one argument type travels to a kernel: its size, its alignment, and how its bytes are
/// written. A <see cref="DeviceBuffer{T}"/> travels as its 8-byte device address; an unmanaged
/// value (int, double, an enum, a struct of such fields, …) as its own bytes, exactly as laid out
/// on the host. Everything else is refused, because its bytes would be a host address or an object
/// reference that means nothing on the device.
/// </summary>
internal sealed class KernelArgumentShape
{
    private delegate void ValueWriter(object argument, Span<byte> destination);

    private static readonly ConcurrentDictionary<Type, KernelArgumentShape?> s_valueShapes = new();

    private static readonly MethodInfo s_forValueType =
        typeof(KernelArgumentShape).GetMethod(nameof(ForValueType), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly KernelArgumentShape s_devicePointer = new(
        sizeof(ulong), sizeof(ulong), isDevicePointer: true,
        static (argument, destination) => MemoryMarshal.Write(destination, ((IDeviceMemory)argument).Memory.Address));

    private readonly ValueWriter _write;

    private KernelArgumentShape(int size, int alignment, bool isDevicePointer, ValueWriter write)
    {
        Size = size;
        Alignment = alignment;
        IsDevicePointer = isDevicePointer;
        _write = write;
    }

    internal int Size { get; }

    internal int Alignment { get; }

    internal bool IsDevicePointer { get; }

    /// <summary>The shape of <paramref name="type"/>, the type of argument <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException">A type that cannot be passed to a kernel; the message says what to pass instead.</exception>
    internal static KernelArgumentShape Of(Type type, int index)
    {
        if (typeof(IDeviceMemory).IsAssignableFrom(type))
        {
            return s_devicePointer;
        }
        if (type.IsValueType && !type.IsByRefLike && !type.ContainsGenericParameters)
        {
            KernelArgumentShape? shape = s_valueShapes.GetOrAdd(
                type,
                static valueType => (KernelArgumentShape?)s_forValueType.MakeGenericMethod(valueType).Invoke(null, null));
            return shape ?? throw Refuse(index, $"has type {DisplayName(type)}, a struct that contains managed references; only structs whose fields are all unmanaged can be copied to the device");
        }
        if (type.IsArray)
        {
            throw Refuse(index, $"is an array ({DisplayName(type)}); a kernel cannot read host memory: copy the data into a DeviceBuffer<{DisplayName(type.GetElementType()!)}> (gpu.Allocate, CopyFrom) and pass the buffer");
        }
        throw Refuse(index, $"has type {DisplayName(type)}, a managed reference; pass a DeviceBuffer<T> for a pointer parameter and unmanaged values (int, float, double, structs without references) by value");
    }

    /// <summary>The shape of an argument object (null is refused).</summary>
    internal static KernelArgumentShape Of(object? argument, int index) =>
        argument is null
            ? throw Refuse(index, "is null; pass a DeviceBuffer<T> for a pointer parameter, or a value")
            : Of(argument.GetType(), index);

    /// <summary>Writes the argument's bytes; <paramref name="destination"/> is exactly <see cref="Size"/> long.</summary>
    internal void Write(object argument, Span<byte> destination) => _write(argument, destination);

    /// <summary>A type as C# writes it, for messages: <c>DeviceBuffer&lt;Int32&gt;</c> rather than <c>DeviceBuffer`1</c>.</summary>
    internal static string DisplayName(Type type)
    {
        if (type.IsArray)
        {
            return $"{DisplayName(type.GetElementType()!)}[]";
        }
        int tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return type.IsGenericType && tick > 0
            ? $"{type.Name[..tick]}<{string.Join(", ", type.GetGenericArguments().Select(DisplayName))}>"
            : type.Name;
    }

    private static ArgumentException Refuse(int index, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"kernel argument {index} {problem}."), "arguments");

    // Called through reflection once per value type; generic so that the size, the alignment and
    // the copy are the runtime's own for T, not a marshalling approximation (Marshal.SizeOf would
    // say 4 for bool).
    private static KernelArgumentShape? ForValueType<T>() where T : struct =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>()
            ? null
            : new KernelArgumentShape(
                Unsafe.SizeOf<T>(),
                Unsafe.SizeOf<AlignmentProbe<T>>() - Unsafe.SizeOf<T>(),
                isDevicePointer: false,
                static (argument, destination) => MemoryMarshal.Write(destination, in Unsafe.Unbox<T>(argument)));

    // T's alignment is where T lands after one byte: a struct's size is always a multiple of its
    // alignment, so the probe is exactly alignment + size whichever order the runtime lays it out in.
    [StructLayout(LayoutKind.Sequential)]
    private struct AlignmentProbe<T> where T : struct
    {
#pragma warning disable CS0649 // Never assigned: only the layout is used.
        public byte Padding;
        public T Value;
#pragma warning restore CS0649
    }
}
