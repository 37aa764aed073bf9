using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// Dependency tracking through the real `dotnet build`: a kernel is rebuilt exactly when something it was built
/// from changed, and never otherwise. Each test asserts on compiled outputs and on which kernels were compiled.
/// </summary>
[TestClass]
public sealed class IncrementalTests
{
    // CheckCudaKernels decides whether the compile target runs (it has stat'ed every recorded file already), and
    // says so at normal verbosity when it does not.
    private const string SkipMessage = "CUDA kernels are up to date (";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();


    private static string Ptx(ThrowawayProject project, string name = "kernels/increment") =>
        File.ReadAllText(project.OutputOf(name + "." + DefaultPtxArch + ".ptx"));

    private const string DefaultPtxArch = "compute_52";
    private const string Arch = "<CudaArchitectures>compute_52</CudaArchitectures>";

    /// <summary>
    /// The seed, compiled, then built once more: that no-op's full check writes the up-to-date record, so each
    /// test's change meets the record first, as a developer's next build does (docs/design.md).
    /// </summary>
    private static ThrowawayProject SeedProject(string? extraProperties = null)
    {
        var project = new ThrowawayProject(Arch + extraProperties);
        SeedKernels.WriteSeed(project);
        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, first.Compiled);
        BuildRun noOp = project.Build();
        Assert.IsTrue(noOp.Succeeded, noOp.ToString());
        Assert.AreEqual(0, noOp.Compiled.Count, noOp.Output);
        Assert.IsTrue(File.Exists(project.OutputOf("KernelBuild.uptodate")), noOp.Output);
        return project;
    }

    [TestMethod]
    public void SeedStory_EditingTheHeaderChangesTheCompiledCode()
    {
        using var project = SeedProject();
        Assert.AreEqual(1, SeedKernels.StepInPtx(Ptx(project)));

        project.Write(SeedKernels.Header, SeedKernels.StepHeader(2));
        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled);
        Assert.AreEqual(2, SeedKernels.StepInPtx(Ptx(project)));
        StringAssert.Contains(System.Text.Encoding.UTF8.GetString(project.EmbeddedResource("KernelBuild/kernels/increment.compute_52.ptx")), "add.s32");
        Assert.AreEqual(2, SeedKernels.StepInPtx(System.Text.Encoding.UTF8.GetString(project.EmbeddedResource("KernelBuild/kernels/increment.compute_52.ptx"))), "the assembly carries the new code");
    }

    [TestMethod]
    public void CompileTakesTheChecksPlanAndPlansAgainWhenRunWithoutIt()
    {
        using var project = SeedProject();
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(2));
        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "Compiling from the check's plan.");
        Assert.IsFalse(run.Output.Contains("planning again", StringComparison.Ordinal), run.Output);
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled);
        Assert.AreEqual(2, SeedKernels.StepInPtx(Ptx(project)));

        // The compile target on its own, told to run but with no check before it in this build.
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(3));
        BuildRun alone = project.Build("-v:d", "-t:_CudaKernels_Prepare;_CudaKernels_Compile", "-p:_CudaKernelsCompileNeeded=true");

        Assert.IsTrue(alone.Succeeded, alone.ToString());
        StringAssert.Contains(alone.Output, "No plan from the check of this build: planning again.");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, alone.Compiled, "the compile found the stale kernel itself");
        Assert.AreEqual(3, SeedKernels.StepInPtx(Ptx(project)));
        Assert.AreEqual(0, project.Build().Compiled.Count, "and recorded it: the next build compiles nothing");
    }

    [TestMethod]
    public void NoOpBuildIsAnMSBuildSkipAndTouchesNothing()
    {
        using var project = new ThrowawayProject(Arch);
        SeedKernels.WriteSeed(project);
        // Sources saved just before a build are recorded as unverified, and the next build saves their settled
        // stamps in the state (docs/incremental.md, "Racy stamps"); past that window a no-op touches nothing.
        ThrowawayProject.WaitPastTimestampGranularity();
        Assert.IsTrue(project.Build().Succeeded);
        var before = Snapshot(project);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, SkipMessage);
        Assert.AreEqual(0, run.Compiled.Count);
        // The first no-op after a compile writes one file, the up-to-date record (docs/design.md); nothing else.
        var afterFirst = Snapshot(project);
        string record = project.OutputOf("KernelBuild.uptodate");
        Assert.IsTrue(afterFirst.Remove(record), "the full check that found nothing to do records it");
        CollectionAssert.AreEqual(before, afterFirst);

        afterFirst = Snapshot(project);
        BuildRun answered = project.Build();
        Assert.IsTrue(answered.Succeeded, answered.ToString());
        StringAssert.Contains(answered.Output, SkipMessage);
        CollectionAssert.AreEqual(afterFirst, Snapshot(project), "a no-op answered by the record touches nothing, the record included");
    }

    [TestMethod]
    public void DependencyFileListsEveryFileTransitively()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("kernels/a.cu", "#include \"b.cuh\"\nextern \"C\" __global__ void k(int* p) { p[0] = b(); }\n");
        project.Write("kernels/b.cuh", "#pragma once\n#include \"sub/c.cuh\"\n__device__ int b() { return c(); }\n");
        project.Write("kernels/sub/c.cuh", "#pragma once\n__device__ int c() { return 7; }\n");
        Assert.IsTrue(project.Build().Succeeded);

        string depfile = File.ReadAllText(project.OutputOf("kernels/a.cu.d"));

        string expected = project.OutputOf("kernels/a.compute_52.ptx") + ": \\\n  " + project.PathOf("kernels/a.cu") + " \\\n  "
            + project.PathOf("kernels/b.cuh") + " \\\n  " + project.PathOf("kernels/sub/c.cuh") + "\n";
        Assert.AreEqual(expected, depfile);
    }

    [TestMethod]
    public void OnlyTheKernelUsingAnEditedHeaderIsRecompiled()
    {
        const int count = 50;
        using var project = new ThrowawayProject(Arch);
        project.Write("kernels/common.cuh", "#pragma once\n__device__ int common() { return 1; }\n");
        for (int i = 0; i < count; i++)
        {
            project.Write($"kernels/own{i}.cuh", $"#pragma once\n__device__ int own{i}() {{ return {i}; }}\n");
            project.Write($"kernels/k{i}.cu", $"#include \"common.cuh\"\n#include \"own{i}.cuh\"\nextern \"C\" __global__ void k{i}(int* p) {{ p[0] = common() + own{i}(); }}\n");
        }
        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        Assert.AreEqual(count, first.Compiled.Count);
        var before = Snapshot(project);

        project.Write("kernels/own17.cuh", "#pragma once\n__device__ int own17() { return 1000; }\n");
        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "kernels/k17.cu" }, run.Compiled);
        var after = Snapshot(project);
        foreach (var (file, stamp) in before.Where(b => !b.Key.Contains("k17.")))
        {
            if (file.EndsWith(".ptx") || file.EndsWith(".d")) Assert.AreEqual(stamp, after[file], file + " must be untouched");
        }
        StringAssert.Contains(File.ReadAllText(project.OutputOf("kernels/k17.compute_52.ptx")), "1001");
    }

    [TestMethod]
    public void GlobalOptionChangeRecompilesAllAndKernelMetadataChangeRecompilesOne()
    {
        using var project = new ThrowawayProject(Arch);
        for (int i = 0; i < 3; i++) project.Write($"k{i}.cu", $"extern \"C\" __global__ void k{i}(int* p) {{ p[0] = VALUE; }}\n");
        project.WriteProject(Arch + "<CudaDefineConstants>VALUE=1</CudaDefineConstants>", null);
        Assert.IsTrue(project.Build().Succeeded);

        project.WriteProject(Arch + "<CudaDefineConstants>VALUE=2</CudaDefineConstants>", null);
        BuildRun global = project.Build();
        Assert.IsTrue(global.Succeeded, global.ToString());
        CollectionAssert.AreEqual(new[] { "k0.cu", "k1.cu", "k2.cu" }, global.Compiled);

        project.WriteProject(Arch + "<CudaDefineConstants>VALUE=2</CudaDefineConstants>", "<CudaKernel Update=\"k1.cu\" DefineConstants=\"VALUE=5\" />");
        BuildRun one = project.Build();
        Assert.IsTrue(one.Succeeded, one.ToString());
        CollectionAssert.AreEqual(new[] { "k1.cu" }, one.Compiled);
        StringAssert.Contains(File.ReadAllText(project.OutputOf("k1.compute_52.ptx")), "5;");

        BuildRun commandLine = project.Build("-p:CudaDefineConstants=VALUE=9");
        CollectionAssert.AreEqual(new[] { "k0.cu", "k2.cu" }, commandLine.Compiled, "a global property from the command line is an option change too");
    }

    [TestMethod]
    public void ADifferentCompilerRecompilesEverything()
    {
        string nvrtc = RealNvrtcFile();
        string folder = Path.Combine(Path.GetTempPath(), "kb-nvrtc-copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string copy = Path.Combine(folder, Path.GetFileName(nvrtc));
        File.Copy(nvrtc, copy);
        try
        {
            using var project = SeedProject($"<NvrtcPath>{copy}</NvrtcPath>");

            // An upgrade in place: same path, another file.
            File.Delete(copy);
            File.Copy(nvrtc, copy);
            File.AppendAllText(copy, "\0");
            BuildRun run = project.Build("-v:d");

            Assert.IsTrue(run.Succeeded, run.ToString());
            CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled);
            StringAssert.Contains(run.Output, "the compiler changed");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void TouchWithoutChangeRecompilesNothingAndTheNextBuildIsAPureSkip()
    {
        using var project = SeedProject();
        var before = Snapshot(project);
        DateTime assemblyTime = File.GetLastWriteTimeUtc(project.AssemblyPath);

        File.SetLastWriteTimeUtc(project.PathOf(SeedKernels.Header), DateTime.UtcNow); // newer than the stamp, not in the future
        BuildRun touched = project.Build();

        Assert.IsTrue(touched.Succeeded, touched.ToString());
        Assert.AreEqual(0, touched.Compiled.Count, touched.Output);
        // The kernel's outputs keep bytes and times; only the bookkeeping (stamp, and the up-to-date record or the
        // state, which remembers the header's new time so it need not be hashed again) is rewritten.
        static bool IsOutput(string path) => !path.EndsWith(".stamp") && !path.EndsWith(".state") && !path.EndsWith(".uptodate");
        CollectionAssert.AreEqual(before.Where(b => IsOutput(b.Key)).ToList(), Snapshot(project).Where(b => IsOutput(b.Key)).ToList());
        Assert.AreEqual(assemblyTime, File.GetLastWriteTimeUtc(project.AssemblyPath), "the C# compile that embeds the kernels must not rerun");

        // The check moved the stamp past the touch, as a compile would: Visual Studio's fast up-to-date check
        // compares the stamp with the recorded files, and must not start a build after every touch.
        Assert.IsTrue(File.GetLastWriteTimeUtc(Path.Combine(project.OutputFolder, "KernelBuild.stamp")) >= File.GetLastWriteTimeUtc(project.PathOf(SeedKernels.Header)),
            "the stamp must not be older than the touched header");

        BuildRun next = project.Build();
        StringAssert.Contains(next.Output, SkipMessage);
        Assert.AreEqual(0, next.Compiled.Count, next.Output);
    }

    [TestMethod]
    public void ImagesInTheFileListOfAnOlderBuildAreNotDeletedByIncrementalClean()
    {
        // Builds before KernelBuild stopped adding its images and .d files to FileWrites listed them in
        // FileListAbsolute.txt; the SDK's IncrementalClean deletes listed files that the current build does not list.
        using var project = SeedProject();
        string image = project.OutputOf("kernels/increment." + DefaultPtxArch + ".ptx");
        string dependencyFile = project.OutputOf("kernels/increment.cu.d");
        string fileList = Directory.GetFiles(Path.GetDirectoryName(project.OutputFolder)!, "*.FileListAbsolute.txt").Single();
        File.AppendAllLines(fileList, new[] { image, dependencyFile });

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsTrue(File.Exists(image), "IncrementalClean deleted the image");
        Assert.IsTrue(File.Exists(dependencyFile), "IncrementalClean deleted the .d file");
        StringAssert.Contains(run.Output, SkipMessage);
        Assert.IsFalse(File.ReadAllLines(fileList).Contains(image), "the rewritten list no longer names the image");
        BuildRun next = project.Build();
        Assert.AreEqual(0, next.Compiled.Count, next.Output);
        CollectionAssert.Contains(project.EmbeddedResources().ToList(), "KernelBuild/kernels/increment." + DefaultPtxArch + ".ptx");
    }

    [TestMethod]
    public void ContentChangeWithAnOldTimestampIsStillSeen()
    {
        using var project = SeedProject();
        string header = project.PathOf(SeedKernels.Header);
        DateTime original = File.GetLastWriteTimeUtc(header);

        project.Write(SeedKernels.Header, SeedKernels.StepHeader(3));
        File.SetLastWriteTimeUtc(header, original.AddDays(-30)); // restored from a backup
        BuildRun older = project.Build();
        Assert.IsTrue(older.Succeeded, older.ToString());
        Assert.AreEqual(3, SeedKernels.StepInPtx(Ptx(project)));

        DateTime now = File.GetLastWriteTimeUtc(header);
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(4));
        File.SetLastWriteTimeUtc(header, now); // same size, same timestamp as the recorded file
        BuildRun equal = project.Build();
        Assert.IsTrue(equal.Succeeded, equal.ToString());
        Assert.AreEqual(4, SeedKernels.StepInPtx(Ptx(project)));
    }

    [TestMethod]
    public void AHeaderCreatedEarlierOnTheSearchPathShadowsTheOldOne()
    {
        using var project = new ThrowawayProject(Arch + "<CudaIncludeDirectories>first;second</CudaIncludeDirectories>");
        project.Write("second/value.cuh", "#pragma once\n#define VALUE 20\n");
        project.Write("kernels/k.cu", "#include \"value.cuh\"\nextern \"C\" __global__ void k(int* p) { p[threadIdx.x] += VALUE; }\n");
        Directory.CreateDirectory(project.PathOf("first"));
        Assert.IsTrue(project.Build().Succeeded);
        Assert.AreEqual(20, SeedKernels.StepInPtx(Ptx(project, "kernels/k")));

        project.Write("first/value.cuh", "#pragma once\n#define VALUE 10\n");
        BuildRun run = project.Build();
        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(10, SeedKernels.StepInPtx(Ptx(project, "kernels/k")));

        project.Write("kernels/value.cuh", "#pragma once\n#define VALUE 5\n"); // beside the source: searched before -I
        run = project.Build();
        Assert.AreEqual(5, SeedKernels.StepInPtx(Ptx(project, "kernels/k")), run.Output);
    }

    [TestMethod]
    public void DeletingOrRenamingADependencyIsNeverUpToDate()
    {
        using var project = SeedProject();
        File.Move(project.PathOf(SeedKernels.Header), project.PathOf("kernels/device/renamed.cuh"));

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "cannot open source file \"device/step.cuh\"");
        Assert.IsFalse(project.Build().Succeeded, "still an error, not up to date");
    }

    [TestMethod]
    public void ARemovedKernelLeavesTheBuildAndTheAssembly()
    {
        using var project = SeedProject();
        project.Write("kernels/other.cu", "extern \"C\" __global__ void other() {}\n");
        Assert.IsTrue(project.Build().Succeeded);
        CollectionAssert.Contains(project.EmbeddedResources().ToList(), "KernelBuild/kernels/other.compute_52.ptx");

        File.Delete(project.PathOf("kernels/other.cu"));
        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsFalse(File.Exists(project.OutputOf("kernels/other.compute_52.ptx")));
        Assert.IsFalse(File.Exists(project.OutputOf("kernels/other.cu.d")));
        CollectionAssert.DoesNotContain(project.EmbeddedResources().ToList(), "KernelBuild/kernels/other.compute_52.ptx");
        Assert.IsFalse(File.ReadAllText(project.OutputOf("KernelBuild.manifest.json")).Contains("other"));

        File.Delete(project.PathOf(SeedKernels.Kernel));
        run = project.Build();
        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(0, project.AssemblyResourceNames().Count, "the last kernel gone: nothing embedded");
        Assert.IsFalse(File.Exists(project.OutputOf("kernels/increment.compute_52.ptx")));
    }

    [TestMethod]
    public void MissingTruncatedOrCorruptStateMeansRebuild()
    {
        using var project = SeedProject();
        string state = project.OutputOf("KernelBuild.state");
        string text = File.ReadAllText(state);
        File.WriteAllText(state, text[..(text.Length / 2)]);
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, project.Build().Compiled, "truncated state");

        File.WriteAllText(project.OutputOf("kernels/increment.cu.d"), "garbage");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, project.Build().Compiled, "corrupt .d file");

        File.Delete(project.OutputOf("kernels/increment.cu.d"));
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, project.Build().Compiled, "missing .d file");

        File.Delete(state);
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, project.Build().Compiled, "missing state");

        File.WriteAllText(project.OutputOf("kernels/increment.compute_52.ptx"), "");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, project.Build().Compiled, "truncated image");
        Assert.AreEqual(1, SeedKernels.StepInPtx(Ptx(project)));
    }

    [TestMethod]
    public void AnIncludeBuiltByFunctionLikeMacrosIsTrackedAndTheNoOpHolds()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("kernels/value.cuh", "#pragma once\n#define VALUE 6\n");
        // The header name is stringized from a macro argument: the scanner expands it as NVRTC does.
        project.Write("kernels/k.cu", "#define STR(x) #x\n#define HEADER(name) STR(name.cuh)\n#include HEADER(value)\nextern \"C\" __global__ void k(int* p) { p[threadIdx.x] += VALUE; }\n");

        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        Assert.DoesNotContain("KB3001", first.Output);
        Assert.AreEqual(6, SeedKernels.StepInPtx(Ptx(project, "kernels/k")));
        StringAssert.Contains(File.ReadAllText(project.OutputOf("kernels/k.cu.d")), "value.cuh");

        CollectionAssert.AreEqual(Array.Empty<string>(), project.Build().Compiled, "the no-op build compiles nothing");
        project.Write("kernels/value.cuh", "#pragma once\n#define VALUE 7\n");
        CollectionAssert.AreEqual(new[] { "kernels/k.cu" }, project.Build().Compiled, "the header's edit is seen");
        Assert.AreEqual(7, SeedKernels.StepInPtx(Ptx(project, "kernels/k")));
    }

    [TestMethod]
    public void AnIncludeThatCannotBeResolvedStaticallyWarnsAndAlwaysRebuilds()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("kernels/value1.cuh", "#pragma once\n#define VALUE 6\n");
        // NVRTC predefines __STDC__ (as 1), but the scanner does not claim to know every macro NVRTC predefines.
        project.Write("kernels/k.cu", "#define STR(x) #x\n#define XSTR(x) STR(x)\n#define CAT(a, b) CAT_I(a, b)\n#define CAT_I(a, b) a ## b\n" +
            "#include XSTR(CAT(value, __STDC__).cuh)\nextern \"C\" __global__ void k(int* p) { p[threadIdx.x] += VALUE; }\n");

        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        StringAssert.Contains(first.Output, "k.cu(5): warning KB3001");
        StringAssert.Contains(first.Output, "'__STDC__' has no definition the scan has seen, and it may be predefined by NVRTC");
        Assert.AreEqual(6, SeedKernels.StepInPtx(Ptx(project, "kernels/k")));

        BuildRun second = project.Build();
        CollectionAssert.AreEqual(new[] { "kernels/k.cu" }, second.Compiled, "never taken as up to date");
        project.Write("kernels/value1.cuh", "#pragma once\n#define VALUE 7\n");
        project.Build();
        Assert.AreEqual(7, SeedKernels.StepInPtx(Ptx(project, "kernels/k")));
    }

    [TestMethod]
    public void DetailedVerbosityExplainsWhy()
    {
        using var project = SeedProject();
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(5));

        BuildRun run = project.Build("-v:d");

        StringAssert.Contains(run.Output, "CUDA kernel kernels/increment.cu is stale: " + project.PathOf(SeedKernels.Header) + " changed.");
    }

    [TestMethod]
    public void VisualStudioFastUpToDateCheckSeesHeaders()
    {
        using var project = SeedProject();

        BuildRun run = ThrowawayProject.Dotnet(["msbuild", project.ProjectFile, "-nodeReuse:false", "-t:_CudaKernels_CollectUpToDateCheckInputs", "-getItem:UpToDateCheckInput"]);

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.PathOf(SeedKernels.Header));
        StringAssert.Contains(run.Output, "\"Set\": \"CudaKernels\"");
    }

    [TestMethod]
    public void DesignTimeReadOfDependenciesChangesNothing()
    {
        using var project = SeedProject();
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(5)); // stale now: a check would delete the stamp
        SortedDictionary<string, string> before = Snapshot(project);

        BuildRun run = ThrowawayProject.Dotnet(["msbuild", project.ProjectFile, "-nodeReuse:false", "-t:_CudaKernels_CollectUpToDateCheckInputs", "-getItem:UpToDateCheckInput"]);

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.PathOf(SeedKernels.Header));
        CollectionAssert.AreEqual(before, Snapshot(project), "ReadCudaKernelDependencies must write and delete nothing");
    }

    /// <summary>Every file under the output folder with its write time and size.</summary>
    private static SortedDictionary<string, string> Snapshot(ThrowawayProject project) =>
        new(Directory.GetFiles(project.OutputFolder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => File.GetLastWriteTimeUtc(f).Ticks + ":" + new FileInfo(f).Length), StringComparer.Ordinal);

    private static string RealNvrtcFile()
    {
        var location = KernelBuild.Tasks.Compiler.NvrtcLocator.ForThisMachine().Locate(null);
        if (!location.Found) Assert.Inconclusive("NVRTC was not found as a file");
        return new FileInfo(location.Path!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? location.Path!;
    }
}
