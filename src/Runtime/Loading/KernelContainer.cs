using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;

namespace KernelBuild.Runtime;

/// <summary>
/// The manifest and images KernelBuild shipped with one assembly, read by the resource names of docs/formats.md:
/// in the kernel bundle embedded in the assembly (Release builds, publish and pack), or, with
/// <c>EmbedCudaKernels=false</c> (the default of Debug builds), in the kernel bundle beside it.
/// Resources are reached through a delegate so tests can supply them without building an assembly.
/// </summary>
internal sealed class KernelContainer
{
    internal const string ManifestResource = Formats.KernelResources.Manifest;
    internal const string EmbeddedBundleResource = Formats.KernelResources.EmbeddedBundle;

    private readonly Func<string, Stream?> _openResource;

    // The bundle path From looked at and did not find, for the message of a missing manifest.
    private readonly string? _bundleLookedFor;

    internal KernelContainer(string origin, Func<string, Stream?> openResource, string? bundleLookedFor = null)
    {
        Origin = origin;
        _openResource = openResource;
        _bundleLookedFor = bundleLookedFor;
    }

    /// <summary>Where the resources come from, for messages, e.g. "assembly 'MyApp'".</summary>
    internal string Origin { get; }

    /// <summary>
    /// The assembly's embedded kernels; when it embeds none, its kernel bundle if there is one
    /// (<see cref="BundlePath"/>). Embedded resources win, so that a stale bundle left beside an assembly that
    /// now embeds its kernels is never read.
    /// </summary>
    internal static KernelContainer From(Assembly assembly) =>
        From(assembly.GetName().Name ?? "", assembly.GetManifestResourceStream, BundlePath(assembly));

    /// <summary>
    /// The choice <see cref="From(Assembly)"/> makes, over any source of resources (tests give a dictionary). Three
    /// layouts, newest first (docs/formats.md): the kernel bundle embedded as one resource; the manifest and each
    /// image embedded as resources of their own (assemblies built before the bundle was embedded); the kernel bundle
    /// beside the assembly (<c>EmbedCudaKernels=false</c>).
    /// </summary>
    internal static KernelContainer From(string assemblyName, Func<string, Stream?> openResource, string? bundlePath)
    {
        string origin = $"assembly '{assemblyName}'";
        if (HasResource(openResource, EmbeddedBundleResource))
        {
            return FromArchive(origin, () => openResource(EmbeddedBundleResource)!,
                "Rebuild the project that built it (dotnet build --no-incremental).");
        }
        if (!HasResource(openResource, ManifestResource) && bundlePath is not null && File.Exists(bundlePath))
        {
            return FromBundle($"the kernel bundle '{bundlePath}' of {origin}", bundlePath);
        }
        return new(origin, openResource, bundlePath);
    }

    /// <summary>
    /// Where the build puts the assembly's kernel bundle: beside it, named after it. An assembly loaded from bytes,
    /// or bundled into a single-file app, has no location; the app's folder stands in for it.
    /// </summary>
    internal static string? BundlePath(Assembly assembly)
    {
        string? name = assembly.GetName().Name;
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        string folder = string.IsNullOrEmpty(assembly.Location) ? AppContext.BaseDirectory : Path.GetDirectoryName(assembly.Location)!;
        return Path.Combine(folder, name + Formats.KernelResources.BundleExtension);
    }

    /// <summary>The resources of a kernel bundle file: a zip archive whose entries are named as the resources.</summary>
    internal static KernelContainer FromBundle(string origin, string bundlePath) =>
        FromArchive(origin, () => File.OpenRead(bundlePath),
            "Rebuild the project that built it (dotnet build --no-incremental) to write it again, and copy it beside the assembly.");

    private static bool HasResource(Func<string, Stream?> openResource, string resource)
    {
        using Stream? stream = openResource(resource);
        return stream is not null;
    }

    /// <summary>
    /// Resources read from a kernel bundle, a file or an embedded resource; the archive is opened for each read, and
    /// closed before the caller reads, so that a build may replace a bundle file between two loads.
    /// </summary>
    private static KernelContainer FromArchive(string origin, Func<Stream> openArchive, string whatToDo) =>
        new(origin, resource => OpenArchiveEntry(origin, openArchive, resource, whatToDo));

    private static Stream? OpenArchiveEntry(string origin, Func<Stream> openArchive, string resource, string whatToDo)
    {
        try
        {
            using ZipArchive archive = new(openArchive(), ZipArchiveMode.Read);
            ZipArchiveEntry? entry = archive.GetEntry(resource);
            if (entry is null)
            {
                return null;
            }
            var bytes = new MemoryStream();
            using (Stream stream = entry.Open())
            {
                stream.CopyTo(bytes);
            }
            bytes.Position = 0;
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new KernelLoadException($"{origin} cannot be read ({e.Message}). {whatToDo}");
        }
    }

    /// <exception cref="KernelLoadException">The manifest is missing or malformed.</exception>
    internal KernelManifest ReadManifest()
    {
        byte[] bytes = Read(ManifestResource) ?? throw new KernelLoadException(
            $"{Origin} has no KernelBuild manifest (embedded resource '{EmbeddedBundleResource}', or '{ManifestResource}' in assemblies built before it). " +
            "Kernels are embedded when the project imports KernelBuild, has CudaKernel items and EmbedCudaKernels is true (Release builds, publish and pack); " +
            "with EmbedCudaKernels=false (Debug builds) they are in the kernel bundle beside the assembly" +
            (_bundleLookedFor is null ? "." : $", '{_bundleLookedFor}', which does not exist: build the project, and copy the bundle along with the assembly."));
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
            $"{Origin} lists image '{image.Resource}' in its KernelBuild manifest but has no such resource.");

        // A mismatch means the assembly's resources were altered or mixed from different builds;
        // loading it could run code other than what the manifest describes.
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, image.Sha256, StringComparison.Ordinal))
        {
            throw new KernelLoadException(
                $"image '{image.Resource}' of {Origin} does not match its manifest: sha256 is {actual}, the manifest says {image.Sha256}.");
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
