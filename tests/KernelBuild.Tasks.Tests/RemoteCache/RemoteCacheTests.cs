using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.RemoteCache;

/// <summary>
/// The remote cache through the real `dotnet build`, real NVRTC and a real Bazel HTTP cache (nginx WebDAV on
/// loopback). Two throwaway projects in different folders stand for two clones, or two machines, of one repository.
/// </summary>
[TestClass]
public sealed class RemoteCacheTests
{
    private const string Settings = "<CudaArchitectures>compute_52;sm_52</CudaArchitectures><CudaIncludeDirectories>include</CudaIncludeDirectories>";
    private static readonly string[] s_allKernels = ["kernels/a.cu", "kernels/b.cu", "kernels/c.cu"];

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void CloneInAnotherFolderRestoresEveryKernelWithoutCompilingAndByteIdentical()
    {
        using var server = NginxCacheServer.Start();
        using ThrowawayProject first = Clone(server.Url);
        BuildRun upload = first.Build();
        Assert.IsTrue(upload.Succeeded, upload.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(upload));
        StringAssert.Contains(upload.Output, "0 hit(s), 3 miss(es), 3 upload(s)");
        Assert.AreEqual(6, server.StoredFiles("ac").Count, "two action cache entries per kernel");

        using ThrowawayProject second = Clone(server.Url);
        BuildRun restore = second.Build();

        Assert.IsTrue(restore.Succeeded, restore.ToString());
        Assert.AreEqual(0, Compiled(restore).Count, restore.Output);
        StringAssert.Contains(restore.Output, "3 hit(s), 0 miss(es), 0 upload(s)");
        Assert.AreEqual(0, Warnings(restore, "KB6001"), restore.Output);
        Dictionary<string, byte[]> restored = Outputs(second);
        Assert.AreEqual(13, restored.Count, "two images, a .d file and the launchers' signatures for each of three kernels, and the manifest");

        // The restored state describes the outputs: the next build compiles and restores nothing.
        BuildRun again = second.Build();
        Assert.IsTrue(again.Succeeded, again.ToString());
        Assert.AreEqual(0, Compiled(again).Count, again.Output);
        Assert.IsFalse(again.Output.Contains("hit(s)"), again.Output);

        // Byte for byte what a local compile of this clone writes, .d files (with this clone's paths) included.
        Assert.IsTrue(second.Clean().Succeeded);
        Directory.Delete(second.OutputFolder, recursive: true);
        second.WriteProject(Settings, null);
        BuildRun local = second.Build();
        Assert.IsTrue(local.Succeeded, local.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(local));
        AssertSameFiles(Outputs(second), restored);
    }

    [TestMethod]
    public void EditedHeaderMissesForExactlyItsDependants()
    {
        using var server = NginxCacheServer.Start();
        using ThrowawayProject first = Clone(server.Url);
        Assert.IsTrue(first.Build().Succeeded);

        using ThrowawayProject second = Clone(server.Url);
        second.Write("include/common.cuh", Header("common", 5));
        BuildRun run = second.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "kernels/a.cu", "kernels/c.cu" }, Compiled(run));
        StringAssert.Contains(run.Output, "1 hit(s), 2 miss(es), 2 upload(s)");
        Assert.AreEqual(5, Constant(second, "kernels/a"));
        Assert.AreEqual(2, Constant(second, "kernels/b"));
    }

    [TestMethod]
    public void NewHeaderThatShadowsARecordedOneMisses()
    {
        using var server = NginxCacheServer.Start();
        using ThrowawayProject first = Clone(server.Url);
        Assert.IsTrue(first.Build().Succeeded);

        // #include "common.cuh" searches the kernel's own folder before include/: this file now wins.
        using ThrowawayProject second = Clone(server.Url);
        second.Write("kernels/common.cuh", Header("common", 9));
        BuildRun run = second.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "kernels/a.cu", "kernels/c.cu" }, Compiled(run));
        StringAssert.Contains(run.Output, "kernels/common.cuh exists here and may shadow a header");
        Assert.AreEqual(9, Constant(second, "kernels/a"));
        Assert.AreEqual(2, Constant(second, "kernels/b"));
    }

    [TestMethod]
    public void ServerDownCompilesLocallyWithOneWarning()
    {
        using ThrowawayProject project = Clone("http://127.0.0.1:" + NginxCacheServer.FreePort() + "/");
        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(run));
        Assert.AreEqual(1, Warnings(run, "KB6001"), run.Output);
        Assert.AreEqual(1, Constant(project, "kernels/a"));
    }

    [TestMethod]
    public void ServerThatNeverAnswersTimesOutOnceAndCompilesLocally()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the OS's backlog) and never answers
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using ThrowawayProject project = Clone("http://127.0.0.1:" + port + "/", "<CudaRemoteCacheTimeout>1</CudaRemoteCacheTimeout>");

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(run));
        Assert.AreEqual(1, Warnings(run, "KB6001"), run.Output);
        StringAssert.Contains(run.Output, "no answer within 1 s");
    }

    [TestMethod]
    public void CorruptOrGarbageEntriesAreVerifiedMisses()
    {
        using var server = NginxCacheServer.Start();
        using ThrowawayProject first = Clone(server.Url);
        Assert.IsTrue(first.Build().Succeeded);
        IReadOnlyList<string> blobs = server.StoredFiles("cas");
        for (int i = 0; i < blobs.Count; i++)
        {
            byte[] bytes = File.ReadAllBytes(blobs[i]);
            // Half truncated, half the same length with one byte flipped: both fail the SHA-256 check.
            if (i % 2 == 0) File.WriteAllBytes(blobs[i], bytes[..(bytes.Length / 2)]);
            else { bytes[^1] ^= 0x5A; File.WriteAllBytes(blobs[i], bytes); }
        }

        using ThrowawayProject second = Clone(server.Url, "<CudaRemoteCacheMode>ReadOnly</CudaRemoteCacheMode>");
        BuildRun corrupt = second.Build();
        Assert.IsTrue(corrupt.Succeeded, corrupt.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(corrupt));
        Assert.AreEqual(1, Warnings(corrupt, "KB6001"), corrupt.Output);
        Assert.AreEqual(1, Constant(second, "kernels/a"));

        foreach (string entry in server.StoredFiles("ac")) File.WriteAllText(entry, "<html>502 Bad Gateway</html>");
        using ThrowawayProject third = Clone(server.Url);
        BuildRun garbage = third.Build();
        Assert.IsTrue(garbage.Succeeded, garbage.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(garbage));
        Assert.AreEqual(1, Warnings(garbage, "KB6001"), garbage.Output);
        StringAssert.Contains(garbage.Output, "is not an ActionResult");
    }

    [TestMethod]
    public void ReadOnlyModeNeverUploads()
    {
        using var server = NginxCacheServer.Start();
        using ThrowawayProject project = Clone(server.Url, "<CudaRemoteCacheMode>ReadOnly</CudaRemoteCacheMode>");

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(s_allKernels, Compiled(run));
        StringAssert.Contains(run.Output, "0 hit(s), 3 miss(es), 0 upload(s) (read-only)");
        Assert.AreEqual(0, server.Requests("PUT"), "no PUT reached the server");
        Assert.AreEqual(0, server.StoredFiles("ac").Count + server.StoredFiles("cas").Count);
        Assert.IsTrue(server.Requests("GET") >= 3, "but it looked every kernel up");
    }

    [TestMethod]
    public void CredentialsFromAnEnvironmentVariableAreSentAndNeverLogged()
    {
        const string secret = "Bearer s3cret-token-value";
        using var server = NginxCacheServer.Start(requiredAuthorization: secret);
        Environment.SetEnvironmentVariable("KB_TEST_CACHE_HEADER", "Authorization: " + secret);
        try
        {
            using ThrowawayProject project = Clone(server.Url, "<CudaRemoteCacheHeaderVariable>KB_TEST_CACHE_HEADER</CudaRemoteCacheHeaderVariable>");
            BuildRun run = project.Build("-v:diag");
            Assert.IsTrue(run.Succeeded, run.ToString());
            StringAssert.Contains(run.Output, "3 upload(s)");
            Assert.AreEqual(0, Warnings(run, "KB6001"), "the server, which answers 401 without the header, accepted every request");
            Assert.IsFalse(run.Output.Contains("s3cret"), "the secret must not reach the log");
        }
        finally
        {
            Environment.SetEnvironmentVariable("KB_TEST_CACHE_HEADER", null);
        }
    }

    [TestMethod]
    public void InvalidModeIsAnErrorThatSaysWhatItAccepts()
    {
        using ThrowawayProject project = Clone("http://127.0.0.1:1/", "<CudaRemoteCacheMode>WriteOnly</CudaRemoteCacheMode>");
        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Output, "error KB6002: CudaRemoteCacheMode 'WriteOnly' is not ReadWrite or ReadOnly");
        Assert.IsFalse(run.Output.Contains("MSB4018"), run.Output);
    }

    private static ThrowawayProject Clone(string url, string? extraProperties = null)
    {
        var project = new ThrowawayProject(Settings + "<CudaRemoteCacheUrl>" + url + "</CudaRemoteCacheUrl>" + extraProperties);
        project.Write("include/common.cuh", Header("common", 1));
        project.Write("include/other.cuh", Header("other", 2));
        project.Write("kernels/a.cu", Kernel("a", "common"));
        project.Write("kernels/b.cu", Kernel("b", "other"));
        project.Write("kernels/c.cu", Kernel("c", "common"));
        return project;
    }

    private static string Header(string name, int value) => $"#pragma once\n__device__ __forceinline__ int {name}() {{ return {value}; }}\n";

    private static string Kernel(string name, string header) =>
        $"#include \"{header}.cuh\"\nextern \"C\" __global__ void {name}(int* data) {{ data[threadIdx.x] += {header}(); }}\n";

    private static List<string> Compiled(BuildRun run) =>
        Regex.Matches(run.Output, @"Compiling CUDA kernel (\S+) ").Select(m => m.Groups[1].Value).Order().ToList();

    /// <summary>Distinct KB warnings of this code (MSBuild may repeat a warning line in its summary).</summary>
    private static int Warnings(BuildRun run, string code) =>
        Regex.Matches(run.Output, "warning " + code + ": [^\\[]*").Select(m => m.Value).Distinct().Count();

    /// <summary>The constant the kernel adds, read from its PTX (`add.s32 %r, %r, N;`).</summary>
    private static int Constant(ThrowawayProject project, string kernel) =>
        SeedKernels.StepInPtx(File.ReadAllText(project.OutputOf(kernel + ".compute_52.ptx")));

    private static Dictionary<string, byte[]> Outputs(ThrowawayProject project) =>
        Directory.GetFiles(project.OutputFolder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ptx") || f.EndsWith(".cubin") || f.EndsWith(".cu.d") || f.EndsWith(".cu.signatures") || f.EndsWith("manifest.json"))
            .ToDictionary(f => Path.GetRelativePath(project.OutputFolder, f), File.ReadAllBytes);

    private static void AssertSameFiles(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), actual.Keys.ToList());
        foreach ((string name, byte[] bytes) in expected)
        {
            CollectionAssert.AreEqual(bytes, actual[name], name + " differs from a local compile's");
        }
    }
}
