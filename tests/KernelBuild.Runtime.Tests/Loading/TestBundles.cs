using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Loading;

/// <summary>Kernel bundles as the build writes them (docs/formats.md): one stored entry per resource, named as it.</summary>
internal static class TestBundles
{
    /// <summary>The resources of <paramref name="build"/>, with its manifest.</summary>
    internal static string Write(string path, ManifestJson build) =>
        Write(path, new Dictionary<string, byte[]>(build.Resources) { [KernelContainer.ManifestResource] = ManifestJson.Bytes(build.ToJson()) });

    /// <summary>Every KernelBuild resource that <paramref name="assembly"/> embeds.</summary>
    internal static string WriteFromEmbedded(Assembly assembly, string path) =>
        Write(path, assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("KernelBuild/", StringComparison.Ordinal))
            .ToDictionary(name => name, name =>
            {
                using Stream stream = assembly.GetManifestResourceStream(name)!;
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                return bytes.ToArray();
            }));

    private static string Write(string path, IReadOnlyDictionary<string, byte[]> resources)
    {
        using ZipArchive archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach ((string name, byte[] bytes) in resources)
        {
            using Stream entry = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
            entry.Write(bytes);
        }
        return path;
    }
}
