using System.IO.Compression;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: packed once from the working tree into a temporary feed, restored into an
/// isolated cache, and built by consumer projects outside the repository (docs/packaging.md).
/// </summary>
[TestClass]
[TestCategory("Package")]
public sealed class PackageConsumerTests
{
    private static LocalFeed? s_feed;

    private static LocalFeed Feed => s_feed ?? throw new InvalidOperationException("the feed was not packed");

    /// <summary>Packing builds every project in Release: once per test run, not once per test.</summary>
    [ClassInitialize]
    public static void PackOnce(TestContext context) => s_feed = LocalFeed.Pack();

    [ClassCleanup]
    public static void DeleteFeed() => s_feed?.Dispose();

    private const string App = """
        using KernelBuild.Runtime;

        // What the build embedded, read through the runtime's API (no GPU needed), then each kernel loaded by name
        // where there is a GPU.
        var assembly = typeof(Program).Assembly;
        KernelManifest manifest = KernelManifest.FromAssembly(assembly);
        foreach (ManifestKernel kernel in manifest.Kernels)
        {
            foreach (KernelImage image in kernel.Images)
            {
                Console.WriteLine($"kernel {kernel.Source} [{string.Join(",", kernel.EntryPoints)}] {image.Kind} {KernelManifest.ReadImage(assembly, image).Length} bytes");
            }
        }
        try
        {
            using CudaGpu gpu = CudaGpu.OpenDefault();
            foreach (ManifestKernel kernel in manifest.Kernels)
            {
                using CudaModule module = gpu.LoadModule(assembly, kernel.Source);
                Console.WriteLine($"loaded {kernel.Source}: {module.GetKernel(kernel.EntryPoints[0]).GetType().Name}");
            }
        }
        catch (CudaUnavailableException e)
        {
            Console.WriteLine("no GPU: " + e.Reason);
        }
        """;

    private static void WriteKernels(string folder)
    {
        Feed.Write($"{folder}/kernels/common/scale.cuh", "#pragma once\n__device__ inline float scale(float x) { return 2.0f * x; }\n");
        Feed.Write($"{folder}/kernels/math/vector/add.cu",
            "#include \"../../common/scale.cuh\"\nextern \"C\" __global__ void add(float* a, const float* b, int n)\n" +
            "{ int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) a[i] += scale(b[i]); }\n");
        Feed.Write($"{folder}/kernels/fill.cu", "extern \"C\" __global__ void fill(int* a, int v) { a[threadIdx.x] = v; }\n");
        // Compiles only where the package's launcher generator ran on the kernels' signatures (docs/launchers.md).
        Feed.Write($"{folder}/TypedLaunchers.cs",
            $"namespace {folder};\n" +
            "internal static class TypedLaunchers\n{\n" +
            "    public static string Names => typeof(AddKernels).FullName + \".\" + nameof(AddKernels.Add) + \" \" + typeof(FillKernels).FullName;\n}\n");
    }

    [TestMethod]
    public void PackagesHoldTheFilesUsersNeedAndNoNvrtc()
    {
        using ZipArchive build = ZipFile.OpenRead(Feed.PackagePath("KernelBuild"));
        var entries = build.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (string expected in new[]
        {
            "build/KernelBuild.props", "build/KernelBuild.targets", "buildTransitive/KernelBuild.props", "buildTransitive/KernelBuild.targets",
            "targets/KernelBuild.props", "targets/KernelBuild.targets", "targets/CudaKernel.xaml", "README.md",
            "tasks/netstandard2.0/KernelBuild.Tasks.dll", "tasks/netstandard2.0/KernelBuild.NvrtcWorker.dll", "tasks/netstandard2.0/KernelBuild.NvrtcWorker.runtimeconfig.json",
            "tasks/net472/KernelBuild.Tasks.dll", "tasks/net472/KernelBuild.NvrtcWorker.dll", "tasks/net472/KernelBuild.NvrtcWorker.runtimeconfig.json",
            "generator/KernelBuild.Generator.dll",
        })
        {
            Assert.IsTrue(entries.Contains(expected), expected + " is missing from the package: " + string.Join(", ", entries));
        }
        Assert.IsFalse(entries.Any(e => e.Contains("nvrtc", StringComparison.OrdinalIgnoreCase) && !e.Contains("NvrtcWorker", StringComparison.Ordinal)),
            "NVRTC must never be inside the package");
        Assert.IsFalse(entries.Any(e => e.Contains("Microsoft.Build", StringComparison.Ordinal)), "MSBuild supplies its own assemblies");

        // Each `dotnet build` loads the task and each full build starts workers: native code, not JIT (eng/ReadyToRun.targets).
        Assert.IsTrue(IsReadyToRun(build, "tasks/netstandard2.0/KernelBuild.Tasks.dll"), "the .NET flavour of the task assembly is ReadyToRun");
        Assert.IsTrue(IsReadyToRun(build, "tasks/netstandard2.0/KernelBuild.NvrtcWorker.dll"), "the compile worker is ReadyToRun");
        Assert.IsFalse(IsReadyToRun(build, "tasks/net472/KernelBuild.Tasks.dll"), ".NET Framework's MSBuild loads the IL-only flavour");

        string nuspec = ReadEntry(build, "KernelBuild.nuspec");
        StringAssert.Contains(nuspec, $"<dependency id=\"KernelBuild.Runtime\" version=\"{Feed.Version}\"");
        StringAssert.Contains(nuspec, "<license type=\"expression\">");
        StringAssert.Contains(nuspec, "<readme>README.md</readme>");
        StringAssert.Contains(nuspec, "<releaseNotes>");
        StringAssert.Contains(nuspec, "<tags>");
        StringAssert.Matches(nuspec, new System.Text.RegularExpressions.Regex("<repository type=\"git\"[^>]* commit=\"[0-9a-f]{40}\""));
        Assert.IsFalse(nuspec.Contains("developmentDependency", StringComparison.Ordinal), "not a development dependency (docs/packaging.md)");

        Assert.IsTrue(File.Exists(Feed.PackagePath("KernelBuild.Runtime")), "KernelBuild.Runtime is packed into the same feed");
    }

    /// <summary>True when the packed assembly carries ReadyToRun native code (a managed native header) beside its IL.</summary>
    private static bool IsReadyToRun(ZipArchive package, string entryName)
    {
        using var bytes = new MemoryStream();
        using (Stream entry = package.GetEntry(entryName)!.Open()) entry.CopyTo(bytes);
        bytes.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(bytes);
        return reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    [TestMethod]
    public void AppWithPackageReferenceEmbedsKernelsFromNestedFoldersAndResolvesThemByName()
    {
        Requirements.Nvrtc();
        string project = Feed.WriteProject("Direct", "Exe", referenceKernelBuild: true);
        Feed.Write("Direct/Program.cs", App);
        WriteKernels("Direct");

        BuildRun build = Feed.Build(project);
        Assert.IsTrue(build.Succeeded, build.ToString());
        StringAssert.Contains(build.Output, Path.Combine(Feed.PackagesFolder, "kernelbuild", Feed.Version), "the task must come from the restored package");

        BuildRun run = Feed.Dotnet(Path.Combine(Feed.Root, "Direct", "bin", "Debug", "net10.0", "Direct.dll"));
        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "kernel kernels/math/vector/add.cu [add] Ptx");
        StringAssert.Contains(run.Output, "kernel kernels/math/vector/add.cu [add] Cubin");
        StringAssert.Contains(run.Output, "kernel kernels/fill.cu [fill] Ptx");
        Assert.IsFalse(run.Output.Contains(" 0 bytes", StringComparison.Ordinal), run.Output);
        Assert.IsTrue(run.Output.Contains("no GPU:", StringComparison.Ordinal) || run.Output.Contains("loaded kernels/math/vector/add.cu", StringComparison.Ordinal), run.Output);
    }

    [TestMethod]
    public void VisualStudioSeesKernelsHeadersAndThePropertyPageThroughThePackage()
    {
        Requirements.Nvrtc();
        string project = Feed.WriteProject("Studio", "Library", referenceKernelBuild: true);
        WriteKernels("Studio");
        BuildRun build = Feed.Build(project);
        Assert.IsTrue(build.Succeeded, build.ToString());

        BuildRun items = Feed.Dotnet("msbuild", project, "-nodeReuse:false", "-t:_CudaKernels_CollectUpToDateCheckInputs",
            "-getItem:UpToDateCheckInput", "-getItem:None", "-getItem:CudaKernel", "-getItem:CudaHeader", "-getItem:PropertyPageSchema", "-getItem:AvailableItemName");

        Assert.IsTrue(items.Succeeded, items.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(items.Output[items.Output.IndexOf('{')..]);
        var found = json.RootElement.GetProperty("Items");
        string header = Path.Combine(Feed.Root, "Studio", "kernels", "common", "scale.cuh");
        CollectionAssert.Contains(FullPaths(found, "UpToDateCheckInput"), header, "the fast up-to-date check must see the recorded header");
        CollectionAssert.Contains(Identities(found, "CudaHeader"), Path.Combine("kernels", "common", "scale.cuh"), "headers show in Solution Explorer");
        CollectionAssert.DoesNotContain(Identities(found, "None"), Path.Combine("kernels", "common", "scale.cuh"), "a header shows once, as a CudaHeader");
        CollectionAssert.DoesNotContain(Identities(found, "None"), Path.Combine("kernels", "fill.cu"), "a kernel shows once, as a CudaKernel");
        CollectionAssert.Contains(Identities(found, "CudaKernel"), Path.Combine("kernels", "fill.cu"));
        CollectionAssert.Contains(Identities(found, "AvailableItemName"), "CudaKernel");
        CollectionAssert.Contains(Identities(found, "AvailableItemName"), "CudaHeader");
        Assert.IsTrue(FullPaths(found, "PropertyPageSchema").Any(p => p.StartsWith(Feed.PackagesFolder, StringComparison.Ordinal) && p.EndsWith("CudaKernel.xaml", StringComparison.Ordinal)),
            "the property page comes from the package");
    }

    [TestMethod]
    public void AppGettingKernelBuildThroughALibraryCompilesItsOwnKernels()
    {
        Requirements.Nvrtc();
        Feed.WriteProject("Library", "Library", referenceKernelBuild: true);
        Feed.Write("Library/Library.cs", "public static class LibraryAnchor { public const int Value = 1; }\n");
        string app = Feed.WriteProject("Transitive", "Exe", referenceKernelBuild: false,
            extraItems: "    <ProjectReference Include=\"../Library/Library.csproj\" />");
        Feed.Write("Transitive/Program.cs", App);
        WriteKernels("Transitive");

        BuildRun build = Feed.Build(app);
        Assert.IsTrue(build.Succeeded, build.ToString());
        BuildRun run = Feed.Dotnet(Path.Combine(Feed.Root, "Transitive", "bin", "Debug", "net10.0", "Transitive.dll"));
        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "kernel kernels/math/vector/add.cu [add] Ptx");
        StringAssert.Contains(run.Output, "kernel kernels/fill.cu [fill] Cubin");
    }

    /// <summary>
    /// KernelBuild's build half changes nothing in a project without kernels. The full reference also brings
    /// KernelBuild.Runtime, whose compile reference enters the PDB (and so the PDB id in the assembly) exactly as a
    /// direct reference to KernelBuild.Runtime would; the build half alone is `ExcludeAssets="compile;runtime"`.
    /// </summary>
    [TestMethod]
    public void AppWithoutKernelsBuildsTheSameBytesWithAndWithoutThePackage()
    {
        Feed.Write("Plain/Program.cs", "Console.WriteLine(\"plain\");\n");
        byte[] withoutPackage = BuildPlain(null);
        byte[] withBuildHalf = BuildPlain("<PackageReference Include=\"KernelBuild\" Version=\"$(KernelBuildVersion)\" ExcludeAssets=\"compile;runtime\" />");
        byte[] withRuntimeOnly = BuildPlain("<PackageReference Include=\"KernelBuild.Runtime\" Version=\"$(KernelBuildVersion)\" />");
        byte[] withPackage = BuildPlain("<PackageReference Include=\"KernelBuild\" Version=\"$(KernelBuildVersion)\" />");

        CollectionAssert.AreEqual(withoutPackage, withBuildHalf, "KernelBuild's build half must not change a project without .cu files");
        CollectionAssert.AreEqual(withRuntimeOnly, withPackage, "KernelBuild must add nothing to a project without .cu files but the KernelBuild.Runtime reference");
        Assert.IsFalse(Directory.Exists(Path.Combine(Feed.Root, "Plain", "obj", "Debug", "net10.0", "cuda")), "nothing of KernelBuild's is written");
    }

    private static byte[] BuildPlain(string? reference) =>
        BuildFresh(Feed.WriteProject("Plain", "Exe", referenceKernelBuild: false, extraItems: reference));

    /// <summary>Builds from empty bin/ and obj/ in the same folder (the same paths), and returns the assembly.</summary>
    private static byte[] BuildFresh(string project)
    {
        string folder = Path.GetDirectoryName(project)!;
        foreach (string output in new[] { "bin", "obj" })
        {
            if (Directory.Exists(Path.Combine(folder, output))) Directory.Delete(Path.Combine(folder, output), recursive: true);
        }
        BuildRun build = Feed.Build(project);
        Assert.IsTrue(build.Succeeded, build.ToString());
        return File.ReadAllBytes(Path.Combine(folder, "bin", "Debug", "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll"));
    }

    private static string ReadEntry(ZipArchive archive, string name)
    {
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static List<string> Identities(System.Text.Json.JsonElement items, string type) =>
        items.TryGetProperty(type, out var list) ? list.EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!).ToList() : [];

    private static List<string> FullPaths(System.Text.Json.JsonElement items, string type) =>
        items.TryGetProperty(type, out var list) ? list.EnumerateArray().Select(i => i.GetProperty("FullPath").GetString()!).ToList() : [];
}
