using System.IO.Compression;
using System.Text;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// EmbedCudaKernels=false: the manifest and images travel in the kernel bundle, a zip archive beside the assembly
/// named after it (docs/formats.md), which the runtime reads when the assembly embeds no manifest.
/// </summary>
[TestClass]
public sealed class KernelBundleTests
{
    private const string NotEmbedded = "<EmbedCudaKernels>false</EmbedCudaKernels>";
    private const string ManifestEntry = "KernelBuild/manifest.json";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void TheBundleHoldsTheManifestAndImagesAndAnEditRewritesOnlyIt()
    {
        using var project = new ThrowawayProject(NotEmbedded);
        SeedKernels.WriteSeed(project, step: 1);
        ThrowawayProject.WaitPastTimestampGranularity();

        BuildRun first = project.Build();

        Assert.IsTrue(first.Succeeded, first.ToString());
        Assert.AreEqual(0, project.EmbeddedResources().Count, "nothing is embedded");
        string bundle = BundleBeside(project.AssemblyPath);
        Dictionary<string, byte[]> entries = Entries(bundle);
        string ptxEntry = entries.Keys.Single(name => name.EndsWith(".ptx", StringComparison.Ordinal));
        StringAssert.StartsWith(ptxEntry, "KernelBuild/kernels/increment.compute_");
        CollectionAssert.AreEquivalent(new[] { ManifestEntry, ptxEntry }, entries.Keys.ToArray());
        CollectionAssert.AreEqual(File.ReadAllBytes(project.OutputOf("KernelBuild.manifest.json")), entries[ManifestEntry]);
        Assert.AreEqual(1, SeedKernels.StepInPtx(Encoding.UTF8.GetString(entries[ptxEntry])));
        DateTime assemblyWritten = File.GetLastWriteTimeUtc(project.AssemblyPath);

        project.Write(SeedKernels.Header, SeedKernels.StepHeader(2));
        ThrowawayProject.WaitPastTimestampGranularity();
        BuildRun edited = project.Build();

        Assert.IsTrue(edited.Succeeded, edited.ToString());
        Assert.AreEqual(2, SeedKernels.StepInPtx(Encoding.UTF8.GetString(Entries(bundle)[ptxEntry])), "the bundle in bin has the new image");
        Assert.AreEqual(assemblyWritten, File.GetLastWriteTimeUtc(project.AssemblyPath),
            "only the bundle changed, so the C# compile did not run and the assembly was not rewritten");
        DateTime bundleWritten = File.GetLastWriteTimeUtc(bundle);

        BuildRun noop = project.Build();

        Assert.IsTrue(noop.Succeeded, noop.ToString());
        Assert.AreEqual(bundleWritten, File.GetLastWriteTimeUtc(bundle), "a no-op leaves the bundle alone");
        Assert.AreEqual(bundleWritten, File.GetLastWriteTimeUtc(project.OutputOf("KernelBuild.cudakernels")), noop.Output);
    }

    [TestMethod]
    public void AReferencingAppGetsTheBundleInItsOutputAndItsPublishFolder()
    {
        using var library = new ThrowawayProject(NotEmbedded);
        SeedKernels.WriteSeed(library);
        string app = library.Write("app/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{library.ProjectFile}" />
              </ItemGroup>
            </Project>
            """);
        library.Write("app/Program.cs", "System.Console.WriteLine(Anchor.Value);\n");
        // The library's own folder would otherwise compile the app's Program.cs too.
        library.WriteProject(NotEmbedded + "<DefaultItemExcludes>$(DefaultItemExcludes);app/**</DefaultItemExcludes>", null);

        BuildRun built = ThrowawayProject.Dotnet(["build", app, "-nodeReuse:false", "-v:n"]);
        BuildRun published = ThrowawayProject.Dotnet(["publish", app, "-nodeReuse:false", "-v:n", "-o", library.PathOf("published")]);

        Assert.IsTrue(built.Succeeded, built.ToString());
        byte[] libraryBundle = File.ReadAllBytes(BundleBeside(library.AssemblyPath));
        string appBin = library.PathOf(Path.Combine("app", "bin", "Debug", "net10.0"));
        CollectionAssert.AreEqual(libraryBundle, File.ReadAllBytes(Path.Combine(appBin, "Throwaway.cudakernels")), built.Output);
        Assert.IsTrue(published.Succeeded, published.ToString());
        Assert.IsTrue(File.Exists(library.PathOf(Path.Combine("published", "Throwaway.cudakernels"))), published.Output);
    }

    private static string BundleBeside(string assemblyPath) =>
        Path.Combine(Path.GetDirectoryName(assemblyPath)!, Path.GetFileNameWithoutExtension(assemblyPath) + ".cudakernels");

    private static Dictionary<string, byte[]> Entries(string bundle)
    {
        using ZipArchive archive = ZipFile.OpenRead(bundle);
        return archive.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using Stream stream = entry.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }, StringComparer.Ordinal);
    }
}
