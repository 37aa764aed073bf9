using System.IO.Compression;
using System.Text;
using KernelBuild.Formats;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The kernel bundle's bytes on their own (docs/formats.md): what goes in from a manifest, and what stops it. The
/// compile task writes them; the builds that embed or copy the bundle are in Integration/.
/// </summary>
[TestClass]
public sealed class KernelBundleArchiveTests
{
    [TestMethod]
    public void HoldsTheManifestAndItsImagesStoredAndTheSameBytesEachTime()
    {
        using var folder = new Folder();
        folder.WriteImage("kernels/a.compute_52.ptx", "// ptx a");
        folder.WriteImage("kernels/sub/b.sm_80.cubin", "\u007fELF b");
        byte[] manifest = folder.Manifest(("kernels/a.cu", "compute_52", "kernels/a.compute_52.ptx"), ("kernels/sub/b.cu", "sm_80", "kernels/sub/b.sm_80.cubin"));

        byte[] first = KernelBundleArchive.Of(manifest, "test manifest", folder.Path);
        byte[] second = KernelBundleArchive.Of(manifest, "test manifest", folder.Path);

        CollectionAssert.AreEqual(first, second, "equal inputs give equal bytes");
        using var archive = new ZipArchive(new MemoryStream(first), ZipArchiveMode.Read);
        CollectionAssert.AreEqual(
            new[] { KernelResources.Manifest, "KernelBuild/kernels/a.compute_52.ptx", "KernelBuild/kernels/sub/b.sm_80.cubin" },
            archive.Entries.Select(e => e.FullName).ToArray());
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            Assert.AreEqual(entry.Length, entry.CompressedLength, entry.FullName + " is stored, not compressed");
            Assert.AreEqual(1980, entry.LastWriteTime.Year, entry.FullName);
        }
        CollectionAssert.AreEqual(manifest, Read(archive.GetEntry(KernelResources.Manifest)!));
        Assert.AreEqual("// ptx a", Encoding.UTF8.GetString(Read(archive.GetEntry("KernelBuild/kernels/a.compute_52.ptx")!)));
    }

    [TestMethod]
    public void AMissingImageIsAnIOExceptionThatNamesIt()
    {
        using var folder = new Folder();
        byte[] manifest = folder.Manifest(("kernels/a.cu", "compute_52", "kernels/a.compute_52.ptx"));

        IOException exception = Assert.Throws<IOException>(() => KernelBundleArchive.Of(manifest, "test manifest", folder.Path));

        StringAssert.Contains(exception.Message, "a.compute_52.ptx");
    }

    [TestMethod]
    public void AnImageThatNoLongerMatchesTheManifestIsRefused()
    {
        // Another build of the project rewrote the image after this one wrote the manifest.
        using var folder = new Folder();
        folder.WriteImage("kernels/a.compute_52.ptx", "// ptx a, step 1");
        byte[] manifest = folder.Manifest(("kernels/a.cu", "compute_52", "kernels/a.compute_52.ptx"));
        folder.WriteImage("kernels/a.compute_52.ptx", "// ptx a, step 2");

        KernelBundleException exception = Assert.ThrowsExactly<KernelBundleException>(() => KernelBundleArchive.Of(manifest, "test manifest", folder.Path));

        StringAssert.Contains(exception.Message, "a.compute_52.ptx' does not match the manifest");
        StringAssert.Contains(exception.Message, "another build of this project");
    }

    [TestMethod]
    public void AManifestNamingAFileOutsideTheOutputFolderIsRefused()
    {
        using var folder = new Folder();
        byte[] manifest = folder.Manifest(("kernels/a.cu", "compute_52", "../../secret.ptx"));

        KernelBundleException exception = Assert.ThrowsExactly<KernelBundleException>(() => KernelBundleArchive.Of(manifest, "test manifest", folder.Path));

        StringAssert.Contains(exception.Message, "not KernelBuild's");
    }

    [TestMethod]
    public void AMalformedManifestIsRefusedWithItsOrigin()
    {
        using var folder = new Folder();

        KernelBundleException exception = Assert.ThrowsExactly<KernelBundleException>(
            () => KernelBundleArchive.Of("{\"format\": 1}"u8.ToArray(), "the test manifest", folder.Path));

        StringAssert.Contains(exception.Message, "the test manifest");
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    private sealed class Folder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kb-bundle-" + Guid.NewGuid().ToString("N")[..8]);

        public Folder() => Directory.CreateDirectory(Path);

        public void WriteImage(string relative, string text)
        {
            string file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        /// <summary>A manifest of the images, each with the SHA-256 of its file as it is now (zeros for a missing one).</summary>
        public byte[] Manifest(params (string Source, string Arch, string Image)[] kernels)
        {
            var entries = kernels.Select(k =>
            {
                Assert.IsTrue(ArchitectureName.TryParse(k.Arch, out ArchitectureName arch));
                string image = System.IO.Path.Combine(Path, k.Image);
                string sha256 = File.Exists(image) ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(image))) : new string('0', 64);
                return new ManifestKernelEntry(k.Source, ["k"], [new ManifestImageEntry(arch, KernelResources.Prefix + k.Image, sha256)]);
            }).ToList();
            return Encoding.UTF8.GetBytes(ManifestWriter.Write(new KernelBuild.Formats.Manifest("NVRTC 11.8", entries)));
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
