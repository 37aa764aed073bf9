using System.Diagnostics;
using System.Text;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// Builds that overlap: two `dotnet build` of one project with an edit between their starts, and a solution whose
/// projects share a header, built with `-m` (the projects then compile at the same time in separate nodes).
/// </summary>
[TestClass]
public sealed class ConcurrentBuildTests
{
    private const int KernelCount = 2;

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void TwoBuildsOfOneProject_EditBetween_NothingTornAndTheNextBuildIsClean() =>
        OverlapBuilds(nameof(TwoBuildsOfOneProject_EditBetween_NothingTornAndTheNextBuildIsClean), rounds: 1);

    [TestMethod]
    [TestCategory("Long")]
    public void TwoBuildsOfOneProject_EditBetween_SixTimes() =>
        OverlapBuilds(nameof(TwoBuildsOfOneProject_EditBetween_SixTimes), rounds: 6);

    /// <summary>
    /// While another build's C# compiler writes the assembly, .NET holds it locked (on Unix an advisory lock that
    /// makes another .NET reader's open fail; on Windows the file's share mode). The check for an assembly a kill cut
    /// short must leave it to that build, not crash (MSB4018, seen in round 5 of the long test above).
    /// </summary>
    [TestMethod]
    public void AnAssemblyAnotherBuildIsWriting_IsLeftToIt()
    {
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52</CudaArchitectures>");
        SeedKernels.WriteSeed(project);
        Assert.IsTrue(project.Build().Succeeded);
        byte[] before = File.ReadAllBytes(project.IntermediateAssemblyPath);

        BuildRun run;
        using (new FileStream(project.IntermediateAssemblyPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            run = project.Build("-v:d");
        }

        AssertFailsCleanlyIfAtAll(run, "a build while the assembly was held");
        StringAssert.Contains(run.Output, "could not be read to check that it is whole");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(project.IntermediateAssemblyPath), "the held assembly was changed");
        Assert.IsTrue(project.Build().Succeeded, "the build after it");
    }

    private static void OverlapBuilds(string test, int rounds)
    {
        Random random = FaultSeed.Create(test);
        using var project = new ThrowawayProject(SlowKernels.Properties);
        SlowKernels.Write(project, KernelCount, step: 1);
        var clean = new Dictionary<int, BuildSnapshot> { [1] = CleanBuild(project, 1, out _) };
        clean[2] = CleanBuild(project, 2, out TimeSpan duration);

        for (int round = 0; round < rounds; round++)
        {
            // The first build compiles step 1; the second starts after step 2 was saved, while the first still runs.
            project.Write(SlowKernels.Header, SlowKernels.StepHeader(1));
            using BackgroundBuild first = BackgroundBuild.Start(project.ProjectFile);
            TimeSpan gap = TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds / 2);
            Thread.Sleep(gap);
            project.Write(SlowKernels.Header, SlowKernels.StepHeader(2));
            using BackgroundBuild second = BackgroundBuild.Start(project.ProjectFile);
            BuildRun one = first.Wait(TimeSpan.FromMinutes(5)), two = second.Wait(TimeSpan.FromMinutes(5));

            string context = $"round {round}: second build started {gap.TotalMilliseconds:F0} ms after the first; exits {one.ExitCode} and {two.ExitCode}";
            Console.WriteLine(context + Failures(one, "first") + Failures(two, "second"));
            AssertFailsCleanlyIfAtAll(one, context);
            AssertFailsCleanlyIfAtAll(two, context);
            AssertNoTornImage(BuildSnapshot.Of(project), clean, context);

            BuildRun next = project.Build();
            Assert.IsTrue(next.Succeeded, context + ": the build after both failed:\n" + next);
            BuildSnapshot.Of(project).AssertEquals(clean[2], context + ", then one more build");
            BuildRun after = project.Build();
            CollectionAssert.AreEqual(Array.Empty<string>(), BuildSnapshot.Compiled(after.Output), context + ": the build after that compiled again:\n" + after);
        }
    }

    [TestMethod]
    public void AnAssemblyWrittenAfterAnotherBuildReplacedTheImages_IsCompiledAgain()
    {
        // The race behind the one failed overlapping round (CI, seed 44765109), made deterministic. Build S's C# compile
        // reads the images of header value 1; build F, started meanwhile, compiles value 2 and writes its assembly;
        // S writes its assembly last, newer than every image, embedding value 1. A hook target holds S after its C#
        // compile while the test runs F and puts S's assembly back with the current time, as S's late write would.
        string hold = Path.Combine(Path.GetTempPath(), "kb-hold-" + Guid.NewGuid().ToString("N")[..12]);
        using var project = new ThrowawayProject();
        project.Write("k.cu", "#include \"h.cuh\"\nextern \"C\" __global__ void k(int* p) { *p = VALUE; }\n");
        project.Write("h.cuh", "#define VALUE 1\n");
        AddHoldTarget(project);
        Assert.IsTrue(project.Build().Succeeded);
        string assembly = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "Throwaway.dll");
        string manifest = project.OutputOf("KernelBuild.manifest.json");
        try
        {
            project.Write("Program.cs", "public static class Anchor { public const int Value = 2; }\n"); // S compiles C#
            using BackgroundBuild slow = BackgroundBuild.Start(project.ProjectFile, "-p:KernelBuildTestHold=" + hold);
            Assert.IsTrue(slow.WaitForOutput("KernelBuildTestHold: waiting", TimeSpan.FromMinutes(3)), "S did not reach the hook:\n" + slow.Output);
            byte[] slowAssembly = File.ReadAllBytes(assembly);

            project.Write("h.cuh", "#define VALUE 2\n");
            BuildRun fast = project.Build();
            CollectionAssert.AreEqual(new[] { "k.cu" }, fast.Compiled, fast.ToString());
            File.WriteAllBytes(assembly, slowAssembly);
            File.SetLastWriteTimeUtc(assembly, DateTime.UtcNow);
            Assert.IsTrue(File.GetLastWriteTimeUtc(assembly) > File.GetLastWriteTimeUtc(manifest), "S's assembly must look newer than F's images");
            File.WriteAllText(hold + ".go", "");
            BuildRun slowRun = slow.Wait(TimeSpan.FromMinutes(3));
            Assert.IsTrue(slowRun.Succeeded, slowRun.ToString());
            StringAssert.Contains(slowRun.Output, "the kernel images changed while the C# compile read them");

            BuildRun next = project.Build();
            Assert.IsTrue(next.Succeeded, next.ToString());
            CollectionAssert.AreEqual(Array.Empty<string>(), next.Compiled, next.ToString());
            CollectionAssert.AreEqual(File.ReadAllBytes(manifest), project.EmbeddedResource("KernelBuild/manifest.json"),
                "the assembly after the next build embeds the manifest on disk:\n" + next);
        }
        finally
        {
            File.Delete(hold + ".go");
        }
    }

    /// <summary>A target that holds the build between its C# compile and KernelBuild's check of it, until a file exists.</summary>
    private static void AddHoldTarget(ThrowawayProject project)
    {
        string text = File.ReadAllText(project.ProjectFile);
        const string target = """
              <Target Name="_TestHoldAfterCoreCompile" BeforeTargets="_CudaKernels_CheckEmbeddedImages" Condition="'$(KernelBuildTestHold)' != ''">
                <Message Importance="high" Text="KernelBuildTestHold: waiting" />
                <Exec Command="while [ ! -f '$(KernelBuildTestHold).go' ]; do sleep 0.05; done" />
              </Target>
            """;
        File.WriteAllText(project.ProjectFile, text.Replace("</Project>", target + "\n</Project>"));
    }

    [TestMethod]
    public void SolutionBuiltWithM_SharedHeaderEdit_RebuildsExactlyTheKernelsThatIncludeIt()
    {
        string root = Path.Combine(Path.GetTempPath(), "kb-tests", Guid.NewGuid().ToString("N")[..12]);
        try
        {
            string solution = WriteSolution(root);
            BuildRun first = BuildSolution(solution);
            CollectionAssert.AreEqual(new[] { "a_plain.cu", "a_shared.cu", "b_plain.cu", "b_shared.cu" }, BuildSnapshot.Compiled(first.Output), first.ToString());
            string plainImage = Path.Combine(root, "A", "obj", "Debug", "net10.0", "cuda", "a_plain.compute_52.ptx");
            DateTime plainWritten = File.GetLastWriteTimeUtc(plainImage);

            File.WriteAllText(Path.Combine(root, "shared", "step.cuh"), SlowKernels.StepHeader(7));
            BuildRun edited = BuildSolution(solution);

            CollectionAssert.AreEqual(new[] { "a_shared.cu", "b_shared.cu" }, BuildSnapshot.Compiled(edited.Output), edited.ToString());
            foreach (string project in new[] { "A/obj/Debug/net10.0/cuda/a_shared.compute_52.ptx", "B/obj/Debug/net10.0/cuda/b_shared.compute_52.ptx" })
            {
                Assert.IsTrue(SlowKernels.StoresConstant(File.ReadAllText(Path.Combine(root, project)), 7), project + " was not rebuilt with the new header");
            }
            Assert.AreEqual(plainWritten, File.GetLastWriteTimeUtc(plainImage), "a kernel that does not include the header was rewritten");
            BuildRun noOp = BuildSolution(solution);
            CollectionAssert.AreEqual(Array.Empty<string>(), BuildSnapshot.Compiled(noOp.Output), noOp.ToString());
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static BuildRun BuildSolution(string solution)
    {
        BuildRun run = ThrowawayProject.Dotnet(["build", solution, "-m", "-nodeReuse:false", "-v:n", "-clp:NoSummary"]);
        Assert.IsTrue(run.Succeeded, run.ToString());
        return run;
    }

    /// <summary>shared/step.cuh; projects A and B each with a kernel that includes it and one that does not; all.slnx.</summary>
    private static string WriteSolution(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "shared"));
        File.WriteAllText(Path.Combine(root, "shared", "step.cuh"), SlowKernels.StepHeader(1));
        foreach (string name in new[] { "A", "B" })
        {
            string folder = Path.Combine(root, name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name + ".csproj"), ProjectText("<CudaIncludeDirectories>../shared</CudaIncludeDirectories>"));
            File.WriteAllText(Path.Combine(folder, "Anchor.cs"), "public static class Anchor { }\n");
            string prefix = name.ToLowerInvariant();
            File.WriteAllText(Path.Combine(folder, prefix + "_shared.cu"),
                $"#include \"step.cuh\"\nextern \"C\" __global__ void {prefix}_shared(unsigned* p) {{ p[0] = step(); }}\n");
            File.WriteAllText(Path.Combine(folder, prefix + "_plain.cu"),
                $"extern \"C\" __global__ void {prefix}_plain(unsigned* p) {{ p[0] = 3u; }}\n");
        }
        string solution = Path.Combine(root, "all.slnx");
        File.WriteAllText(solution, "<Solution>\n  <Project Path=\"A/A.csproj\" />\n  <Project Path=\"B/B.csproj\" />\n</Solution>\n");
        return solution;
    }

    private static string ProjectText(string extraProperties)
    {
        string targets = Path.Combine(ThrowawayProject.RepositoryRoot, "targets");
        return new StringBuilder()
            .AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">")
            .AppendLine($"  <Import Project=\"{targets}/KernelBuild.props\" />")
            .AppendLine("  <PropertyGroup>")
            .AppendLine("    <TargetFramework>net10.0</TargetFramework>")
            .AppendLine($"    <KernelBuildTasksAssembly>{ThrowawayProject.TasksAssembly}</KernelBuildTasksAssembly>")
            .AppendLine("    <CudaArchitectures>compute_52</CudaArchitectures>")
            .AppendLine("    <EmbedCudaKernels>true</EmbedCudaKernels>") // as ThrowawayProject: the layout that ships
            .AppendLine("    " + extraProperties)
            .AppendLine("  </PropertyGroup>")
            .AppendLine($"  <Import Project=\"{targets}/KernelBuild.targets\" />")
            .AppendLine("</Project>")
            .ToString();
    }

    private static BuildSnapshot CleanBuild(ThrowawayProject project, int step, out TimeSpan duration)
    {
        string obj = project.PathOf("obj");
        if (Directory.Exists(obj)) Directory.Delete(obj, recursive: true);
        project.Write(SlowKernels.Header, SlowKernels.StepHeader(step));
        var clock = Stopwatch.StartNew();
        BuildRun run = project.Build();
        duration = clock.Elapsed;
        Assert.IsTrue(run.Succeeded, run.ToString());
        return BuildSnapshot.Of(project);
    }

    /// <summary>Two builds may collide on a file; the loser must say so as a diagnostic, never crash.</summary>
    private static void AssertFailsCleanlyIfAtAll(BuildRun run, string context)
    {
        if (run.Succeeded) return;
        Assert.IsFalse(run.Output.Contains("MSB4018") || run.Output.Contains("Unhandled exception"), context + ": a build crashed:\n" + run);
        StringAssert.Contains(run.Output, "error", context + ": a build failed without an error:\n" + run);
    }

    /// <summary>Every image is, byte for byte, one of the two clean builds' images: old or new, never a mix.</summary>
    private static void AssertNoTornImage(BuildSnapshot overlapped, Dictionary<int, BuildSnapshot> clean, string context)
    {
        foreach (var (name, bytes) in overlapped.Images)
        {
            bool whole = clean.Values.Any(c => c.Entries.TryGetValue(name, out byte[]? image) && image.AsSpan().SequenceEqual(bytes));
            Assert.IsTrue(whole, $"{context}: {name} matches neither clean build");
        }
    }

    private static string Failures(BuildRun run, string which) =>
        run.Succeeded ? "" : $"\n  {which} failed: " + string.Join("\n  ", run.Output.Split('\n').Where(l => l.Contains("error")).Distinct().Take(5));
}
