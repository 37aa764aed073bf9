using System.Text.Json;
using KernelBuild.Formats;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class OutputTests
{
    [TestMethod]
    public void AtomicWriteLeavesAnUnchangedFileAlone()
    {
        string path = Path.Combine(Path.GetTempPath(), "kb-atomic-" + Guid.NewGuid().ToString("N"), "f.bin");
        Assert.IsTrue(AtomicFile.WriteIfChanged(path, [1, 2, 3]));
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, old);

        Assert.IsFalse(AtomicFile.WriteIfChanged(path, [1, 2, 3]));
        Assert.AreEqual(old, File.GetLastWriteTimeUtc(path));

        Assert.IsTrue(AtomicFile.WriteIfChanged(path, [1, 2, 4]));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 4 }, File.ReadAllBytes(path));
        Assert.AreEqual(1, Directory.GetFiles(Path.GetDirectoryName(path)!).Length, "no temporary file is left behind");
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }

    [TestMethod]
    public void FindsEntryPointsInPtx()
    {
        const string ptx = ".version 7.8\n.target sm_52\n.visible .entry increment(\n.param .u64 a\n)\n{ ret; }\n.entry _Z3fooPi(\n)\n.func helper()\n";
        CollectionAssert.AreEqual(new[] { "_Z3fooPi", "increment" }, PtxEntryPoints.Find(ptx));
    }

    [TestMethod]
    public void ManifestIsValidJsonAndSorted()
    {
        var b = new ManifestKernelEntry("z/b.cu", ["k\"q"], [Image("sm_80", "z/b"), Image("compute_52", "z/b")]);
        var a = new ManifestKernelEntry("a.cu", [], []);

        using JsonDocument doc = JsonDocument.Parse(ManifestWriter.Write(new Manifest("NVRTC 11.8", [b, a])));

        Assert.AreEqual(1, doc.RootElement.GetProperty("format").GetInt32());
        var kernels = doc.RootElement.GetProperty("kernels");
        Assert.AreEqual("a.cu", kernels[0].GetProperty("source").GetString());
        Assert.AreEqual("k\"q", kernels[1].GetProperty("entryPoints")[0].GetString());
        Assert.AreEqual("compute_52", kernels[1].GetProperty("images")[0].GetProperty("arch").GetString());
        Assert.AreEqual("ptx", kernels[1].GetProperty("images")[0].GetProperty("kind").GetString());
        Assert.AreEqual(0, JsonDocument.Parse(ManifestWriter.Write(new Manifest("x", []))).RootElement.GetProperty("kernels").GetArrayLength());
    }

    [TestMethod]
    public void AnImageResourceNameGivesBackItsPathAndNothingElseDoes()
    {
        string resource = KernelResources.ForImage("kernels/sub/increment.sm_80.cubin");

        Assert.AreEqual("kernels/sub/increment.sm_80.cubin", KernelResources.ImagePathOf(resource));
        Assert.IsNull(KernelResources.ImagePathOf(KernelResources.Manifest), "the manifest is no image");
        Assert.IsNull(KernelResources.ImagePathOf("Other/kernels/a.ptx"));
        Assert.IsNull(KernelResources.ImagePathOf("KernelBuild/../../etc/passwd"), "a name never leads out of the output folder");
        Assert.IsNull(KernelResources.ImagePathOf("KernelBuild//a.ptx"));
    }

    private static ManifestImageEntry Image(string arch, string stem)
    {
        Assert.IsTrue(ArchitectureName.TryParse(arch, out ArchitectureName name), arch);
        return new ManifestImageEntry(name, KernelResources.ForImage($"{stem}.{arch}.{name.ImageKind}"), new string('0', 64));
    }
}
