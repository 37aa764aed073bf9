using System.Diagnostics;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// kill -9 of the whole build (its process group: MSBuild, the task, the NVRTC workers) at random moments, in
/// the write phase, and as the C# compiler closes the assembly. Whatever the kill left, the next build must equal a
/// clean build of the same sources, and the build after it must compile nothing. Seeds and offsets are printed so a failure can be replayed.
/// </summary>
[TestClass]
public sealed class KillTests
{
    private const int KernelCount = 2;

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void KilledBuild_NextBuildEqualsACleanBuild() =>
        KillAndRecover(nameof(KilledBuild_NextBuildEqualsACleanBuild), randomKills: 2, writePhaseKills: 1);

    /// <summary>
    /// The same with the kernel bundle beside the assembly (the default of Debug builds): a kill may also cut short
    /// MSBuild's copy of the bundle into bin/, which the snapshot compares entry by entry.
    /// </summary>
    [TestMethod]
    public void KilledBuild_WithTheBundleBesideTheAssembly_NextBuildEqualsACleanBuild() =>
        KillAndRecover(nameof(KilledBuild_WithTheBundleBesideTheAssembly_NextBuildEqualsACleanBuild), randomKills: 1, writePhaseKills: 1,
            "<EmbedCudaKernels>false</EmbedCudaKernels>");

    [TestMethod]
    [TestCategory("Long")]
    public void KilledBuild_ThirtyFiveTimes_NextBuildEqualsACleanBuild() =>
        KillAndRecover(nameof(KilledBuild_ThirtyFiveTimes_NextBuildEqualsACleanBuild), randomKills: 25, writePhaseKills: 10);

    /// <summary>
    /// Killed right after the first image's temporary file appears, the build leaves temporary files of atomic
    /// writes behind (the rename never came); the next build must not keep them (they would pile up).
    /// </summary>
    [TestMethod]
    public void KilledWhileWritingImages_NextBuildLeavesNoTemporaryFile()
    {
        using var project = new ThrowawayProject(SlowKernels.Properties);
        SlowKernels.Write(project, KernelCount, step: 1);
        Assert.IsTrue(project.Build().Succeeded);
        project.Write(SlowKernels.Header, SlowKernels.StepHeader(2));

        string killed = KillInWritePhase(project, TimeSpan.Zero);
        List<string> left = BuildSnapshot.Of(project).TemporaryFiles;
        BuildRun recovered = project.Build();

        Assert.IsTrue(recovered.Succeeded, recovered.ToString());
        List<string> remaining = BuildSnapshot.Of(project).TemporaryFiles;
        Assert.AreEqual(0, remaining.Count, $"{killed}; the kill left [{string.Join(", ", left)}], the next build still has [{string.Join(", ", remaining)}]");
    }

    /// <summary>
    /// The C# compiler writes the assembly in place and flushes its last block only as it closes it, with the
    /// reference assembly and the PDB, at the end of the compile. A build killed just before leaves an assembly cut short, newer than every input:
    /// CoreCompile, deciding by file times, would keep it, and the kernels it embeds would be lost (seen once in CI,
    /// iteration 31 of the long kill test). That moment is too short to hit on purpose, so a target the compiler
    /// triggers cuts the assembly's last 1 000 bytes, as the lost block, then kill -9s the build's process group.
    /// </summary>
    [TestMethod]
    public void KilledAsTheCompilerClosesTheAssembly_NextBuildCompilesItAgain()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52</CudaArchitectures><UseSharedCompilation>false</UseSharedCompilation>");
        SeedKernels.WriteSeed(project);
        project.Write("Directory.Build.targets", KillAfterCompilerWroteTheAssembly);
        Assert.IsTrue(project.Build().Succeeded);
        BuildSnapshot clean = BuildSnapshot.Of(project);

        project.Write("Program.cs", "public static class Anchor { public const int Value = 2; }\n");
        using (BackgroundBuild killed = BackgroundBuild.Start(project.ProjectFile, "-p:KillAfterCSharpCompile=true"))
        {
            BuildRun run = killed.Wait(TimeSpan.FromMinutes(5));
            Assert.AreEqual(137, run.ExitCode, "the build was to kill itself after the C# compile:\n" + run);
        }
        Assert.IsFalse(AssemblyImage.IsComplete(project.IntermediateAssemblyPath), "the kill left a whole assembly: nothing was tested");
        BuildRun recovered = project.Build();

        Assert.IsTrue(recovered.Succeeded, recovered.ToString());
        Assert.IsTrue(AssemblyImage.IsComplete(project.IntermediateAssemblyPath), "the next build kept the cut-short assembly:\n" + recovered);
        Assert.IsTrue(AssemblyImage.IsComplete(project.AssemblyPath), "the next build copied a cut-short assembly to bin/:\n" + recovered);
        BuildSnapshot.Of(project).AssertEquals(clean, "after the recovery");
        StringAssert.Contains(recovered.Output, "the last C# compile of this project was interrupted");

        DateTime compiled = File.GetLastWriteTimeUtc(project.IntermediateAssemblyPath);
        BuildRun next = project.Build();
        Assert.IsTrue(next.Succeeded, next.ToString());
        Assert.AreEqual(compiled, File.GetLastWriteTimeUtc(project.IntermediateAssemblyPath), "the build after the recovery compiled the assembly again:\n" + next);
    }

    /// <summary>
    /// With -p:KillAfterCSharpCompile=true, the targets the C# compile triggers (inside CoreCompile, after the
    /// compiler returned, before any other target) cut the assembly short and kill -9 the build's process group.
    /// </summary>
    private const string KillAfterCompilerWroteTheAssembly =
        "<Project>\n" +
        "  <PropertyGroup Condition=\"'$(KillAfterCSharpCompile)' == 'true'\">\n" +
        "    <TargetsTriggeredByCompilation>$(TargetsTriggeredByCompilation);_KillAsTheCompilerClosesTheAssembly</TargetsTriggeredByCompilation>\n" +
        "  </PropertyGroup>\n" +
        "  <Target Name=\"_KillAsTheCompilerClosesTheAssembly\">\n" +
        "    <Exec Command=\"truncate -s -1000 '@(IntermediateAssembly->'%(FullPath)')' &amp;&amp; kill -9 0\" />\n" +
        "  </Target>\n" +
        "</Project>\n";

    private enum KillMoment { Random, WritePhase }

    private static void KillAndRecover(string test, int randomKills, int writePhaseKills, string extraProperties = "")
    {
        Random random = FaultSeed.Create(test);
        using var project = new ThrowawayProject(SlowKernels.Properties + extraProperties);
        SlowKernels.Write(project, KernelCount, step: 1);
        // A clean build of each of the two header versions the iterations alternate between.
        var clean = new Dictionary<int, BuildSnapshot>();
        CleanBuild(project, step: 1, clean);
        CleanBuild(project, step: 2, clean);
        TimeSpan duration = TimedRebuild(project, step: 1);
        Console.WriteLine($"a build that recompiles every kernel: {duration.TotalSeconds:F1} s; random kills fall uniformly within it");

        var moments = Enumerable.Repeat(KillMoment.Random, randomKills).Concat(Enumerable.Repeat(KillMoment.WritePhase, writePhaseKills))
            .OrderBy(_ => random.Next()).ToList();
        // The first write-phase kill comes at once: the likeliest moment for a half-written file.
        bool firstWritePhaseKill = true;
        for (int i = 0; i < moments.Count; i++)
        {
            // The outputs hold the other step, so every kernel is stale; now and then there are no outputs at all.
            var iteration = Stopwatch.StartNew();
            int step = i % 2 == 0 ? 2 : 1;
            bool fromScratch = random.Next(4) == 0;
            if (fromScratch) DeleteObj(project);
            project.Write(SlowKernels.Header, SlowKernels.StepHeader(step));

            string killed = moments[i] == KillMoment.Random
                ? KillAfter(project, TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds))
                : KillInWritePhase(project, TimeSpan.FromMilliseconds(firstWritePhaseKill ? 0 : random.Next(0, 30)));
            firstWritePhaseKill &= moments[i] != KillMoment.WritePhase;
            string context = $"iteration {i} (step {step}{(fromScratch ? ", from scratch" : "")}): {killed}";
            Console.WriteLine(context);

            BuildRun recovered = project.Build();
            Assert.IsTrue(recovered.Succeeded, context + ": the build after the kill failed:\n" + recovered);
            var snapshot = BuildSnapshot.Of(project);
            if (snapshot.TemporaryFiles.Count > 0) Console.WriteLine($"  temporary files left: {string.Join(", ", snapshot.TemporaryFiles)}");
            snapshot.AssertEquals(clean[step], context);

            BuildRun next = project.Build();
            Assert.IsTrue(next.Succeeded, context + ": " + next);
            CollectionAssert.AreEqual(Array.Empty<string>(), BuildSnapshot.Compiled(next.Output), context + ": the build after the recovery compiled again:\n" + next);
            Console.WriteLine($"  recovered; iteration took {iteration.Elapsed.TotalSeconds:F0} s");
        }
    }

    private static TimeSpan CleanBuild(ThrowawayProject project, int step, Dictionary<int, BuildSnapshot> clean)
    {
        DeleteObj(project);
        project.Write(SlowKernels.Header, SlowKernels.StepHeader(step));
        var clock = Stopwatch.StartNew();
        BuildRun run = project.Build();
        clock.Stop();
        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(KernelCount, BuildSnapshot.Compiled(run.Output).Count, run.ToString());
        clean[step] = BuildSnapshot.Of(project);
        return clock.Elapsed;
    }

    private static TimeSpan TimedRebuild(ThrowawayProject project, int step)
    {
        project.Write(SlowKernels.Header, SlowKernels.StepHeader(step));
        var clock = Stopwatch.StartNew();
        BuildRun run = project.Build();
        clock.Stop();
        Assert.AreEqual(KernelCount, BuildSnapshot.Compiled(run.Output).Count, run.ToString());
        return clock.Elapsed;
    }

    private static void DeleteObj(ThrowawayProject project)
    {
        string obj = project.PathOf("obj");
        if (Directory.Exists(obj)) Directory.Delete(obj, recursive: true);
    }

    /// <summary>Kills the build after a delay from its start; says when, and whether it had already finished.</summary>
    private static string KillAfter(ThrowawayProject project, TimeSpan offset)
    {
        using BackgroundBuild build = BackgroundBuild.Start(project.ProjectFile);
        while (build.Elapsed < offset && !build.HasExited) Thread.Sleep(5);
        bool finished = build.HasExited;
        if (!finished) build.KillGroup();
        BuildRun run = build.Wait(TimeSpan.FromMinutes(5));
        return finished
            ? $"random kill at {offset.TotalMilliseconds:F0} ms came after the build ended (exit {run.ExitCode})"
            : $"killed at {offset.TotalMilliseconds:F0} ms, compiled before: [{string.Join(", ", BuildSnapshot.Compiled(run.Output))}]";
    }

    /// <summary>
    /// Kills the build a short delay after it creates the first temporary file of an image in the output folder:
    /// the task writes images, .d files, the state and the manifest only after every compile ended, so this aims
    /// at the few milliseconds in which some outputs are new and the rest (and the state) are not.
    /// </summary>
    private static string KillInWritePhase(ThrowawayProject project, TimeSpan delay)
    {
        Directory.CreateDirectory(project.OutputFolder);
        using var watcher = new FileSystemWatcher(project.OutputFolder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName };
        using BackgroundBuild build = BackgroundBuild.Start(project.ProjectFile);
        string? firstWrite = null;
        var firstWriteAt = TimeSpan.Zero;
        watcher.Created += (_, e) =>
        {
            bool isImage = e.Name!.Contains(".ptx.tmp-") || e.Name.Contains(".cubin.tmp-");
            if (!isImage || Interlocked.CompareExchange(ref firstWrite, e.Name, null) != null) return;
            firstWriteAt = build.Elapsed;
            FaultSeed.SpinFor(delay);
            build.KillGroup();
        };
        watcher.EnableRaisingEvents = true;
        BuildRun run = build.Wait(TimeSpan.FromMinutes(5));
        // Events come from the build's own writes, so none is left to arrive once its process group is gone.
        watcher.EnableRaisingEvents = false;
        Assert.IsNotNull(firstWrite, "the write-phase kill never fired: no image was written:\n" + run);
        return $"write-phase kill {delay.TotalMilliseconds:F0} ms after {firstWrite} appeared at {firstWriteAt.TotalMilliseconds:F0} ms (exit {run.ExitCode})";
    }
}
