using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Reflection;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Loading;

/// <summary>Kernel bundles as the build writes them (docs/formats.md): one stored entry per resource, named as it.</summary>
internal static class TestBundles
{
    /// <summary>The resources of <paramref name="build"/>, with its manifest, as a bundle file.</summary>
    internal static string Write(string path, ManifestJson build)
    {
        File.WriteAllBytes(path, Archive(build));
        return path;
    }

    /// <summary>The resources of <paramref name="build"/>, with its manifest, as the bytes of a bundle.</summary>
    internal static byte[] Archive(ManifestJson build) =>
        Archive(new Dictionary<string, byte[]>(build.Resources) { [KernelContainer.ManifestResource] = ManifestJson.Bytes(build.ToJson()) });

    /// <summary>The kernel bundle that <paramref name="assembly"/> embeds, written out as a bundle file.</summary>
    internal static string WriteFromEmbedded(Assembly assembly, string path)
    {
        using Stream embedded = assembly.GetManifestResourceStream(KernelContainer.EmbeddedBundleResource)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no kernel bundle");
        using FileStream file = File.Create(path);
        embedded.CopyTo(file);
        return path;
    }

    private static byte[] Archive(IReadOnlyDictionary<string, byte[]> resources)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in resources)
            {
                using Stream entry = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(bytes);
            }
        }
        return buffer.ToArray();
    }
}
