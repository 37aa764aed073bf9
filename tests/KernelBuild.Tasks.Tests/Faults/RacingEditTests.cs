using System.Text.RegularExpressions;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// A header or the kernel source is saved while NVRTC compiles the kernel, at a random moment within the compile.
/// The racing build may use either text; the next build must compile the final text, and in the end the outputs
/// must equal a clean build of it. (A build that records the header's time after the compile next to a hash of
/// the text it compiled takes the edited file for the compiled one and never rebuilds it.)
/// </summary>
[TestClass]
public sealed class RacingEditTests
{
    private const string Ptx = "slow0.compute_52.ptx";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void EditDuringCompile_NextBuildCompilesTheFinalText() =>
        RaceEdits(nameof(EditDuringCompile_NextBuildCompilesTheFinalText), iterations: 2);

    [TestMethod]
    [TestCategory("Long")]
    public void EditDuringCompile_TwelveTimes_NextBuildCompilesTheFinalText() =>
        RaceEdits(nameof(EditDuringCompile_TwelveTimes_NextBuildCompilesTheFinalText), iterations: 12);

    private static void RaceEdits(string test, int iterations)
    {
        Random random = FaultSeed.Create(test);
        using var project = new ThrowawayProject(SlowKernels.Properties);
        int step = 1, offset = 0;
        project.Write(SlowKernels.Header, SlowKernels.StepHeader(step));
        project.Write(SlowKernels.KernelPath(0), SlowKernels.Kernel(0, offset));
        BuildRun first = project.Build();
        Assert.IsTrue(first.Succeeded, first.ToString());
        TimeSpan compile = CompileTime(first.Output) ?? throw new AssertFailedException("no compile time in:\n" + first);

        // Counts only edits that landed while NVRTC compiled: under a varying load an edit may come after the compile,
        // and a run of those would test nothing. The window is the shortest compile seen so far.
        int raced = 0;
        for (int i = 0; raced < iterations; i++)
        {
            Assert.IsTrue(i < 4 * iterations, $"only {raced} of {i} edits landed while compiling");
            // Header and kernel source take turns; every value is new, so a stale image cannot pass by chance.
            bool editHeader = i % 2 == 0;
            int racingValue = 100 + 10 * i, finalValue = racingValue + 1;
            WriteEdit(project, editHeader, racingValue, ref step, ref offset);
            TimeSpan delay = TimeSpan.FromMilliseconds(random.NextDouble() * compile.TotalMilliseconds);

            var (whileCompiling, racing) = RaceOneBuild(project, delay, () => WriteEdit(project, editHeader, finalValue, ref step, ref offset));
            raced += whileCompiling ? 1 : 0;
            compile = TimeSpan.FromTicks(Math.Min(compile.Ticks, (CompileTime(racing.Output) ?? compile).Ticks));
            string context = $"iteration {i}: {(editHeader ? "header" : "kernel source")} saved {delay.TotalMilliseconds:F0} ms into the compile, " +
                $"{(whileCompiling ? "while compiling" : "after the compile ended")}; racing build exit {racing.ExitCode}";
            Console.WriteLine(context);

            BuildRun next = project.Build();
            Assert.IsTrue(next.Succeeded, context + ": " + next);
            string ptx = File.ReadAllText(project.OutputOf(Ptx));
            Assert.IsTrue(SlowKernels.StoresConstant(ptx, step) && SlowKernels.StoresConstant(ptx, offset),
                $"{context}: the build after the race left an image of old text (wanted step {step}, offset {offset}); it compiled " +
                $"[{string.Join(", ", BuildSnapshot.Compiled(next.Output))}]:\n{ptx}");
        }

        var recovered = BuildSnapshot.Of(project);
        Directory.Delete(project.PathOf("obj"), recursive: true);
        BuildRun clean = project.Build();
        Assert.IsTrue(clean.Succeeded, clean.ToString());
        recovered.AssertEquals(BuildSnapshot.Of(project), "after the races");
    }

    private static void WriteEdit(ThrowawayProject project, bool editHeader, int value, ref int step, ref int offset)
    {
        // Written in place, as an editor that truncates and writes does: the racing compile may even read half of it.
        if (editHeader) project.Write(SlowKernels.Header, SlowKernels.StepHeader(step = value));
        else project.Write(SlowKernels.KernelPath(0), SlowKernels.Kernel(0, offset = value));
    }

    /// <summary>Runs a build and saves the edit a delay after the task says it is compiling.</summary>
    private static (bool WhileCompiling, BuildRun Racing) RaceOneBuild(ThrowawayProject project, TimeSpan delay, Action edit)
    {
        using BackgroundBuild build = BackgroundBuild.Start(project.ProjectFile);
        bool started = build.WaitForOutput("Compiling CUDA kernel", TimeSpan.FromMinutes(3));
        Thread.Sleep(delay);
        bool whileCompiling = !build.HasExited && !build.Output.Contains("Compiled 1 CUDA kernel");
        edit();
        BuildRun racing = build.Wait(TimeSpan.FromMinutes(5));
        // Whatever text it read, the racing build must not crash; a compile error of a half-saved file is fair.
        Assert.IsFalse(racing.Output.Contains("MSB4018") || racing.Output.Contains("Unhandled exception"), "the racing build crashed:\n" + racing);
        Assert.IsTrue(started, "the racing build never compiled:\n" + racing);
        return (whileCompiling, racing);
    }

    /// <summary>The task's own measure of its compile ("Compiled 1 CUDA kernel(s) in 1.23 s."), if it compiled.</summary>
    private static TimeSpan? CompileTime(string log)
    {
        Match match = Regex.Match(log, @"Compiled 1 CUDA kernel\(s\) in ([0-9.]+) s\.");
        return match.Success ? TimeSpan.FromSeconds(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }
}
