using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>
/// One entry point of a loaded module, ready to launch. Arguments are passed by their .NET types:
/// a <see cref="DeviceBuffer{T}"/> as its device address, unmanaged values (int, uint, long, float,
/// double, enums, structs of unmanaged fields, …) by value. Anything else is refused before the
/// launch, as are argument lists whose count or sizes differ from the kernel's parameters when the
/// driver can describe them (CUDA 12.4 and later).
/// </summary>
public sealed class CudaKernel
{
    // Small launches (the usual case) keep the argument block and pointer table on the stack.
    private const int StackBlockBytes = 256;
    private const int StackArgumentCount = 32;

    private readonly ModuleHandle _module;
    private readonly nint _function;
    private readonly Lazy<IReadOnlyList<KernelParameter>?> _parameters;

    internal CudaKernel(CudaModule module, ModuleHandle moduleHandle, nint function, string name)
    {
        Module = module;
        _module = moduleHandle;
        _function = function;
        Name = name;
        _parameters = new Lazy<IReadOnlyList<KernelParameter>?>(QueryParameters);
    }

    /// <summary>The entry point's name.</summary>
    public string Name { get; }

    /// <summary>The module the kernel belongs to; disposing it invalidates the kernel.</summary>
    public CudaModule Module { get; }

    /// <summary>
    /// The kernel's parameters as the driver lays them out, or null when the driver is older than
    /// CUDA 12.4 and cannot tell (then only the argument types are checked).
    /// </summary>
    public IReadOnlyList<KernelParameter>? Parameters => _parameters.Value;

    /// <summary>Launches the kernel on the default stream, without dynamic shared memory.</summary>
    /// <param name="grid">Blocks in the grid.</param>
    /// <param name="block">Threads in a block.</param>
    /// <param name="arguments">The kernel's arguments, in order.</param>
    /// <exception cref="ArgumentException">An argument cannot be passed, or the arguments do not match the parameters.</exception>
    /// <exception cref="CudaException">The driver refused the launch (e.g. too many threads per block).</exception>
    public void Launch(Dim3 grid, Dim3 block, params ReadOnlySpan<object> arguments) =>
        Launch(new LaunchConfiguration(grid, block), arguments);

    /// <summary>Launches the kernel with dynamic shared memory and/or on a stream.</summary>
    /// <remarks>
    /// The launch is queued: it returns before the kernel runs. Errors inside the kernel (an illegal
    /// address, say) surface at the next synchronising call, such as <see cref="CudaGpu.Synchronize"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">An argument cannot be passed, or the arguments do not match the parameters.</exception>
    /// <exception cref="CudaException">The driver refused the launch.</exception>
    public unsafe void Launch(LaunchConfiguration configuration, params ReadOnlySpan<object> arguments)
    {
        if (configuration.Grid.Count == 0 || configuration.Block.Count == 0)
        {
            throw new ArgumentException("the grid and block dimensions must be at least 1 each (a default Dim3 is all zeros)", nameof(configuration));
        }
        ObjectDisposedException.ThrowIf(_module.IsClosed, Module);

        KernelArgumentLayout layout = KernelArgumentLayout.Of(arguments);
        if (Parameters is { } parameters)
        {
            layout.CheckAgainst(parameters, Name);
        }

        // Hold every handle the launch uses, so a Dispose on another thread cannot free memory,
        // the module or the stream while the driver is being handed them.
        var held = new List<SafeHandle>(arguments.Length + 2);
        try
        {
            Hold(held, _module);
            CudaStream? stream = configuration.Stream;
            if (stream is not null)
            {
                Hold(held, stream.Handle);
            }
            nint context = _module.Context.DangerousGetHandle();
            for (int i = 0; i < arguments.Length; i++)
            {
                if (arguments[i] is IDeviceMemory buffer)
                {
                    DeviceMemoryHandle memory = buffer.Memory;
                    if (memory.Context.DangerousGetHandle() != context)
                    {
                        throw new ArgumentException(
                            string.Create(CultureInfo.InvariantCulture, $"kernel argument {i} is a buffer allocated on another device than the kernel's module."),
                            nameof(arguments));
                    }
                    Hold(held, memory);
                }
            }

            Span<byte> block = layout.Size <= StackBlockBytes ? stackalloc byte[StackBlockBytes] : new byte[layout.Size];
            block[..layout.Size].Clear(); // padding carries no stale bytes, whatever the locals-init setting
            layout.Write(arguments, block);

            int count = arguments.Length;
            Span<nint> pointers = count <= StackArgumentCount ? stackalloc nint[StackArgumentCount] : new nint[count];

            _module.Context.MakeCurrent();
            fixed (byte* blockStart = block)
            fixed (nint* pointerTable = pointers)
            {
                for (int i = 0; i < count; i++)
                {
                    pointerTable[i] = (nint)(blockStart + layout.Slots[i].Offset);
                }
                CallLaunchKernel(configuration, stream, count == 0 ? null : (void**)pointerTable);
            }
        }
        finally
        {
            foreach (SafeHandle handle in held)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Launches with an argument block the caller has already laid out: the kernel's parameters at
    /// <paramref name="offsets"/> in <paramref name="block"/>, each with exactly its parameter's size (the driver
    /// copies each by its own knowledge of the kernel's layout). This is what the typed launchers that KernelBuild
    /// generates call (docs/launchers.md); it allocates nothing for up to 32 parameters and checks nothing about
    /// the values, so prefer a generated launcher or <see cref="Launch(LaunchConfiguration, ReadOnlySpan{object})"/>.
    /// </summary>
    /// <remarks>
    /// The caller keeps every buffer whose address is in the block alive (and undisposed) until this returns; the
    /// launch is then queued and holds no reference to the buffers' memory, as with <c>cuLaunchKernel</c> in C.
    /// </remarks>
    /// <exception cref="ArgumentException">The grid or block is empty, or an offset is outside the block.</exception>
    /// <exception cref="CudaException">The driver refused the launch.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public unsafe void LaunchWithArgumentBlock(in LaunchConfiguration configuration, ReadOnlySpan<byte> block, ReadOnlySpan<int> offsets)
    {
        if (configuration.Grid.Count == 0 || configuration.Block.Count == 0)
        {
            throw new ArgumentException("the grid and block dimensions must be at least 1 each (a default Dim3 is all zeros)", nameof(configuration));
        }
        foreach (int offset in offsets)
        {
            if ((uint)offset >= (uint)block.Length)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"argument offset {offset} is outside the {block.Length}-byte block"), nameof(offsets));
            }
        }
        ObjectDisposedException.ThrowIf(_module.IsClosed, Module);

        int count = offsets.Length;
        Span<nint> pointers = count <= StackArgumentCount ? stackalloc nint[StackArgumentCount] : new nint[count];
        using var moduleLease = new SafeHandleLease(_module);
        CudaStream? stream = configuration.Stream;
        using var streamLease = stream is null ? default : new SafeHandleLease(stream.Handle);
        _module.Context.MakeCurrent();
        fixed (byte* blockStart = block)
        fixed (nint* pointerTable = pointers)
        {
            for (int i = 0; i < count; i++)
            {
                pointerTable[i] = (nint)(blockStart + offsets[i]);
            }
            CallLaunchKernel(configuration, stream, count == 0 ? null : (void**)pointerTable);
        }
    }

    /// <summary>
    /// The block size the driver says maximises this kernel's occupancy on its device
    /// (<c>cuOccupancyMaxPotentialBlockSize</c>), given the dynamic shared memory each block uses.
    /// </summary>
    /// <exception cref="CudaException">The driver refused the query.</exception>
    public int SuggestBlockSize(uint sharedMemoryBytes = 0)
    {
        ObjectDisposedException.ThrowIf(_module.IsClosed, Module);
        using var moduleLease = new SafeHandleLease(_module);
        _module.Context.MakeCurrent();
        Interop.CudaDriver.cuOccupancyMaxPotentialBlockSize(out _, out int blockSize, _function, 0, sharedMemoryBytes, 0)
            .ThrowIfFailed(nameof(Interop.CudaDriver.cuOccupancyMaxPotentialBlockSize));
        return blockSize;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Module.Source})";

    private static void Hold(List<SafeHandle> held, SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        held.Add(handle);
    }

    private IReadOnlyList<KernelParameter>? QueryParameters()
    {
        if (!Interop.CudaDriver.HasFuncGetParamInfo)
        {
            return null;
        }

        bool added = false;
        _module.DangerousAddRef(ref added);
        try
        {
            _module.Context.MakeCurrent();
            var parameters = new List<KernelParameter>();
            while (true)
            {
                CudaResult result = Interop.CudaDriver.cuFuncGetParamInfo(_function, (nuint)parameters.Count, out nuint offset, out nuint size);
                if (result == CudaResult.InvalidValue)
                {
                    // Documented answer for an index past the last parameter: the count is known.
                    return parameters;
                }
                result.ThrowIfFailed(nameof(Interop.CudaDriver.cuFuncGetParamInfo));
                parameters.Add(new KernelParameter((int)offset, (int)size));
            }
        }
        finally
        {
            _module.DangerousRelease();
        }
    }

    /// <summary>The one call to cuLaunchKernel, for both the untyped and the generated launchers.</summary>
    private unsafe void CallLaunchKernel(in LaunchConfiguration configuration, CudaStream? stream, void** argumentPointers) =>
        Interop.CudaDriver.cuLaunchKernel(
            _function,
            configuration.Grid.X, configuration.Grid.Y, configuration.Grid.Z,
            configuration.Block.X, configuration.Block.Y, configuration.Block.Z,
            configuration.SharedMemoryBytes,
            stream?.Handle.DangerousGetHandle() ?? 0,
            argumentPointers,
            null).ThrowIfFailed(nameof(Interop.CudaDriver.cuLaunchKernel));
}
