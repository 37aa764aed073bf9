using System;
using System.IO;
using System.IO.Compression;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Writes the kernel bundle: the manifest and every image in one zip archive, each entry named by its resource
    /// name (docs/formats.md), for <c>EmbedCudaKernels=false</c>. The runtime reads it beside the assembly when the
    /// assembly embeds no manifest. The archive is written whole and renamed into place, so a reader never sees
    /// half of it; its entries are stored, not compressed, and carry a fixed time, so equal inputs give equal bytes.
    /// </summary>
    public sealed class WriteCudaKernelBundle : Task
    {
        // Zip's earliest time. The entries' own times would make two builds of the same kernels differ.
        private static readonly DateTimeOffset s_entryTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>The manifest file ($(_CudaKernelManifest)).</summary>
        [Required] public string ManifestFile { get; set; } = "";

        /// <summary>The images, from CheckCudaKernels. Metadata: LogicalName, the entry's name.</summary>
        [Required] public ITaskItem[] Images { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The archive to write.</summary>
        [Required] public string BundleFile { get; set; } = "";

        public override bool Execute()
        {
            try
            {
                AtomicFile.Write(BundleFile, Archive());
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // A missing image or manifest means the compile that the check asked for did not finish; the
                // compile's own error says why. Either way the old bundle, if any, stays as it was.
                Log.LogError(null, KbErrors.WriteFailed, null, BundleFile, 0, 0, 0, 0,
                    "Cannot write the kernel bundle: " + e.Message + " Build again; if this persists, make the output folder writable.");
                return false;
            }
        }

        private byte[] Archive()
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                Add(zip, Formats.KernelResources.Manifest, ManifestFile);
                foreach (ITaskItem image in Images)
                {
                    Add(zip, image.GetMetadata("LogicalName"), image.ItemSpec);
                }
            }
            return buffer.ToArray();
        }

        private static void Add(ZipArchive zip, string entryName, string file)
        {
            ZipArchiveEntry entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression);
            entry.LastWriteTime = s_entryTime;
            using Stream destination = entry.Open();
            using FileStream source = File.OpenRead(file);
            source.CopyTo(destination);
        }
    }
}
