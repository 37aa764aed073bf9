using System.Text;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// What a fault probe found wrong with hostile but legal input: file names MSBuild treats specially, a damaged
/// manifest, -warnaserror, a Link that leaves the project, errors located on our own targets file, kernels whose
/// names differ only in case, and `dotnet clean` with an output folder outside obj/. Real `dotnet build` each.
/// </summary>
[TestClass]
public sealed class HostileInputTests
{
    private const string Arch = "<CudaArchitectures>compute_52</CudaArchitectures>";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();


    private static string Kernel(string entry) => $"extern \"C\" __global__ void {entry}(int* a) {{ a[0] = 7; }}\n";

    [TestMethod]
    public void KernelNamesWithEveryCharacterMSBuildTreatsSpecially_AreBuiltEmbeddedAndTracked()
    {
        // ; % $ @ ' ( ) * ? each mean something to MSBuild; %20 is an escape sequence that must stay literal.
        string[] names = ["a;b", "a%20b", "c$d", "e@f", "g'h", "i(j)", "k*l", "m?n"];
        using var project = new ThrowawayProject(Arch);
        for (int i = 0; i < names.Length; i++) project.Write($"kernels/{names[i]}.cu", Kernel("entry" + i));

        BuildRun first = project.Build();

        Assert.IsTrue(first.Succeeded, first.ToString());
        IReadOnlyList<string> resources = project.EmbeddedResources();
        foreach (string name in names)
        {
            string resource = $"KernelBuild/kernels/{name}.compute_52.ptx";
            CollectionAssert.Contains(resources.ToList(), resource, string.Join("\n", resources));
            CollectionAssert.AreEqual(File.ReadAllBytes(project.OutputOf($"kernels/{name}.compute_52.ptx")), project.EmbeddedResource(resource));
        }
        CollectionAssert.Contains(resources.ToList(), "KernelBuild/manifest.json");

        BuildRun second = project.Build();
        Assert.IsTrue(second.Succeeded, second.ToString());
        Assert.AreEqual(0, second.Compiled.Count, "a no-op build compiles nothing:\n" + second.Output);

        project.Write("kernels/a;b.cu", Kernel("entry0") + "// edited\n");
        BuildRun third = project.Build();
        Assert.IsTrue(third.Succeeded, third.ToString());
        CollectionAssert.AreEqual(new[] { "kernels/a;b.cu" }, third.Compiled);
    }

    [TestMethod]
    public void DamagedManifestIsRewrittenAndNeverEmbedded()
    {
        using var project = new ThrowawayProject(Arch);
        SeedKernels.WriteSeed(project);
        Assert.IsTrue(project.Build().Succeeded);
        string manifest = project.OutputOf("KernelBuild.manifest.json");
        byte[] good = File.ReadAllBytes(manifest);

        File.WriteAllText(manifest, "{ \"format\": 1, \"kernels\": [ tr"); // as a crash of another tool might leave it
        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(good, File.ReadAllBytes(manifest), "the manifest is written again");
        CollectionAssert.AreEqual(good, project.EmbeddedResource("KernelBuild/manifest.json"), "the assembly carries the good manifest");
        Assert.AreEqual(0, run.Compiled.Count, "rewriting the manifest needs no compile");
    }

    [TestMethod]
    public void AnOlderBundleWrittenOverTheCurrentOneIsWrittenAgainAndEmbedded()
    {
        // What the slower of two overlapping builds can leave: its bundle, of the kernels before an edit, written
        // after the other build's, so newer than the manifest beside it. Only the recorded hash tells them apart.
        using var project = new ThrowawayProject(Arch);
        SeedKernels.WriteSeed(project, step: 1);
        Assert.IsTrue(project.Build().Succeeded);
        string bundle = project.OutputOf("KernelBuild.cudakernels");
        byte[] older = File.ReadAllBytes(bundle);
        ThrowawayProject.WaitPastTimestampGranularity();
        SeedKernels.WriteSeed(project, step: 2);
        Assert.IsTrue(project.Build().Succeeded);
        byte[] current = File.ReadAllBytes(bundle);
        CollectionAssert.AreNotEqual(older, current);

        ThrowawayProject.WaitPastTimestampGranularity();
        File.WriteAllBytes(bundle, older);
        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(current, File.ReadAllBytes(bundle), "the bundle is written again from the manifest");
        Assert.AreEqual(2, SeedKernels.StepInPtx(System.Text.Encoding.UTF8.GetString(project.EmbeddedResource("KernelBuild/kernels/increment.compute_52.ptx"))),
            "the assembly carries the current kernel");
        Assert.AreEqual(0, run.Compiled.Count, "rewriting the bundle needs no compile");
        Assert.AreEqual(0, project.Build().Compiled.Count);
    }

    [TestMethod]
    public void WarningsAsErrorsFailEveryBuildUntilTheWarningIsFixed()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("w.cu", "extern \"C\" __global__ void k(int* a)\n{\n    int unused;\n    a[0] = 1;\n}\n");

        BuildRun first = project.Build("-warnaserror");
        BuildRun second = project.Build("-warnaserror");

        Assert.IsFalse(first.Succeeded, first.ToString());
        StringAssert.Contains(first.Output, "w.cu(3): error NVRTC177");
        Assert.IsFalse(second.Succeeded, "the identical build must fail the same way:\n" + second);
        StringAssert.Contains(second.Output, "w.cu(3): error NVRTC177");

        BuildRun relaxed = project.Build();
        Assert.IsTrue(relaxed.Succeeded, relaxed.ToString());
        StringAssert.Contains(relaxed.Output, "warning NVRTC177");
    }

    [TestMethod]
    public void LinkThatLeavesTheProjectIsAnErrorOnTheProjectFile()
    {
        using var project = new ThrowawayProject(Arch, "<CudaKernel Update=\"kernels/x.cu\" Link=\"../../y/o.cu\" />");
        project.Write("kernels/x.cu", Kernel("x"));

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.ProjectFile + " : error KB1007: The Link metadata '../../y/o.cu'");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "..", "..", "y")), "nothing is written outside the project");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.OutputFolder, "..", "y")));
    }

    [TestMethod]
    public void LinkInsideTheProjectIsNormalized()
    {
        using var project = new ThrowawayProject(Arch, "<CudaKernel Update=\"kernels/x.cu\" Link=\"lib/./sub/../x.cu\" />");
        project.Write("kernels/x.cu", Kernel("x"));

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.Contains(project.EmbeddedResources().ToList(), "KernelBuild/lib/x.compute_52.ptx");
    }

    [TestMethod]
    public void ProjectSettingErrorsAreLocatedOnTheProjectNotOnKernelBuildsTargets()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>sm80</CudaArchitectures>");
        SeedKernels.WriteSeed(project);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Output, project.ProjectFile + " : error KB1002:");
        Assert.IsFalse(run.Output.Contains("KernelBuild.targets : error KB"), run.Output);
    }

    [TestMethod]
    public void KernelsDifferingOnlyInCaseGetAMessageThatSaysSo()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("kernels/k01.cu", Kernel("lower"));
        project.Write("kernels/K01.cu", Kernel("upper"));

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "error KB1006");
        StringAssert.Contains(run.Output, "differ only in letter case");
    }

    [TestMethod]
    public void KernelSourceWithAByteOrderMarkCompiles()
    {
        using var project = new ThrowawayProject(Arch);
        File.WriteAllBytes(project.PathOf("bom.cu"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Kernel("bom"))]);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(File.ReadAllText(project.OutputOf("bom.compute_52.ptx")), ".entry bom");
    }

    [TestMethod]
    public void HeaderWithAByteOrderMarkGetsAnErrorThatNamesIt()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("k.cu", "#include \"h.cuh\"\n" + Kernel("k"));
        File.WriteAllBytes(project.PathOf("h.cuh"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("#define H 1\n")]);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.PathOf("h.cuh") + "(1): error KB1008: This file starts with a UTF-8 byte-order mark");
    }

    [TestMethod]
    public void CleanRemovesAnOutputFolderOutsideObj()
    {
        using var project = new ThrowawayProject(Arch + "<CudaKernelOutputPath>kernel-out/</CudaKernelOutputPath>");
        SeedKernels.WriteSeed(project);
        Assert.IsTrue(project.Build().Succeeded);
        string outputs = Path.Combine(project.Directory, "kernel-out");
        Assert.IsTrue(File.Exists(Path.Combine(outputs, "kernels", "increment.compute_52.ptx")));
        project.Write("kernel-out/notes.txt", "a file KernelBuild did not write");

        BuildRun clean = project.Clean();

        Assert.IsTrue(clean.Succeeded, clean.ToString());
        var left = Directory.EnumerateFiles(outputs, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        CollectionAssert.AreEqual(new[] { "notes.txt" }, left, "only what KernelBuild wrote is removed");
    }
}
