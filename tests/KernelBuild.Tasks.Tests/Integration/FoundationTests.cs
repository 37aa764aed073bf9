using System.Text;
using System.Text.Json;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>The foundation: `dotnet build` compiles .cu files through NVRTC, embeds the results, reports errors.</summary>
[TestClass]
public sealed class FoundationTests
{
    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void CompilesPtxAndCubinAndEmbedsThemUnderDocumentedNames()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52;sm_80</CudaArchitectures>");
        SeedKernels.WriteSeed(project);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        string ptx = File.ReadAllText(project.OutputOf("kernels/increment.compute_52.ptx"));
        StringAssert.Contains(ptx, ".target sm_52");
        StringAssert.Contains(ptx, ".entry increment(");
        Assert.AreEqual(1, SeedKernels.StepInPtx(ptx));
        byte[] cubin = File.ReadAllBytes(project.OutputOf("kernels/increment.sm_80.cubin"));
        CollectionAssert.AreEqual(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, cubin.Take(4).ToArray(), "a cubin is an ELF file");
        Assert.IsFalse(File.Exists(project.OutputOf("kernels/increment.sm_80.ptx")), "sm_XX asks for a cubin only");

        CollectionAssert.AreEqual(new[] { "KernelBuild.cudakernels" }, project.AssemblyResourceNames().ToArray(), "one resource: the kernel bundle");
        CollectionAssert.AreEqual(
            new[] { "KernelBuild/kernels/increment.compute_52.ptx", "KernelBuild/kernels/increment.sm_80.cubin", "KernelBuild/manifest.json" },
            project.EmbeddedResources().ToArray());
        CollectionAssert.AreEqual(File.ReadAllBytes(project.OutputOf("KernelBuild.cudakernels")),
            AssemblyResources.Read(project.AssemblyPath)["KernelBuild.cudakernels"], "the bundle the build wrote, embedded as it is");
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetDirectoryName(project.AssemblyPath)!, "Throwaway.cudakernels")), "an embedded bundle is not also copied beside the assembly");
        CollectionAssert.AreEqual(cubin, project.EmbeddedResource("KernelBuild/kernels/increment.sm_80.cubin"));

        using JsonDocument manifest = JsonDocument.Parse(project.EmbeddedResource("KernelBuild/manifest.json"));
        JsonElement kernel = manifest.RootElement.GetProperty("kernels")[0];
        Assert.AreEqual("kernels/increment.cu", kernel.GetProperty("source").GetString());
        Assert.AreEqual("increment", kernel.GetProperty("entryPoints")[0].GetString());
        JsonElement cubinImage = kernel.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("arch").GetString() == "sm_80");
        Assert.AreEqual("cubin", cubinImage.GetProperty("kind").GetString());
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(cubin)), cubinImage.GetProperty("sha256").GetString());
        StringAssert.StartsWith(manifest.RootElement.GetProperty("compiler").GetString(), "NVRTC ");
    }

    [TestMethod]
    public void SyntaxErrorInHeaderNamesTheHeaderAndLineAndLeavesNoOutputs()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52</CudaArchitectures>");
        SeedKernels.WriteSeed(project);
        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        project.Write(SeedKernels.Header, "#pragma once\n__device__ int step() { return 1 }\n");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        string header = project.PathOf(SeedKernels.Header);
        StringAssert.Contains(run.Output, header + "(2): error NVRTC: expected a \";\"");
        Assert.IsFalse(File.Exists(project.OutputOf("kernels/increment.compute_52.ptx")), "a failed compile must leave no image a later build could take as current");

        BuildRun again = project.Build();
        Assert.IsFalse(again.Succeeded, "the error must be reported again, not hidden behind an up-to-date check:\n" + again);
    }

    [TestMethod]
    public void MissingIncludeNamesTheIncludingFile()
    {
        using var project = new ThrowawayProject();
        project.Write("a.cu", "#include \"nothere.cuh\"\n__global__ void k() {}\n");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.PathOf("a.cu") + "(1): error NVRTC: cannot open source file \"nothere.cuh\"");
    }

    [TestMethod]
    public void WarningsAreReportedWithFileLineAndCode()
    {
        using var project = new ThrowawayProject();
        project.Write("w.cu", "extern \"C\" __global__ void k(int* a)\n{\n    int unused;\n    a[0] = 1;\n}\n");

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.PathOf("w.cu") + "(3): warning NVRTC177: variable \"unused\" was declared but never referenced");
    }

    [TestMethod]
    public void CleanRemovesOutputs()
    {
        using var project = new ThrowawayProject();
        SeedKernels.WriteSeed(project);
        Assert.IsTrue(project.Build().Succeeded);
        string[] produced = Directory.GetFiles(project.OutputFolder, "*", SearchOption.AllDirectories);
        Assert.IsTrue(produced.Length >= 4, string.Join("\n", produced));

        BuildRun clean = project.Clean();

        Assert.IsTrue(clean.Succeeded, clean.ToString());
        string[] left = Directory.Exists(project.OutputFolder) ? Directory.GetFiles(project.OutputFolder, "*", SearchOption.AllDirectories) : [];
        Assert.AreEqual(0, left.Length, "left after clean: " + string.Join(", ", left));
    }

    [TestMethod]
    public void ProjectWithoutKernelsBuildsUnchanged()
    {
        using var plain = new ThrowawayProject(importKernelBuild: false);
        Assert.IsTrue(plain.Build().Succeeded);
        byte[] without = File.ReadAllBytes(plain.AssemblyPath);

        plain.WriteProject(null, null, importKernelBuild: true);
        BuildRun run = plain.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsFalse(Directory.Exists(plain.OutputFolder), "no kernels: nothing is written");
        CollectionAssert.AreEqual(without, File.ReadAllBytes(plain.AssemblyPath), "the assembly must be the same bytes with KernelBuild imported");
        Assert.AreEqual(0, plain.EmbeddedResources().Count);
        Assert.IsFalse(run.Output.Contains("KB"), run.Output);
    }

    [TestMethod]
    public void ResourceNamesAndManifestAreTheSameInAnotherCheckout()
    {
        using var one = new ThrowawayProject();
        using var two = new ThrowawayProject();
        SeedKernels.WriteSeed(one);
        SeedKernels.WriteSeed(two);
        Assert.IsTrue(one.Build().Succeeded);
        Assert.IsTrue(two.Build().Succeeded);

        CollectionAssert.AreEqual(one.EmbeddedResources().ToArray(), two.EmbeddedResources().ToArray());
        Assert.IsFalse(one.EmbeddedResources().Any(n => n.Contains(one.Directory) || n.Contains(":\\") || n.StartsWith('/')));
        CollectionAssert.AreEqual(one.EmbeddedResource("KernelBuild/manifest.json"), two.EmbeddedResource("KernelBuild/manifest.json"));
    }

    [TestMethod]
    public void InvalidArchitectureIsAnErrorThatSaysWhatToWrite()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>sm80</CudaArchitectures>");
        SeedKernels.WriteSeed(project);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Output, "error KB1002: CUDA architecture 'sm80'");
        StringAssert.Contains(run.Output, "compute_XX");
    }

    [TestMethod]
    public void ArchitectureTheCompilerDoesNotSupportIsAnErrorListingSupportedOnes()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>sm_21</CudaArchitectures>");
        SeedKernels.WriteSeed(project);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Output, "error KB1003: CUDA architecture 'sm_21'");
        StringAssert.Contains(run.Output, "It supports:");
    }

    [TestMethod]
    public void MissingNvrtcIsOneErrorSayingWhereItLookedAndHowToInstall()
    {
        string nowhere = Path.Combine(Path.GetTempPath(), "kb-no-nvrtc-" + Guid.NewGuid().ToString("N"));
        using var project = new ThrowawayProject($"<NvrtcPath>{nowhere}</NvrtcPath>");
        SeedKernels.WriteSeed(project);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Output, "error KB1001: NVRTC (the CUDA runtime compiler library) was not found. Looked in: " + nowhere);
        StringAssert.Contains(run.Output, "apt-get install");
    }

    [TestMethod]
    public void PerKernelMetadataOverridesProjectProperties()
    {
        using var project = new ThrowawayProject(
            "<CudaArchitectures>compute_52</CudaArchitectures><CudaDefineConstants>STEP=3</CudaDefineConstants>",
            "<CudaKernel Update=\"b.cu\" Architectures=\"compute_60\" DefineConstants=\"STEP=4\" />");
        const string body = "extern \"C\" __global__ void k(int* a) { a[threadIdx.x] += STEP; }\n";
        project.Write("a.cu", body);
        project.Write("b.cu", body);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(3, SeedKernels.StepInPtx(File.ReadAllText(project.OutputOf("a.compute_52.ptx"))));
        Assert.AreEqual(4, SeedKernels.StepInPtx(File.ReadAllText(project.OutputOf("b.compute_60.ptx"))));
        Assert.IsFalse(File.Exists(project.OutputOf("b.compute_52.ptx")));
    }

    [TestMethod]
    public void DefaultItemsCanBeTurnedOffAndHeadersAreNeverKernels()
    {
        using var project = new ThrowawayProject("<EnableDefaultCudaKernelItems>false</EnableDefaultCudaKernelItems>", "<CudaKernel Include=\"only.cu\" />");
        project.Write("only.cu", "extern \"C\" __global__ void k() {}\n");
        project.Write("ignored.cu", "this is not CUDA and must not be compiled\n");
        project.Write("h.cuh", "this is not CUDA either\n");

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEquivalent(new[] { "KernelBuild/manifest.json", "KernelBuild/only." + DefaultArch(project) + ".ptx" }, project.EmbeddedResources().ToArray());
    }

    [TestMethod]
    [DataRow("", "CudaKernel", "CudaHeader", DisplayName = "defaults: kernels and .cuh headers have item types of their own")]
    [DataRow("<EnableDefaultCudaHeaderItems>false</EnableDefaultCudaHeaderItems>", "CudaKernel", "None", DisplayName = "default header items off: headers are the SDK's None items again")]
    [DataRow("<EnableDefaultCudaKernelItems>false</EnableDefaultCudaKernelItems>", "None", "CudaHeader", DisplayName = "default kernel items off: an unlisted .cu is a None item")]
    public void EachCudaFileIsOneItemAndNotAlsoNone(string properties, string unlistedKernelType, string headerType)
    {
        using var project = new ThrowawayProject(properties, "<CudaKernel Include=\"listed.cu\" Condition=\"'$(EnableDefaultCudaKernelItems)' == 'false'\" />");
        project.Write("listed.cu", "extern \"C\" __global__ void k() {}\n");
        project.Write("kernels/unlisted.cu", "extern \"C\" __global__ void k() {}\n");
        project.Write("include/h.cuh", "#pragma once\n");
        project.Write("include/c.h", "#pragma once\n");
        project.Write("obj/stray.cuh", "#pragma once\n");

        BuildRun run = ThrowawayProject.Dotnet(["msbuild", project.ProjectFile, "-nodeReuse:false", "-getItem:None", "-getItem:CudaKernel", "-getItem:CudaHeader"]);

        Assert.IsTrue(run.Succeeded, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Output[run.Output.IndexOf('{')..]);
        Dictionary<string, string> typeOf = ItemTypes(json.RootElement.GetProperty("Items"));
        Assert.AreEqual("CudaKernel", typeOf["listed.cu"], run.Output);
        Assert.AreEqual(unlistedKernelType, typeOf[Path.Combine("kernels", "unlisted.cu")], run.Output);
        Assert.AreEqual(headerType, typeOf[Path.Combine("include", "h.cuh")], run.Output);
        Assert.AreEqual("None", typeOf[Path.Combine("include", "c.h")], "other headers stay None items: " + run.Output);
        Assert.IsFalse(typeOf.ContainsKey(Path.Combine("obj", "stray.cuh")), "the SDK's excludes (bin/, obj/) still apply: " + run.Output);
    }

    /// <summary>Each item's identity and its type; a file that is two items at once fails the test.</summary>
    private static Dictionary<string, string> ItemTypes(JsonElement items)
    {
        var typeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty type in items.EnumerateObject())
        {
            foreach (JsonElement item in type.Value.EnumerateArray())
            {
                string identity = item.GetProperty("Identity").GetString()!;
                Assert.IsTrue(typeOf.TryAdd(identity, type.Name), identity + " is both " + typeOf.GetValueOrDefault(identity) + " and " + type.Name);
            }
        }
        return typeOf;
    }

    [TestMethod]
    public void CopyToOutputDirectoryPutsImagesBesideTheAssembly()
    {
        using var project = new ThrowawayProject("<CopyCudaKernelsToOutputDirectory>true</CopyCudaKernelsToOutputDirectory><EmbedCudaKernels>false</EmbedCudaKernels>");
        SeedKernels.WriteSeed(project);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        string bin = Path.GetDirectoryName(project.AssemblyPath)!;
        Assert.IsTrue(File.Exists(Path.Combine(bin, "cuda", "kernels", "increment." + DefaultArch(project) + ".ptx")), run.Output);
        Assert.IsTrue(File.Exists(Path.Combine(bin, "cuda", "KernelBuild.manifest.json")));
        Assert.AreEqual(0, project.AssemblyResourceNames().Count, "EmbedCudaKernels=false embeds nothing");
    }

    /// <summary>The default architecture is PTX for the lowest one the installed NVRTC supports.</summary>
    private static string DefaultArch(ThrowawayProject project)
    {
        string manifest = File.ReadAllText(project.OutputOf("KernelBuild.manifest.json"));
        var match = System.Text.RegularExpressions.Regex.Match(manifest, "\"arch\": \"(compute_\\d+)\"");
        Assert.IsTrue(match.Success, manifest);
        return match.Groups[1].Value;
    }
}
