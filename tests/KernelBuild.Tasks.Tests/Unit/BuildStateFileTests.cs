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

    /// <summary>StateLine reads numbers in place as long.TryParse with the invariant culture would.</summary>
    [TestMethod]
    [DataRow("0", false, true, 0L)]
    [DataRow("007", false, true, 7L)]
    [DataRow("9223372036854775807", false, true, long.MaxValue)]
    [DataRow("9223372036854775808", false, false, 0L)]
    [DataRow("-9223372036854775808", true, true, long.MinValue)]
    [DataRow("-9223372036854775809", true, false, 0L)]
    [DataRow("+5", true, true, 5L)]
    [DataRow("-5", false, false, 0L)]
    [DataRow("-", true, false, 0L)]
    [DataRow("", false, false, 0L)]
    [DataRow(" 5", false, false, 0L)]
    [DataRow("5 ", false, false, 0L)]
    [DataRow("\u0665", false, false, 0L)]
    public void NumbersAreReadAsTheInvariantCultureWouldParseThem(string field, bool allowSign, bool valid, long expected)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes("kind\t" + field + "\trest");
        var line = new StateLine(text);
        line.MoveTo(0, text.Length);

        bool read = line.TryNumber(out long value, allowSign);

        Assert.AreEqual(valid, read, field);
        Assert.AreEqual(valid, long.TryParse(field, allowSign ? System.Globalization.NumberStyles.AllowLeadingSign : System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out long oracle), "the oracle agrees on " + field);
        Assert.AreEqual(expected, value);
        Assert.AreEqual(oracle, value);
        Assert.AreEqual("rest", line.Rest());
    }
}
