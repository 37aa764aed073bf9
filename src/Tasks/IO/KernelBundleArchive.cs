using System;
using System.IO;
using System.IO.Compression;
using KernelBuild.Formats;

namespace KernelBuild.Tasks.IO
{
    /// <summary>
    /// The kernel bundle's bytes (docs/formats.md): the manifest and every image it lists, in one zip archive whose
    /// entries are named by their resource names. Made from the manifest alone, so it always holds exactly the images
    /// its manifest describes, each checked against the manifest's SHA-256. Entries are stored, not compressed, and
    /// carry a fixed time: equal kernels give equal bytes.
    /// </summary>
    internal static class KernelBundleArchive
    {
        // Zip's earliest time. The entries' own times would make two builds of the same kernels differ.
        private static readonly DateTimeOffset s_entryTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>The archive of <paramref name="manifestBytes"/> and the images it lists, read from <paramref name="outputDirectory"/>.</summary>
        /// <exception cref="IOException">An image cannot be read.</exception>
        /// <exception cref="KernelBundleException">An image differs from what the manifest says (another build of the
        /// project rewrote it after this one wrote the manifest: a bundle of the two would hold an image the runtime
        /// refuses to load), or the manifest is malformed or names a file that is not KernelBuild's.</exception>
        public static byte[] Of(byte[] manifestBytes, string manifestOrigin, string outputDirectory)
        {
            Manifest manifest;
            try
            {
                manifest = ManifestReader.Read(manifestBytes, manifestOrigin);
            }
            catch (ManifestFormatException e)
            {
                throw new KernelBundleException(e.Message);
            }
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                Add(zip, KernelResources.Manifest, manifestBytes);
                foreach (ManifestKernelEntry kernel in manifest.Kernels)
                {
                    foreach (ManifestImageEntry image in kernel.Images)
                    {
                        Add(zip, image.Resource, ImageBytes(image, manifestOrigin, outputDirectory));
                    }
                }
            }
            return buffer.ToArray();
        }

        private static byte[] ImageBytes(ManifestImageEntry image, string manifestOrigin, string outputDirectory)
        {
            string relative = KernelResources.ImagePathOf(image.Resource)
                ?? throw new KernelBundleException(manifestOrigin + " names an image resource '" + image.Resource + "' that is not KernelBuild's.");
            string file = Path.Combine(outputDirectory, relative.Replace('/', Path.DirectorySeparatorChar));
            byte[] bytes = File.ReadAllBytes(file);
            string actual = ContentHash.Of(bytes);
            if (actual != image.Sha256)
            {
                throw new KernelBundleException("the image '" + file + "' does not match the manifest (SHA-256 " + actual + ", the manifest says "
                    + image.Sha256 + "): another build of this project may have rewritten it.");
            }
            return bytes;
        }

        private static void Add(ZipArchive zip, string entryName, byte[] content)
        {
            ZipArchiveEntry entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression);
            entry.LastWriteTime = s_entryTime;
            using Stream destination = entry.Open();
            destination.Write(content, 0, content.Length);
        }
    }

    /// <summary>The manifest and the images on disk do not make a bundle; the message says which file and why.</summary>
    internal sealed class KernelBundleException : Exception
    {
        public KernelBundleException(string message) : base(message) { }
    }
}
