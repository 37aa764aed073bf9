using System;
using System.Text;

namespace KernelBuild.Runtime;

/// <summary>A loaded CUmodule; unloaded with cuModuleUnload.</summary>
internal sealed class ModuleHandle : ContextBoundHandle
{
    // Big enough for a page of ptxas diagnostics; the driver truncates beyond it.
    private const int ErrorLogCapacity = 16 * 1024;

    private ModuleHandle(PrimaryContextHandle context) : base(context)
    {
    }

    /// <summary>Loads a cubin or JIT-compiles PTX. On failure, the driver's error log comes with the exception.</summary>
    /// <param name="context">The context to load into.</param>
    /// <param name="image">The image bytes; PTX must end with a NUL, as the driver reads it as a C string.</param>
    /// <param name="describe">Names the image in a failure message.</param>
    internal static unsafe ModuleHandle Load(PrimaryContextHandle context, ReadOnlySpan<byte> image, string describe)
    {
        var module = new ModuleHandle(context);
        try
        {
            context.MakeCurrent();
            byte* errorLog = stackalloc byte[ErrorLogCapacity];
            errorLog[0] = 0;

            Interop.CudaDriver.JitOption* options = stackalloc Interop.CudaDriver.JitOption[2];
            void** values = stackalloc void*[2];
            options[0] = Interop.CudaDriver.JitOption.ErrorLogBuffer;
            values[0] = errorLog;
            // The size is passed by value in the pointer slot, as cuda.h documents for this option.
            options[1] = Interop.CudaDriver.JitOption.ErrorLogBufferSizeBytes;
            values[1] = (void*)ErrorLogCapacity;

            CudaResult result;
            nint native;
            fixed (byte* imageBytes = image)
            {
                result = Interop.CudaDriver.cuModuleLoadDataEx(out native, imageBytes, 2, options, values);
            }
            if (result != CudaResult.Success)
            {
                // The log is NUL-terminated within the buffer (truncated if longer).
                var logBytes = new ReadOnlySpan<byte>(errorLog, ErrorLogCapacity);
                int logLength = logBytes.IndexOf((byte)0);
                string log = Encoding.UTF8.GetString(logBytes[..(logLength < 0 ? ErrorLogCapacity : logLength)]).TrimEnd();
                CudaException cause = CudaException.FromDriver(result, nameof(Interop.CudaDriver.cuModuleLoadDataEx));
                throw new KernelLoadException(
                    $"the driver could not load {describe}: {cause.Message}" + (log.Length > 0 ? $"{Environment.NewLine}JIT log:{Environment.NewLine}{log}" : string.Empty),
                    cause,
                    log.Length > 0 ? log : null);
            }
            module.SetHandle(native);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The CUfunction for <paramref name="name"/>, or zero when the module has no such entry point.</summary>
    internal nint GetFunction(string name)
    {
        Context.MakeCurrent();
        CudaResult result = Interop.CudaDriver.cuModuleGetFunction(out nint function, handle, name);
        if (result == CudaResult.NotFound)
        {
            return 0;
        }
        result.ThrowIfFailed(nameof(Interop.CudaDriver.cuModuleGetFunction));
        return function;
    }

    protected override CudaResult Destroy(nint value) => Interop.CudaDriver.cuModuleUnload(value);
}
