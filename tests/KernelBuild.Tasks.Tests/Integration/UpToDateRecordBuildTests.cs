using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// The check's up-to-date record through the real `dotnet build`: once a full check has found every kernel up to
/// date, the next build is answered from the record, with the same outputs and messages; any change the full check
/// would act on makes the record not hold, and the build does what it did without one.
/// </summary>
[TestClass]
public sealed class UpToDateRecordBuildTests
{
    private const string Answered = "answered by the up-to-date record";
    private const string DoesNotHold = "The up-to-date record does not hold (";
    private const string UpToDate = "CUDA kernels are up to date (1 checked)";
    private const string Arch = "<CudaArchitectures>compute_52</CudaArchitectures>";
    private const string Image = "kernels/increment.compute_52.ptx";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();


    private static string RecordPath(ThrowawayProject project) => project.OutputOf("KernelBuild.uptodate");

    /// <summary>A compiled seed project, and the no-op after the compile, whose full check writes the record.</summary>
    private static ThrowawayProject RecordedProject(string? extraProperties = null)
    {
        var project = new ThrowawayProject(Arch + extraProperties);
        SeedKernels.WriteSeed(project);
        BuildRun compile = project.Build();
        Assert.IsTrue(compile.Succeeded, compile.ToString());
        Assert.IsFalse(File.Exists(RecordPath(project)), "a build that compiles writes no record: only a full check that found nothing to do does");
        BuildRun check = project.Build("-v:d");
        Assert.IsTrue(check.Succeeded, check.ToString());
        StringAssert.Contains(check.Output, UpToDate);
        Assert.IsFalse(check.Output.Contains(Answered), check.Output);
        Assert.IsTrue(File.Exists(RecordPath(project)), "the full check that found nothing to do records it");
        return project;
    }

    [TestMethod]
    public void AfterANoOpTheNextBuildIsAnsweredByTheRecordAndTheAssemblyStillGetsTheImages()
    {
        using var project = RecordedProject();
        // A C# edit makes the C# compile run, so the resources it embeds come from this build's check.
        project.Write("Program.cs", "public static class Anchor { public const int Value = 2; }\n");

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, Answered);
        StringAssert.Contains(run.Output, UpToDate);
        Assert.AreEqual(0, run.Compiled.Count, run.Output);
        CollectionAssert.Contains(project.EmbeddedResources().ToList(), "KernelBuild/" + Image);
        Assert.AreEqual(1, SeedKernels.StepInPtx(System.Text.Encoding.UTF8.GetString(project.EmbeddedResource("KernelBuild/" + Image))));
    }

    [TestMethod]
    public void AnEditedHeaderIsCompiledAndTheRecordDoesNotHold()
    {
        using var project = RecordedProject();
        project.Write(SeedKernels.Header, SeedKernels.StepHeader(7));

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, DoesNotHold + project.PathOf(SeedKernels.Header) + " changed)");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled);
        Assert.AreEqual(7, SeedKernels.StepInPtx(File.ReadAllText(project.OutputOf(Image))));
    }

    [TestMethod]
    public void AChangedOptionIsCompiledAndTheRecordDoesNotHold()
    {
        using var project = RecordedProject();
        project.WriteProject(Arch + "<CudaDefineConstants>EXTRA=1</CudaDefineConstants>", null);

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, DoesNotHold + "the kernels, their metadata or the task's parameters changed)");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled);
    }

    [TestMethod]
    public void ATouchedHeaderIsAnsweredByTheRecordWhichMovesTheStampAndLeavesTheState()
    {
        using var project = RecordedProject();
        string state = project.OutputOf("KernelBuild.state");
        byte[] stateBytes = File.ReadAllBytes(state);
        DateTime stateTime = File.GetLastWriteTimeUtc(state);
        File.SetLastWriteTimeUtc(project.PathOf(SeedKernels.Header), DateTime.UtcNow);

        BuildRun touched = project.Build("-v:d");

        Assert.IsTrue(touched.Succeeded, touched.ToString());
        StringAssert.Contains(touched.Output, Answered);
        Assert.AreEqual(0, touched.Compiled.Count, touched.Output);
        Assert.IsTrue(File.GetLastWriteTimeUtc(project.OutputOf("KernelBuild.stamp")) >= File.GetLastWriteTimeUtc(project.PathOf(SeedKernels.Header)),
            "as the full check does, the stamp is moved past the touch (Visual Studio's fast up-to-date check)");
        CollectionAssert.AreEqual(stateBytes, File.ReadAllBytes(state), "the touch is saved in the record, not the state");
        Assert.AreEqual(stateTime, File.GetLastWriteTimeUtc(state));

        BuildRun next = project.Build("-v:d");
        StringAssert.Contains(next.Output, Answered);
        Assert.AreEqual(0, next.Compiled.Count, next.Output);
    }

    /// <summary>
    /// A header that a target of the project writes before the check (a header generator) is compiled in the same
    /// build, with the record in place: the check stats sources and headers when it runs, never earlier. (Reading the
    /// record and stating on a pool thread from PrepareForBuild on was tried for speed: docs/benchmarks.md, eleventh
    /// round; whatever such a change does, it must leave this test passing.)
    /// </summary>
    [TestMethod]
    public void AHeaderATargetWritesBeforeTheCheckIsCompiledInTheSameBuild()
    {
        using var project = RecordedProject();
        project.Write("staged/step.txt", SeedKernels.StepHeader(3));
        project.Write("Directory.Build.targets", """
            <Project>
              <Target Name="GenerateStepHeader" AfterTargets="ResolveAssemblyReferences" Condition="'$(GenerateStep)' == 'true'">
                <Copy SourceFiles="staged/step.txt" DestinationFiles="kernels/device/step.cuh" />
              </Target>
            </Project>
            """);

        BuildRun run = project.Build("-v:d", "-p:GenerateStep=true");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsLessThan(run.Output.IndexOf("Target \"_CudaKernels_Check", StringComparison.Ordinal),
            run.Output.IndexOf("Target \"GenerateStepHeader", StringComparison.Ordinal), "the header is written before the check");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled, run.Output);
        Assert.AreEqual(3, SeedKernels.StepInPtx(System.Text.Encoding.UTF8.GetString(project.EmbeddedResource("KernelBuild/" + Image))));
    }

    [TestMethod]
    public void ADeletedImageIsCompiledAgain()
    {
        using var project = RecordedProject();
        File.Delete(project.OutputOf(Image));

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, DoesNotHold + project.OutputOf(Image) + " is missing)");
        CollectionAssert.AreEqual(new[] { SeedKernels.Kernel }, run.Compiled);
        Assert.IsTrue(File.Exists(project.OutputOf(Image)));
    }

    [TestMethod]
    public void ADeletedStampRunsTheCompileTargetAgain()
    {
        using var project = RecordedProject();
        string stamp = project.OutputOf("KernelBuild.stamp");
        File.Delete(stamp);

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, DoesNotHold + stamp + " is missing)");
        Assert.IsTrue(File.Exists(stamp), "the compile target ran and wrote its stamp again");
    }

    [TestMethod]
    [DataRow("a changed byte")]
    [DataRow("a truncated file")]
    [DataRow("an empty file")]
    public void ADamagedRecordMeansTheFullCheckWhichWritesItAgain(string damage)
    {
        using var project = RecordedProject();
        string record = RecordPath(project);
        byte[] bytes = File.ReadAllBytes(record);
        if (damage == "a changed byte") bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(record, damage == "a truncated file" ? bytes[..(bytes.Length / 2)] : damage == "an empty file" ? [] : bytes);

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsFalse(run.Output.Contains(Answered), "a damaged record must not answer:\n" + run.Output);
        StringAssert.Contains(run.Output, UpToDate);
        Assert.AreEqual(0, run.Compiled.Count, run.Output);
        StringAssert.Contains(project.Build("-v:d").Output, Answered, "the full check wrote the record again");
    }

    [TestMethod]
    public void AWarningIsSaidAgainWhenTheRecordAnswers()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write("w.cu", "extern \"C\" __global__ void k(int* a)\n{\n    int unused;\n    a[0] = 1;\n}\n");
        string warning = project.PathOf("w.cu") + "(3): warning NVRTC177: variable \"unused\" was declared but never referenced";
        Assert.IsTrue(project.Build().Succeeded);
        Assert.IsTrue(project.Build().Succeeded);

        BuildRun run = project.Build("-v:d");

        StringAssert.Contains(run.Output, Answered);
        StringAssert.Contains(run.Output, warning);
    }

    [TestMethod]
    public void APreIncludedFileIsSearchedEveryBuildSoNoRecordIsWritten()
    {
        using var project = new ThrowawayProject(Arch + "<CudaAdditionalOptions>-include device/step.cuh</CudaAdditionalOptions><CudaIncludeDirectories>kernels</CudaIncludeDirectories>");
        SeedKernels.WriteSeed(project);
        Assert.IsTrue(project.Build().Succeeded);
        BuildRun noOp = project.Build();

        StringAssert.Contains(noOp.Output, UpToDate);
        Assert.IsFalse(File.Exists(RecordPath(project)), "where a relative pre-include is found is part of the options: the full check must look every time");
    }
}
