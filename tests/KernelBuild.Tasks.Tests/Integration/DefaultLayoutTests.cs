using System.IO.Compression;
using System.Text;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// Where the kernels go when the project leaves EmbedCudaKernels unset (docs/msbuild.md, "Embedded or beside the
/// assembly"): beside the assembly in a Debug build, the inner loop, so that a kernel edit does not rerun the C#
/// compile; embedded in what ships: a Release build, and `dotnet publish` and `dotnet pack` in any configuration.
/// One obj/ folder serves Debug builds and a Debug publish, so switching between the two layouts must compile the
/// assembly again: an assembly that kept an embedded bundle would win over the newer bundle beside it, and the
/// program would run the kernels from before the edit.
/// </summary>
[TestClass]
public sealed class DefaultLayoutTests
{
    // ThrowawayProject sets EmbedCudaKernels=true for the other tests; empty again, the defaults apply.
    private const string Unset = "<EmbedCudaKernels></EmbedCudaKernels><CudaArchitectures>compute_75</CudaArchitectures>";
    private const string EmbeddedBundle = "KernelBuild.cudakernels";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void DebugPutsTheBundleBesideTheAssemblyAndReleasePublishAndPackEmbedIt()
    {
        using var project = new ThrowawayProject(Unset);
        SeedKernels.WriteSeed(project, step: 1);
        ThrowawayProject.WaitPastTimestampGranularity();

        BuildRun debug = project.Build();

        Assert.IsTrue(debug.Succeeded, debug.ToString());
        Assert.AreEqual(0, project.AssemblyResourceNames().Count, "a Debug build embeds nothing:\n" + debug.Output);
        Assert.AreEqual(1, StepIn(File.ReadAllBytes(ThrowawayProject.BundleBeside(project.AssemblyPath))), "the bundle beside the Debug assembly");

        BuildRun release = project.Build("-c", "Release");

        Assert.IsTrue(release.Succeeded, release.ToString());
        string releaseAssembly = project.PathOf(Path.Combine("bin", "Release", "net10.0", "Throwaway.dll"));
        Assert.AreEqual(1, StepIn(AssemblyResources.Read(releaseAssembly)[EmbeddedBundle]), "a Release build embeds the bundle");
        Assert.IsFalse(File.Exists(ThrowawayProject.BundleBeside(releaseAssembly)), "and copies none beside it");

        string published = project.PathOf("published");
        BuildRun publish = ThrowawayProject.Dotnet(["publish", project.ProjectFile, "-c", "Debug", "-nodeReuse:false", "-v:n", "-o", published]);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        string publishedAssembly = Path.Combine(published, "Throwaway.dll");
        Assert.AreEqual(1, StepIn(AssemblyResources.Read(publishedAssembly)[EmbeddedBundle]), "`dotnet publish -c Debug` embeds the bundle");
        Assert.IsFalse(File.Exists(ThrowawayProject.BundleBeside(publishedAssembly)), "and publishes none beside it");

        BuildRun pack = ThrowawayProject.Dotnet(["pack", project.ProjectFile, "-c", "Debug", "-nodeReuse:false", "-v:n", "-o", project.PathOf("packed")]);

        Assert.IsTrue(pack.Succeeded, pack.ToString());
        using (ZipArchive package = ZipFile.OpenRead(Directory.GetFiles(project.PathOf("packed"), "*.nupkg").Single()))
        {
            Assert.IsFalse(package.Entries.Any(entry => entry.FullName.EndsWith(".cudakernels", StringComparison.Ordinal)), "a package carries no loose bundle");
            string packedAssembly = project.PathOf("packed-assembly.dll");
            package.GetEntry("lib/net10.0/Throwaway.dll")!.ExtractToFile(packedAssembly);
            Assert.AreEqual(1, StepIn(AssemblyResources.Read(packedAssembly)[EmbeddedBundle]), "`dotnet pack -c Debug` packs an assembly that embeds the bundle");
        }

        // The same obj/ folder, now a Debug build again after an edit: the bundle beside the assembly is the one the
        // runtime reads, so the assembly the publish and pack left must have been compiled again without it.
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(2));
        ThrowawayProject.WaitPastTimestampGranularity();
        BuildRun edited = project.Build();

        Assert.IsTrue(edited.Succeeded, edited.ToString());
        Assert.AreEqual(0, project.AssemblyResourceNames().Count, "back in Debug, the assembly embeds nothing again:\n" + edited.Output);
        Assert.AreEqual(2, StepIn(File.ReadAllBytes(ThrowawayProject.BundleBeside(project.AssemblyPath))), "the edited kernel, beside the assembly");
    }

    [TestMethod]
    public void AnExplicitSettingWinsOverTheConfiguration()
    {
        using var project = new ThrowawayProject(Unset + "<EmbedCudaKernels>true</EmbedCudaKernels>");
        SeedKernels.WriteSeed(project);

        BuildRun debug = project.Build();

        Assert.IsTrue(debug.Succeeded, debug.ToString());
        CollectionAssert.AreEqual(new[] { EmbeddedBundle }, project.AssemblyResourceNames().ToArray(), "EmbedCudaKernels=true embeds in Debug too");
        Assert.IsFalse(File.Exists(ThrowawayProject.BundleBeside(project.AssemblyPath)));

        project.WriteProject(Unset + "<EmbedCudaKernels>false</EmbedCudaKernels>", null);
        BuildRun release = project.Build("-c", "Release");

        Assert.IsTrue(release.Succeeded, release.ToString());
        string releaseAssembly = project.PathOf(Path.Combine("bin", "Release", "net10.0", "Throwaway.dll"));
        Assert.AreEqual(0, AssemblyResources.Read(releaseAssembly).Count, "EmbedCudaKernels=false embeds nothing in Release either");
        Assert.AreEqual(1, StepIn(File.ReadAllBytes(ThrowawayProject.BundleBeside(releaseAssembly))));
    }

    /// <summary>
    /// NuGet packs the assembly, never a bundle beside it. A project that packs on every build embeds in Debug too;
    /// `msbuild -t:Pack` of a Debug build (Visual Studio's Pack command), which `dotnet pack`'s _IsPacking does not
    /// reach, stops with KB1009 instead of making a package without kernels.
    /// </summary>
    [TestMethod]
    public void PackingADebugBuildEmbedsOrStopsWithKB1009()
    {
        using var project = new ThrowawayProject(Unset);
        SeedKernels.WriteSeed(project);

        BuildRun packed = ThrowawayProject.Dotnet(["msbuild", project.ProjectFile, "-restore", "-t:Build;Pack", "-p:Configuration=Debug", "-nodeReuse:false", "-v:n"]);

        Assert.AreNotEqual(0, packed.ExitCode, packed.ToString());
        StringAssert.Contains(packed.Output, project.ProjectFile + " : error KB1009: The package would not carry the CUDA kernels");
        Assert.AreEqual(0, Directory.GetFiles(project.Directory, "*.nupkg", SearchOption.AllDirectories).Length, "no package without its kernels");

        project.WriteProject(Unset + "<GeneratePackageOnBuild>true</GeneratePackageOnBuild>", null);
        BuildRun onBuild = project.Build();

        Assert.IsTrue(onBuild.Succeeded, onBuild.ToString());
        string package = Directory.GetFiles(project.Directory, "*.nupkg", SearchOption.AllDirectories).Single();
        using ZipArchive archive = ZipFile.OpenRead(package);
        string packedAssembly = project.PathOf("packed-on-build.dll");
        archive.GetEntry("lib/net10.0/Throwaway.dll")!.ExtractToFile(packedAssembly);
        Assert.AreEqual(1, StepIn(AssemblyResources.Read(packedAssembly)[EmbeddedBundle]), "GeneratePackageOnBuild embeds in Debug too");
    }

    /// <summary>The step the bundle's one PTX image adds.</summary>
    private static int StepIn(byte[] bundle)
    {
        var entries = AssemblyResources.BundleEntries(bundle);
        byte[] ptx = entries.Single(entry => entry.Key.EndsWith(".ptx", StringComparison.Ordinal)).Value;
        return SeedKernels.StepInPtx(Encoding.UTF8.GetString(ptx));
    }
}
