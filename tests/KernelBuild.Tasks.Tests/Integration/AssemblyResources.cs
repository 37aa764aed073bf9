using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using KernelBuild.Formats;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// The resources of a built assembly, read without loading it for execution. The assembly carries its kernels as
/// one resource, the embedded kernel bundle (docs/formats.md); <see cref="KernelBuildResources"/> opens it, so that
/// tests name the manifest and images by the resource names the runtime looks them up by.
/// </summary>
internal static class AssemblyResources
{
    /// <summary>Every manifest resource of the assembly, by name, as embedded; empty when there is no assembly.</summary>
    public static Dictionary<string, byte[]> Read(string assemblyPath)
    {
        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!File.Exists(assemblyPath)) return resources;
        var context = new AssemblyLoadContext("kb-resources-" + Guid.NewGuid(), isCollectible: true);
        try
        {
            using var image = new MemoryStream(File.ReadAllBytes(assemblyPath));
            Assembly assembly = context.LoadFromStream(image);
            foreach (string name in assembly.GetManifestResourceNames())
            {
                using Stream resource = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                resource.CopyTo(copy);
                resources[name] = copy.ToArray();
            }
        }
        finally
        {
            context.Unload();
        }
        return resources;
    }

    /// <summary>
    /// The assembly's resources with the embedded kernel bundle opened: its entries (the manifest and the images)
    /// in its place, beside any other resource.
    /// </summary>
    public static Dictionary<string, byte[]> KernelBuildResources(string assemblyPath)
    {
        Dictionary<string, byte[]> resources = Read(assemblyPath);
        if (resources.Remove(KernelResources.EmbeddedBundle, out byte[]? bundle))
        {
            foreach (var (name, bytes) in BundleEntries(bundle))
            {
                Assert.IsTrue(resources.TryAdd(name, bytes), $"the embedded bundle's entry '{name}' is also a resource of its own");
            }
        }
        return resources;
    }

    /// <summary>The entries of a kernel bundle, by name.</summary>
    public static Dictionary<string, byte[]> BundleEntries(byte[] bundle)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var archive = new ZipArchive(new MemoryStream(bundle), ZipArchiveMode.Read);
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            using Stream content = entry.Open();
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            entries.Add(entry.FullName, copy.ToArray());
        }
        return entries;
    }
}
