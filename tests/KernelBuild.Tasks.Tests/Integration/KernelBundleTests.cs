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
        Assert.AreEqual(0, project.AssemblyResourceNames().Count, "nothing is embedded");
        string bundle = ThrowawayProject.BundleBeside(project.AssemblyPath);
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

    /// <summary>
    /// MSBuild copies the bundle to bin/ only when it is newer than the copy, and its Copy gives the copy the bundle's
    /// time only once the bytes are written: a build killed during the copy leaves a copy cut short and newer than the
    /// bundle. The next build must copy it again rather than keep it (_CudaKernels_DeleteInterruptedBundleCopy).
    /// </summary>
    [TestMethod]
    public void ACopyInTheOutputFolderCutShortByAKillIsCopiedAgain()
    {
        using var project = new ThrowawayProject(NotEmbedded);
        SeedKernels.WriteSeed(project);
        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        string copy = ThrowawayProject.BundleBeside(project.AssemblyPath);
        byte[] whole = File.ReadAllBytes(copy);
        // What the kill leaves: the first bytes only, with the time of the write, after the bundle's.
        File.WriteAllBytes(copy, whole[..(whole.Length / 3)]);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(project.OutputOf("KernelBuild.cudakernels")).AddSeconds(5));

        BuildRun next = project.Build();

        Assert.IsTrue(next.Succeeded, next.ToString());
        CollectionAssert.AreEqual(whole, File.ReadAllBytes(copy), "the copy cut short was replaced by the whole bundle:\n" + next.Output);
        Assert.AreEqual(File.GetLastWriteTimeUtc(project.OutputOf("KernelBuild.cudakernels")), File.GetLastWriteTimeUtc(copy));
        DateTime copied = File.GetLastWriteTimeUtc(copy);

        BuildRun noOp = project.Build();

        Assert.IsTrue(noOp.Succeeded, noOp.ToString());
        Assert.AreEqual(copied, File.GetLastWriteTimeUtc(copy), "a whole copy is left alone");
        Assert.IsFalse(noOp.Output.Contains("Deleting file \"" + copy, StringComparison.Ordinal), noOp.Output);
    }

    /// <summary>
    /// The app reads its library's kernel manifest through the runtime (KernelManifest.FromAssembly), which finds the
    /// bundle beside the library: run from the app's output folder, and as a single-file app, where the library
    /// lives inside the executable and the bundle beside it.
    /// </summary>
    [TestMethod]
    public void AReferencingAppFindsTheBundleInItsOutputAndBesideItsSingleFileExecutable()
    {
        using var library = new ThrowawayProject(NotEmbedded);
        SeedKernels.WriteSeed(library);
        string runtime = typeof(KernelBuild.Runtime.KernelManifest).Assembly.Location;
        string app = library.Write("app/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{library.ProjectFile}" />
                <Reference Include="{runtime}" />
              </ItemGroup>
            </Project>
            """);
        library.Write("app/Program.cs",
            "foreach (var kernel in KernelBuild.Runtime.KernelManifest.FromAssembly(typeof(Anchor).Assembly).Kernels) System.Console.WriteLine(\"kernel \" + kernel.Source);\n");
        // The library's own folder would otherwise compile the app's Program.cs too.
        library.WriteProject(NotEmbedded + "<DefaultItemExcludes>$(DefaultItemExcludes);app/**</DefaultItemExcludes>", null);
        string published = library.PathOf("published");

        BuildRun built = ThrowawayProject.Dotnet(["build", app, "-nodeReuse:false", "-v:n"]);
        BuildRun ranFromOutput = ThrowawayProject.Dotnet([library.PathOf(Path.Combine("app", "bin", "Debug", "net10.0", "App.dll"))]);
        BuildRun publishedSingleFile = ThrowawayProject.Dotnet(["publish", app, "-nodeReuse:false", "-v:n", "-o", published,
            "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishSingleFile=true"]);

        Assert.IsTrue(built.Succeeded, built.ToString());
        CollectionAssert.AreEqual(File.ReadAllBytes(ThrowawayProject.BundleBeside(library.AssemblyPath)),
            File.ReadAllBytes(library.PathOf(Path.Combine("app", "bin", "Debug", "net10.0", "Throwaway.cudakernels"))), built.Output);
        Assert.IsTrue(ranFromOutput.Succeeded, ranFromOutput.ToString());
        StringAssert.Contains(ranFromOutput.Output, "kernel " + SeedKernels.Kernel);
        Assert.IsTrue(publishedSingleFile.Succeeded, publishedSingleFile.ToString());
        Assert.IsFalse(File.Exists(Path.Combine(published, "Throwaway.dll")), "the library is inside the single-file executable");
        Assert.IsTrue(File.Exists(Path.Combine(published, "Throwaway.cudakernels")), publishedSingleFile.Output);
        (int exitCode, string output) = ExternalTool.Run(Path.Combine(published, OperatingSystem.IsWindows() ? "App.exe" : "App"), [], published,
            TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["DOTNET_ROOT"] = DotnetRoot() });
        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "kernel " + SeedKernels.Kernel);
    }

    /// <summary>The .NET installation these tests run on: the single-file app's host needs it.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The bundle's entries by name, read as the runtime reads them (AssemblyResources.BundleEntries).</summary>
    private static Dictionary<string, byte[]> Entries(string bundle) => AssemblyResources.BundleEntries(File.ReadAllBytes(bundle));
}
