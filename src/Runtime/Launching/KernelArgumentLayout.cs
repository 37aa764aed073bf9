using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace KernelBuild.Runtime;

/// <summary>
/// Where each argument of a launch sits in the packed argument block: offsets aligned as the C ABI
/// aligns the same types, which is also how the device lays out its parameter space. Computed from
/// the arguments' types alone, so it is testable without a GPU.
/// </summary>
/// <remarks>
/// The launch hands the driver one pointer per argument into this block (cuLaunchKernel's
/// kernelParams), and the driver copies each parameter using its own knowledge of the kernel's
/// layout; the block's offsets therefore only need to keep arguments apart, while each argument's
/// size must equal its parameter's, which <see cref="CheckAgainst"/> verifies when the driver can
/// describe the kernel.
/// </remarks>
internal sealed class KernelArgumentLayout
{
    private readonly KernelArgumentShape[] _shapes;

    private KernelArgumentLayout(KernelArgumentShape[] shapes, Type[] types)
    {
        _shapes = shapes;
        var slots = new KernelArgumentSlot[shapes.Length];
        int offset = 0;
        for (int i = 0; i < shapes.Length; i++)
        {
            offset = AlignUp(offset, shapes[i].Alignment);
            slots[i] = new KernelArgumentSlot(offset, shapes[i].Size, shapes[i].Alignment, types[i]);
            offset += shapes[i].Size;
        }
        Slots = slots;
        Size = offset;
    }

    /// <summary>One entry per argument, in order.</summary>
    internal IReadOnlyList<KernelArgumentSlot> Slots { get; }

    /// <summary>Bytes from the block's start to the end of the last argument.</summary>
    internal int Size { get; }

    /// <exception cref="ArgumentException">An argument cannot be passed to a kernel (null, an array, a class, …).</exception>
    internal static KernelArgumentLayout Of(ReadOnlySpan<object> arguments)
    {
        var shapes = new KernelArgumentShape[arguments.Length];
        var types = new Type[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            shapes[i] = KernelArgumentShape.Of(arguments[i], i);
            types[i] = arguments[i].GetType();
        }
        return new KernelArgumentLayout(shapes, types);
    }

    /// <summary>The layout arguments of these types would get.</summary>
    /// <exception cref="ArgumentException">A type cannot be passed to a kernel.</exception>
    internal static KernelArgumentLayout OfTypes(params ReadOnlySpan<Type> types)
    {
        var shapes = new KernelArgumentShape[types.Length];
        for (int i = 0; i < types.Length; i++)
        {
            shapes[i] = KernelArgumentShape.Of(types[i], i);
        }
        return new KernelArgumentLayout(shapes, types.ToArray());
    }

    /// <summary>Writes the arguments' bytes at their offsets; <paramref name="block"/> is at least <see cref="Size"/> long.</summary>
    internal void Write(ReadOnlySpan<object> arguments, Span<byte> block)
    {
        for (int i = 0; i < _shapes.Length; i++)
        {
            KernelArgumentSlot slot = Slots[i];
            _shapes[i].Write(arguments[i], block.Slice(slot.Offset, slot.Size));
        }
    }

    /// <summary>Refuses arguments whose count or sizes differ from the kernel's parameters.</summary>
    /// <exception cref="ArgumentException">A mismatch; launching anyway would make the device read the wrong bytes.</exception>
    internal void CheckAgainst(IReadOnlyList<KernelParameter> parameters, string kernelName)
    {
        if (parameters.Count != Slots.Count)
        {
            string expected = DescribeSizes(parameters.Select(p => p.Size));
            string given = Slots.Count == 0
                ? "none"
                : string.Join(", ", Slots.Select(slot => string.Create(CultureInfo.InvariantCulture, $"{KernelArgumentShape.DisplayName(slot.Type)}: {slot.Size} bytes")));
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"kernel '{kernelName}' takes {parameters.Count} parameter(s) ({expected}) but {Slots.Count} argument(s) were given ({given})."),
                "arguments");
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Size != Slots[i].Size)
            {
                string mismatch = string.Create(
                    CultureInfo.InvariantCulture,
                    $"kernel '{kernelName}' parameter {i} is {parameters[i].Size} bytes but argument {i} ({KernelArgumentShape.DisplayName(Slots[i].Type)}) is {Slots[i].Size} bytes");
                throw new ArgumentException(
                    mismatch + "; pass a value of the parameter's C type (int → int, long long → long, float → float, a pointer → DeviceBuffer<T>).",
                    "arguments");
            }
        }
    }

    private static string DescribeSizes(IEnumerable<int> sizes)
    {
        string joined = string.Join(", ", sizes.Select(size => string.Create(CultureInfo.InvariantCulture, $"{size} bytes")));
        return joined.Length == 0 ? "none" : joined;
    }

    private static int AlignUp(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
}
