using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class BuildStateFileTests
{
    private static BuildState Sample()
    {
        var state = new BuildState { Compiler = new CompilerRecord { Identity = "abc", Name = "NVRTC 11.8" } };
        state.Compiler.SupportedArchitectures.AddRange([52, 80]);
        state.Files["/src/with space/a.cu"] = new TrackedFile("/src/with space/a.cu", new FileStamp(true, 10, 20, 30, 40), "ff");
        var kernel = new KernelRecord { RelativePath = "a.cu", Fingerprint = "fp", Complete = false };
        kernel.EntryPoints.Add("k");
        kernel.Outputs.Add(new OutputRecord { Architecture = "sm_80", Kind = OutputKind.Cubin, RelativePath = "a.sm_80.cubin", Stamp = new FileStamp(true, 1, 2, 3, 4), Sha256 = "aa" });
        kernel.Dependencies.Add("/src/with space/a.cu");
        kernel.AbsentProbes.Add("/inc/a.cuh");
        state.Kernels["a.cu"] = kernel;
        state.Manifest = new OutputRecord { Architecture = "-", Kind = OutputKind.Manifest, RelativePath = "KernelBuild.manifest.json", Stamp = new FileStamp(true, 5, 6, 7, 8), Sha256 = "mm" };
        state.SignatureIndex = new OutputRecord { Architecture = "-", Kind = OutputKind.SignatureIndex, RelativePath = "KernelBuild.signatures", Stamp = new FileStamp(true, 9, 10, 11, 12), Sha256 = "ss" };
        return state;
    }

    private static string WriteTemp(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), "kb-state-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void RoundTrips()
    {
        string path = WriteTemp(BuildStateFile.Serialize(Sample()));
        BuildState? read = BuildStateFile.TryRead(path, out string? problem);
        Assert.IsNotNull(read, problem);
        Assert.AreEqual(BuildStateFile.Serialize(Sample()), BuildStateFile.Serialize(read));
        Assert.AreEqual(new FileStamp(true, 10, 20, 30, 40), read.Files["/src/with space/a.cu"].Stamp);
        Assert.IsFalse(read.Kernels["a.cu"].Complete);
        Assert.AreEqual(new FileStamp(true, 9, 10, 11, 12), read.SignatureIndex!.Stamp);
        Assert.AreEqual(("ss", "KernelBuild.signatures", OutputKind.SignatureIndex), (read.SignatureIndex.Sha256, read.SignatureIndex.RelativePath, read.SignatureIndex.Kind));
        Assert.AreEqual("mm", read.Manifest!.Sha256);
        File.Delete(path);
    }

    [TestMethod]
    public void TruncatedStateReadsAsNoState()
    {
        string text = BuildStateFile.Serialize(Sample());
        for (int cut = 1; cut < text.Length; cut += 7)
        {
            string path = WriteTemp(text[..cut]);
            Assert.IsNull(BuildStateFile.TryRead(path, out string? problem), "cut at " + cut);
            Assert.IsNotNull(problem);
            File.Delete(path);
        }
    }

    [TestMethod]
    public void EditedStateReadsAsNoState()
    {
        string path = WriteTemp(BuildStateFile.Serialize(Sample()).Replace("\tfp\t", "\tfq\t"));
        Assert.IsNull(BuildStateFile.TryRead(path, out _));
        File.Delete(path);
    }

    [TestMethod]
    public void MissingStateReadsAsNoState()
    {
        Assert.IsNull(BuildStateFile.TryRead("/nonexistent/KernelBuild.state", out string? problem));
        Assert.AreEqual("no state file", problem);
    }
}
