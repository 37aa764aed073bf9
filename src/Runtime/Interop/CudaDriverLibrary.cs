using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace KernelBuild.Runtime;

/// <summary>Finds and loads the CUDA driver library (the driver API, not the toolkit's runtime).</summary>
internal static class CudaDriverLibrary
{
    // Only the versioned Linux name: an unversioned libcuda.so is usually the toolkit's link-time
    // stub, which loads fine and then fails every call with CUDA_ERROR_STUB_LIBRARY.
    internal static IReadOnlyList<string> PlatformCandidates { get; } =
        OperatingSystem.IsWindows() ? ["nvcuda.dll"]
        : OperatingSystem.IsLinux() ? ["libcuda.so.1"]
        : [];

    // Lazy<T> caches the exception too, so a missing driver is reported the same way every time
    // without probing the file system again.
    private static readonly Lazy<nint> s_handle = new(() => Load(PlatformCandidates));

    /// <summary>The process-wide driver library; throws <see cref="CudaUnavailableException"/> if absent.</summary>
    internal static nint Handle => s_handle.Value;

    /// <summary>Loads the first of <paramref name="candidates"/> that the OS loader finds.</summary>
    /// <remarks>Internal so tests can point it at names that do not exist.</remarks>
    internal static nint Load(IReadOnlyList<string> candidates)
    {
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }
        throw CudaUnavailableException.DriverNotFound(candidates);
    }

    /// <summary>The address of an optional export, or zero when this driver is too old to have it.</summary>
    internal static nint GetExportOrZero(string name) =>
        NativeLibrary.TryGetExport(Handle, name, out nint address) ? address : 0;
}
