using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>
/// A CUDA driver call failed. Carries the driver's result code together with its own name and
/// description for it (cuGetErrorName / cuGetErrorString), so the message says what the driver said.
/// </summary>
public sealed class CudaException : Exception
{
    internal CudaException(CudaResult result, string operation, string errorName, string errorDescription)
        : base($"{operation} failed: {errorName} ({(int)result}): {errorDescription}")
    {
        Result = result;
        Operation = operation;
        ErrorName = errorName;
        ErrorDescription = errorDescription;
    }

    /// <summary>The CUresult the driver returned.</summary>
    public CudaResult Result { get; }

    /// <summary>The driver entry point that failed, e.g. <c>cuMemAlloc_v2</c>.</summary>
    public string Operation { get; }

    /// <summary>The driver's name for <see cref="Result"/>, e.g. <c>CUDA_ERROR_OUT_OF_MEMORY</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The driver's description of <see cref="Result"/>.</summary>
    public string ErrorDescription { get; }

    /// <summary>Builds the exception for a failed call, asking the driver to name the error.</summary>
    internal static CudaException FromDriver(CudaResult result, string operation)
    {
        // The driver answers CUDA_ERROR_INVALID_VALUE for codes it does not know (a code from a newer
        // header, say); the number alone then has to do.
        string name = Interop.CudaDriver.cuGetErrorName(result, out nint namePointer) == CudaResult.Success
            ? Marshal.PtrToStringUTF8(namePointer) ?? string.Empty
            : string.Empty;
        string description = Interop.CudaDriver.cuGetErrorString(result, out nint descriptionPointer) == CudaResult.Success
            ? Marshal.PtrToStringUTF8(descriptionPointer) ?? string.Empty
            : string.Empty;
        return new CudaException(
            result,
            operation,
            name.Length > 0 ? name : $"CUresult {(int)result}",
            description.Length > 0 ? description : "the driver has no description for this code");
    }
}
