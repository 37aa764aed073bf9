using System.Collections;
using System.IO.Compression;
using System.Text;
using KernelBuild.Formats;
using Microsoft.Build.Framework;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>The kernel bundle task on its own: what it writes from a manifest, and what it does when it cannot.</summary>
[TestClass]
public sealed class WriteCudaKernelBundleTests
{
    [TestMethod]
    public void WritesTheManifestAndItsImagesStoredAndTheSameBytesEachTime()
    {
        using var folder = new Folder();
        folder.WriteKernel("kernels/a.compute_52.ptx", "// ptx a");
        folder.WriteKernel("kernels/sub/b.sm_80.cubin", "\u007fELF b");
        byte[] manifest = folder.WriteManifest(("kernels/a.cu", "compute_52", "kernels/a.compute_52.ptx"), ("kernels/sub/b.cu", "sm_80", "kernels/sub/b.sm_80.cubin"));

        var engine = new RecordingEngine();
        Assert.IsTrue(folder.Task(engine).Execute(), engine.ToString());
        byte[] first = File.ReadAllBytes(folder.Bundle);
        Assert.IsTrue(folder.Task(engine).Execute(), engine.ToString());

        CollectionAssert.AreEqual(first, File.ReadAllBytes(folder.Bundle), "equal inputs give equal bytes");
        using ZipArchive archive = ZipFile.OpenRead(folder.Bundle);
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
    public void AMissingImageIsKB4001AtTheBundleAndLeavesTheOldBundleAlone()
    {
        using var folder = new Folder();
        File.WriteAllText(folder.Bundle, "the previous bundle");
        folder.WriteManifest(("kernels/a.cu", "compute_52", "kernels/a.compute_52.ptx"));

        var engine = new RecordingEngine();
        bool succeeded = folder.Task(engine).Execute();

        Assert.IsFalse(succeeded);
        BuildErrorEventArgs error = engine.Errors.Single();
        Assert.AreEqual("KB4001", error.Code);
        Assert.AreEqual(folder.Bundle, error.File);
        StringAssert.Contains(error.Message, "a.compute_52.ptx");
        StringAssert.Contains(error.Message, "--no-incremental");
        Assert.AreEqual("the previous bundle", File.ReadAllText(folder.Bundle));
    }

    [TestMethod]
    public void AManifestNamingAFileOutsideTheOutputFolderIsRefused()
    {
        using var folder = new Folder();
        folder.WriteManifest(("kernels/a.cu", "compute_52", "../../secret.ptx"));

        var engine = new RecordingEngine();

        Assert.IsFalse(folder.Task(engine).Execute());
        StringAssert.Contains(engine.Errors.Single().Message, "not KernelBuild's");
        Assert.IsFalse(File.Exists(folder.Bundle));
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
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kb-bundle-task-" + Guid.NewGuid().ToString("N")[..8]);
        public string Manifest => System.IO.Path.Combine(Path, KernelResources.ManifestFileName);
        public string Bundle => System.IO.Path.Combine(Path, "KernelBuild.cudakernels");

        public Folder() => Directory.CreateDirectory(Path);

        public void WriteKernel(string relative, string text)
        {
            string file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        public byte[] WriteManifest(params (string Source, string Arch, string Image)[] kernels)
        {
            var entries = kernels.Select(k =>
            {
                Assert.IsTrue(ArchitectureName.TryParse(k.Arch, out ArchitectureName arch));
                return new ManifestKernelEntry(k.Source, ["k"], [new ManifestImageEntry(arch, KernelResources.Prefix + k.Image, new string('0', 64))]);
            }).ToList();
            byte[] bytes = Encoding.UTF8.GetBytes(ManifestWriter.Write(new KernelBuild.Formats.Manifest("NVRTC 11.8", entries)));
            File.WriteAllBytes(Manifest, bytes);
            return bytes;
        }

        public WriteCudaKernelBundle Task(IBuildEngine engine) =>
            new() { BuildEngine = engine, ManifestFile = Manifest, OutputPath = Path, BundleFile = Bundle };

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>The least of a build engine: it keeps the errors the task logs.</summary>
    private sealed class RecordingEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.proj";
        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogWarningEvent(BuildWarningEventArgs e) { }
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;
        public override string ToString() => string.Join("\n", Errors.Select(e => e.Message));
    }
}
