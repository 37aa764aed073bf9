namespace KernelBuild.Runtime;

/// <summary>Turns driver results into exceptions at the interop boundary.</summary>
internal static class CudaResultExtensions
{
    /// <summary>Throws a <see cref="CudaException"/> for anything but success.</summary>
    /// <param name="result">What the driver returned.</param>
    /// <param name="operation">The entry point that returned it, for the message.</param>
    internal static void ThrowIfFailed(this CudaResult result, string operation)
    {
        if (result != CudaResult.Success)
        {
            throw CudaException.FromDriver(result, operation);
        }
    }
}
