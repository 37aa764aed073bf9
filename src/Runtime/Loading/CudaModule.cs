using System;
using System.Collections.Generic;

namespace KernelBuild.Runtime;

/// <summary>
/// One embedded kernel source file, loaded on a device: the image chosen for the device and the
/// entry points it defines. Get kernels from it with <see cref="GetKernel"/>.
/// </summary>
public sealed class CudaModule : IDisposable
{
    private readonly ModuleHandle _handle;

    private CudaModule(ModuleHandle handle, string source, IReadOnlyList<string> entryPoints, KernelImage image)
    {
        _handle = handle;
        Source = source;
        EntryPoints = entryPoints;
        Image = image;
    }

    /// <summary>The kernel's project-relative source path, as the manifest names it.</summary>
    public string Source { get; }

    /// <summary>The entry points the manifest lists (C++ kernels appear mangled, <c>extern "C"</c> ones by name).</summary>
    public IReadOnlyList<string> EntryPoints { get; }

    /// <summary>The image that was loaded: a cubin, or PTX that the driver compiled.</summary>
    public KernelImage Image { get; }

    internal static CudaModule Load(PrimaryContextHandle context, CudaDevice device, KernelContainer kernels, string source)
    {
        KernelManifest manifest = kernels.ReadManifest();
        ManifestKernel kernel = kernels.FindKernel(manifest, source);
        KernelImage image = ImageSelector.Select(kernel.Source, kernel.Images, device.ComputeCapability);
        byte[] bytes = kernels.ReadImage(image);

        // The hash covers the file as NVRTC wrote it; the driver wants PTX NUL-terminated.
        if (image.Kind == KernelImageKind.Ptx && (bytes.Length == 0 || bytes[^1] != 0))
        {
            Array.Resize(ref bytes, bytes.Length + 1);
        }

        ModuleHandle handle = ModuleHandle.Load(
            context,
            bytes,
            $"image '{image.Resource}' ({image}) of kernel '{kernel.Source}' on {device.Name} (compute capability {device.ComputeCapability})");
        return new CudaModule(handle, kernel.Source, kernel.EntryPoints, image);
    }

    /// <summary>The kernel with the given entry-point name.</summary>
    /// <exception cref="ArgumentException">The module has no such entry point; the message lists those it has.</exception>
    public CudaKernel GetKernel(string entryPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryPoint);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);

        nint function;
        using (new SafeHandleLease(_handle))
        {
            function = _handle.GetFunction(entryPoint);
        }
        if (function == 0)
        {
            throw new ArgumentException(
                $"kernel '{Source}' has no entry point '{entryPoint}'; it has: {(EntryPoints.Count == 0 ? "none" : string.Join(", ", EntryPoints))}. " +
                "C++ kernels keep mangled names unless declared extern \"C\".",
                nameof(entryPoint));
        }
        return new CudaKernel(this, _handle, function, entryPoint);
    }

    /// <summary>Unloads the module. Kernels obtained from it can no longer be launched.</summary>
    public void Dispose() => _handle.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"{Source} [{Image}]";
}
