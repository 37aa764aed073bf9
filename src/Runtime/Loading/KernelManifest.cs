using System;
using System.Collections.Generic;
using System.Linq;

namespace KernelBuild.Runtime;

/// <summary>
/// The build's manifest (docs/formats.md, format 1): every embedded kernel and its images. A public view of
/// what the reader the build shares with this library (src/Shared) reads.
/// </summary>
/// <param name="Compiler">The compiler that built the images, e.g. "NVRTC 11.8".</param>
/// <param name="Kernels">Every embedded kernel, sorted by source path.</param>
public sealed record KernelManifest(string? Compiler, IReadOnlyList<ManifestKernel> Kernels)
{
    /// <summary>
    /// What KernelBuild embedded in <paramref name="assembly"/>. Needs no GPU: use it to list or inspect kernels.
    /// </summary>
    /// <exception cref="KernelLoadException">The assembly has no manifest, or it is malformed.</exception>
    public static KernelManifest FromAssembly(System.Reflection.Assembly assembly) =>
        KernelContainer.From(assembly).ReadManifest();

    /// <summary>
    /// The bytes of one of <paramref name="assembly"/>'s images (from <see cref="FromAssembly"/>), wherever the build
    /// put them: in the kernel bundle embedded in the assembly, in the bundle beside it, or, in assemblies built
    /// before the bundle was embedded, in a resource of their own. Checked against the manifest's SHA-256. Needs no
    /// GPU.
    /// </summary>
    /// <exception cref="KernelLoadException">The image is missing, or its bytes differ from what the manifest says.</exception>
    public static byte[] ReadImage(System.Reflection.Assembly assembly, KernelImage image) =>
        KernelContainer.From(assembly).ReadImage(image);

    /// <summary>The kernel built from <paramref name="source"/> (ordinal match, '/' separators), or null.</summary>
    internal ManifestKernel? Find(string source)
    {
        string normalized = source.Replace('\\', '/');
        return Kernels.FirstOrDefault(kernel => string.Equals(kernel.Source, normalized, StringComparison.Ordinal));
    }

    /// <summary>Reads a manifest; every problem names <paramref name="origin"/> and the offending field.</summary>
    /// <exception cref="KernelLoadException">Not JSON, another format, or a field missing or of the wrong kind.</exception>
    internal static KernelManifest Parse(byte[] utf8Json, string origin)
    {
        Formats.Manifest manifest;
        try
        {
            manifest = Formats.ManifestReader.Read(utf8Json, origin);
        }
        catch (Formats.ManifestFormatException exception)
        {
            throw new KernelLoadException(exception.Message, exception);
        }
        return new KernelManifest(manifest.Compiler, manifest.Kernels.Select(ToPublic).ToArray());
    }

    private static ManifestKernel ToPublic(Formats.ManifestKernelEntry kernel) =>
        new(kernel.Source, kernel.EntryPoints, kernel.Images.Select(ToPublic).ToArray());

    private static KernelImage ToPublic(Formats.ManifestImageEntry image) =>
        new(CudaArchitecture.From(image.Architecture),
            image.Architecture.IsVirtual ? KernelImageKind.Ptx : KernelImageKind.Cubin,
            image.Resource,
            image.Sha256);
}
