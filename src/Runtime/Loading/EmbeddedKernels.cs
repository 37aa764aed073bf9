using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;

namespace KernelBuild.Runtime;

/// <summary>
/// The manifest and images KernelBuild embedded in one assembly, read by the resource names of
/// docs/formats.md. Resources are reached through a delegate so tests can supply them without
/// building an assembly.
/// </summary>
internal sealed class EmbeddedKernels
{
    internal const string ManifestResource = Formats.KernelResources.Manifest;

    private readonly Func<string, Stream?> _openResource;

    internal EmbeddedKernels(string origin, Func<string, Stream?> openResource)
    {
        Origin = origin;
        _openResource = openResource;
    }

    /// <summary>Where the resources come from, for messages, e.g. "assembly 'MyApp'".</summary>
    internal string Origin { get; }

    internal static EmbeddedKernels From(Assembly assembly) =>
        new($"assembly '{assembly.GetName().Name}'", assembly.GetManifestResourceStream);

    /// <exception cref="KernelLoadException">The manifest is missing or malformed.</exception>
    internal KernelManifest ReadManifest()
    {
        byte[] bytes = Read(ManifestResource) ?? throw new KernelLoadException(
            $"{Origin} has no KernelBuild manifest (embedded resource '{ManifestResource}'). " +
            "Kernels are embedded when the project imports KernelBuild, has CudaKernel items and leaves EmbedCudaKernels=true.");
        return KernelManifest.Parse(bytes, $"the KernelBuild manifest of {Origin}");
    }

    /// <summary>The manifest's kernel built from <paramref name="source"/>.</summary>
    /// <exception cref="KernelLoadException">No such kernel; the message lists the embedded ones.</exception>
    internal ManifestKernel FindKernel(KernelManifest manifest, string source) =>
        manifest.Find(source) ?? throw new KernelLoadException(
            $"{Origin} has no kernel '{source}'; embedded are: " +
            (manifest.Kernels.Count == 0 ? "none" : string.Join(", ", manifest.Kernels.Select(kernel => kernel.Source))) +
            ". Kernels are named by their project-relative source path with '/' separators.");

    /// <summary>An image's bytes, checked against the manifest's SHA-256.</summary>
    /// <exception cref="KernelLoadException">The resource is missing or its hash differs.</exception>
    internal byte[] ReadImage(KernelImage image)
    {
        byte[] bytes = Read(image.Resource) ?? throw new KernelLoadException(
            $"{Origin} lists image '{image.Resource}' in its KernelBuild manifest but has no such embedded resource.");

        // A mismatch means the assembly's resources were altered or mixed from different builds;
        // loading it could run code other than what the manifest describes.
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, image.Sha256, StringComparison.Ordinal))
        {
            throw new KernelLoadException(
                $"embedded image '{image.Resource}' of {Origin} does not match its manifest: sha256 is {actual}, the manifest says {image.Sha256}.");
        }
        return bytes;
    }

    private byte[]? Read(string resource)
    {
        using Stream? stream = _openResource(resource);
        if (stream is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
