using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class WorkerProtocolTests
{
    [TestMethod]
    public void RequestsAndResponsesRoundTrip()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        WorkerProtocol.WriteRequest(writer, "/lib/libnvrtc.so.12", new NvrtcCompileRequest("/src/a b.cu", ["-arch=sm_80", "-DNAME=\"x y\"", ""])
        {
            SourceSuffix = "#line 1 \"x\"\nint y;",
            NameExpressions = ["scale<float>", "ns::k"],
        });
        var built = new NvrtcCompileOutput { Succeeded = true, Log = "warn\nline", Ptx = [1, 2, 3], Cubin = null };
        built.LoweredNames["scale<float>"] = "_Z5scaleIfEvPT_";
        WorkerProtocol.WriteResponse(writer, built);
        WorkerProtocol.WriteResponse(writer, new NvrtcCompileOutput { Succeeded = false, ApiError = "invalid option" });
        stream.Position = 0;
        using var reader = new BinaryReader(stream);

        var (library, request) = WorkerProtocol.ReadRequest(reader)!.Value;
        Assert.AreEqual("/lib/libnvrtc.so.12", library);
        Assert.AreEqual("/src/a b.cu", request.ProgramName);
        CollectionAssert.AreEqual(new[] { "-arch=sm_80", "-DNAME=\"x y\"", "" }, request.Options.ToArray());
        Assert.AreEqual("#line 1 \"x\"\nint y;", request.SourceSuffix);
        CollectionAssert.AreEqual(new[] { "scale<float>", "ns::k" }, request.NameExpressions.ToArray());
        var ok = WorkerProtocol.ReadResponse(reader);
        Assert.IsTrue(ok.Succeeded);
        Assert.AreEqual("warn\nline", ok.Log);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, ok.Ptx);
        Assert.IsNull(ok.Cubin);
        Assert.IsNull(ok.ApiError);
        Assert.AreEqual("_Z5scaleIfEvPT_", ok.LoweredNames["scale<float>"]);
        var failed = WorkerProtocol.ReadResponse(reader);
        Assert.IsFalse(failed.Succeeded);
        Assert.AreEqual("invalid option", failed.ApiError);
        Assert.IsNull(WorkerProtocol.ReadRequest(reader), "end of input ends the worker's loop");
    }
}
