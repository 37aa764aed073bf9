using System;
using System.IO;
using System.IO.Compression;
using KernelBuild.Formats;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Writes the kernel bundle for <c>EmbedCudaKernels=false</c>: the manifest and every image it lists, in one zip
    /// archive whose entries are named by their resource names (docs/formats.md). The runtime reads it beside the
    /// assembly when the assembly embeds no manifest. The archive is made from the manifest alone, so it always holds
    /// exactly the images its manifest describes; it is written whole and renamed into place, so a reader never sees
    /// half of it. Entries are stored, not compressed, and carry a fixed time: equal kernels give equal bytes.
    /// </summary>
    public sealed class WriteCudaKernelBundle : Task
    {
        // Zip's earliest time. The entries' own times would make two builds of the same kernels differ.
        private static readonly DateTimeOffset s_entryTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>The manifest file ($(_CudaKernelManifest)).</summary>
        [Required] public string ManifestFile { get; set; } = "";

        /// <summary>The folder the manifest's image paths are relative to ($(CudaKernelOutputPath)).</summary>
        [Required] public string OutputPath { get; set; } = "";

        /// <summary>The archive to write.</summary>
        [Required] public string BundleFile { get; set; } = "";

        public override bool Execute()
        {
            try
            {
                AtomicFile.Write(BundleFile, Archive(File.ReadAllBytes(ManifestFile)));
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ManifestFormatException)
            {
                // The manifest and images are the compile task's, written before this runs; one missing or damaged
                // means they were changed behind the build's back. The old bundle, if any, stays as it was.
                Log.LogError(null, KbErrors.WriteFailed, null, BundleFile, 0, 0, 0, 0,
                    "Cannot write the kernel bundle: " + e.Message + " Rebuild the project (dotnet build --no-incremental) to write the kernels' outputs again.");
                return false;
            }
        }

        private byte[] Archive(byte[] manifestBytes)
        {
            Manifest manifest = ManifestReader.Read(manifestBytes, "the KernelBuild manifest '" + ManifestFile + "'");
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                Add(zip, KernelResources.Manifest, manifestBytes);
                foreach (ManifestKernelEntry kernel in manifest.Kernels)
                {
                    foreach (ManifestImageEntry image in kernel.Images)
                    {
                        Add(zip, image.Resource, File.ReadAllBytes(ImageFile(image.Resource)));
                    }
                }
            }
            return buffer.ToArray();
        }

        private string ImageFile(string resource)
        {
            string relative = KernelResources.ImagePathOf(resource)
                ?? throw new ManifestFormatException("the manifest '" + ManifestFile + "' names an image resource '" + resource + "' that is not KernelBuild's.");
            return Path.Combine(OutputPath, relative.Replace('/', Path.DirectorySeparatorChar));
        }

        private static void Add(ZipArchive zip, string entryName, byte[] content)
        {
            ZipArchiveEntry entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression);
            entry.LastWriteTime = s_entryTime;
            using Stream destination = entry.Open();
            destination.Write(content, 0, content.Length);
        }
    }
}
