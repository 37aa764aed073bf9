using System.Text;
using KernelBuild.Tasks.RemoteCache;

namespace KernelBuild.Tasks.Tests.RemoteCache;

/// <summary>The pieces of the remote cache that need no server: the ActionResult encoding, portable paths, settings.</summary>
[TestClass]
public sealed class RemoteCacheFormatTests
{
    private static readonly string s_hash = new('a', 64);

    [TestMethod]
    public void ActionResultIsTheProtobufWireFormatOfOutputFiles()
    {
        byte[] bytes = ActionResultMessage.Encode([new CachedOutputFile("x", s_hash, 3)]);

        // ActionResult.output_files (2) { OutputFile.path (1) "x", OutputFile.digest (2) { hash (1), size_bytes (2) = 3 } }
        byte[] digest = [0x0A, 0x40, .. Encoding.ASCII.GetBytes(s_hash), 0x10, 0x03];
        byte[] outputFile = [0x0A, 0x01, (byte)'x', 0x12, (byte)digest.Length, .. digest];
        byte[] expected = [0x12, (byte)outputFile.Length, .. outputFile];
        CollectionAssert.AreEqual(expected, bytes);
    }

    [TestMethod]
    public void ActionResultRoundTripsAndSkipsFieldsItDoesNotUse()
    {
        byte[] encoded = ActionResultMessage.Encode([new CachedOutputFile("image/sm_80", s_hash, 300), new CachedOutputFile("kernelbuild/record", new string('0', 64), 0)]);
        // exit_code (4) = 0 and stdout_raw (5) as another writer may add them.
        byte[] withOtherFields = [0x20, 0x00, 0x2A, 0x02, (byte)'h', (byte)'i', .. encoded];

        List<CachedOutputFile>? files = ActionResultMessage.TryDecode(withOtherFields);

        Assert.IsNotNull(files);
        CollectionAssert.AreEqual(new[] { "image/sm_80", "kernelbuild/record" }, files.Select(f => f.Path).ToList());
        Assert.AreEqual(300, files[0].Size);
        Assert.AreEqual(0, files[1].Size, "proto3 leaves a zero size out");
    }

    [TestMethod]
    public void GarbageIsNoActionResult()
    {
        Assert.IsNull(ActionResultMessage.TryDecode(Encoding.UTF8.GetBytes("<html>502 Bad Gateway</html>")));
        byte[] encoded = ActionResultMessage.Encode([new CachedOutputFile("x", s_hash, 3)]);
        Assert.IsNull(ActionResultMessage.TryDecode(encoded[..^5]), "truncated");
        byte[] badHash = ActionResultMessage.Encode([new CachedOutputFile("x", "not-a-hash", 3)]);
        Assert.IsNull(ActionResultMessage.TryDecode(badHash));
    }

    [TestMethod]
    public void PortablePathsNameFilesByProjectAndIncludeFolder()
    {
        var paths = new PortablePaths("/src/clone-a/proj", ["/src/clone-a/proj/include", "/opt/lib/include"]);

        Assert.AreEqual("<project>/kernels/a.cu", paths.ToPortable("/src/clone-a/proj/kernels/a.cu"));
        Assert.AreEqual("<include:0>/x.cuh", paths.ToPortable("/src/clone-a/proj/include/x.cuh"), "the longest folder names it");
        Assert.AreEqual("<include:1>/lib.h", paths.ToPortable("/opt/lib/include/lib.h"));
        Assert.AreEqual("/usr/include/stdio.h", paths.ToPortable("/usr/include/stdio.h"));
        Assert.AreEqual("-I<include:1>", paths.ToPortableOption("-I/opt/lib/include"));
        Assert.AreEqual("-DROOT=<project>/data", paths.ToPortableOption("-DROOT=/src/clone-a/proj/data"));

        var elsewhere = new PortablePaths("/home/b/proj", ["/home/b/proj/include", "/usr/local/lib/include"]);
        Assert.AreEqual("/home/b/proj/kernels/a.cu", elsewhere.ToLocal("<project>/kernels/a.cu"));
        Assert.AreEqual("/usr/local/lib/include/lib.h", elsewhere.ToLocal("<include:1>/lib.h"));
        Assert.IsNull(elsewhere.ToLocal("<include:7>/lib.h"), "a folder this kernel does not have");
    }

    [TestMethod]
    public void SettingsAreOffWithoutAUrlAndCheckedWithOne()
    {
        Assert.IsNull(RemoteCacheSettings.Parse("", null, null, null, null, out string? error));
        Assert.IsNull(error);

        RemoteCacheSettings? settings = RemoteCacheSettings.Parse("http://user:pw@cache:8080/kb", "readonly", null, null, "2.5", out error);
        Assert.IsNull(error);
        Assert.IsNotNull(settings);
        Assert.IsTrue(settings.ReadOnly);
        Assert.AreEqual(TimeSpan.FromSeconds(2.5), settings.Timeout);
        Assert.AreEqual("http://cache:8080/kb/", settings.DisplayUrl, "no credentials in what is logged");
        Assert.AreEqual("Basic", settings.Authorization?.Scheme);

        Assert.IsNull(RemoteCacheSettings.Parse("ftp://cache/", null, null, null, null, out error));
        StringAssert.Contains(error, "http://");
        Assert.IsNull(RemoteCacheSettings.Parse("http://cache/", null, null, null, "soon", out error));
        StringAssert.Contains(error, "CudaRemoteCacheTimeout");
        Assert.IsNull(RemoteCacheSettings.Parse("http://cache/", null, "Bearer secret-without-a-name", null, null, out error));
        Assert.IsFalse(error!.Contains("secret"), "a bad header is described, never quoted");
    }
}
