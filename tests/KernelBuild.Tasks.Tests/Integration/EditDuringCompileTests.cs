using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// A file saved while its kernel compiles (an IDE's auto-build, `dotnet watch`) must never leave a stale kernel
/// that later builds take for current. Each test edits a file while NVRTC compiles a deliberately slow kernel
/// (about 2 s), then asserts that the next build recompiles and gives exactly what a clean build of the final
/// text gives, and that the build after that compiles nothing.
/// </summary>
[TestClass]
public sealed class EditDuringCompileTests
{
    private const string Arch = "<CudaArchitectures>compute_52</CudaArchitectures>";
    private const string SlowKernel = "kernels/slow.cu";
    private const string ValueHeader = "kernels/value.cuh";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    /// <summary>NVRTC 11.8 needs about 2 s for this (a 195-deep template recursion): a wide window for the edit.</summary>
    private static string SlowKernelSource(string name, int extra = 0) =>
        "#include \"value.cuh\"\n" +
        "template <int N> struct Mix { __device__ static unsigned f(unsigned x) { return Mix<N - 1>::f(x * 2654435761u + N) ^ (x >> (N % 13)); } };\n" +
        "template <> struct Mix<0> { __device__ static unsigned f(unsigned x) { return x; } };\n" +
        $"extern \"C\" __global__ void {name}(unsigned* p)\n" +
        "{\n" +
        "    p[threadIdx.x] = Mix<195>::f(p[threadIdx.x]);\n" +
        $"    p[blockDim.x] = KB_VALUE + {extra};\n" +
        "}\n";

    private static string ValueHeaderSource(int value) => $"#pragma once\n#define KB_VALUE {value}\n";

    /// <summary>The constant stored by the kernel: `mov.u32 %r, N; st.global.u32 [...], %r;` or an immediate store.</summary>
    private static int StoredValue(string ptx)
    {
        Match match = Regex.Match(ptx, @"mov\.u32\s+%r\d+,\s*(\d+);");
        Assert.IsTrue(match.Success, "no constant in the PTX:\n" + ptx);
        return int.Parse(match.Groups[1].Value);
    }


    [TestMethod]
    public void HeaderSavedWhileItsKernelCompiles_IsRebuiltNextTime()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write(ValueHeader, ValueHeaderSource(1000));
        project.Write(SlowKernel, SlowKernelSource("slow"));
        ThrowawayProject.WaitPastTimestampGranularity(); // so the stamp-before-read rule itself is exercised

        BuildRun racing = BuildWhileEditing(project, SlowKernel, () => project.Write(ValueHeader, ValueHeaderSource(2000)));
        Assert.IsTrue(racing.Succeeded, racing.ToString());

        AssertNextBuildEqualsCleanBuild(project, [SlowKernel], expectedValue: 2000);
    }

    [TestMethod]
    public void KernelSourceSavedWhileItCompiles_IsRebuiltNextTime()
    {
        using var project = new ThrowawayProject(Arch);
        project.Write(ValueHeader, ValueHeaderSource(1000));
        project.Write(SlowKernel, SlowKernelSource("slow"));
        ThrowawayProject.WaitPastTimestampGranularity(); // so the stamp-before-read rule itself is exercised

        BuildRun racing = BuildWhileEditing(project, SlowKernel, () => project.Write(SlowKernel, SlowKernelSource("slow", extra: 5)));
        Assert.IsTrue(racing.Succeeded, racing.ToString());

        AssertNextBuildEqualsCleanBuild(project, [SlowKernel], expectedValue: 1005);
    }

    /// <summary>
    /// Two kernels read one header; on one lane they compile one after the other, and the header is saved between
    /// the two scans. The first kernel was built from the old text, the second from the new: the state must not
    /// record the new text as what both were built from.
    /// </summary>
    [TestMethod]
    public void HeaderSavedBetweenTwoKernelsScans_RebuildsTheOneBuiltFromTheOldText()
    {
        using var project = new ThrowawayProject(Arch + "<CudaMaxParallelism>1</CudaMaxParallelism>");
        project.Write(ValueHeader, ValueHeaderSource(1000));
        project.Write("kernels/a_slow.cu", SlowKernelSource("a_slow"));
        project.Write("kernels/b_slow.cu", SlowKernelSource("b_slow"));
        ThrowawayProject.WaitPastTimestampGranularity(); // so the stamp-before-read rule itself is exercised

        BuildRun racing = BuildWhileEditing(project, "kernels/a_slow.cu", () => project.Write(ValueHeader, ValueHeaderSource(2000)));
        Assert.IsTrue(racing.Succeeded, racing.ToString());

        AssertNextBuildEqualsCleanBuild(project, ["kernels/a_slow.cu", "kernels/b_slow.cu"], expectedValue: 2000);
    }

    /// <summary>
    /// Runs `dotnet build` and, once the log says <paramref name="kernel"/> is being compiled, lets the scan finish
    /// (milliseconds) and NVRTC start (it reads every file in its first few milliseconds, then spends seconds
    /// compiling), then runs <paramref name="edit"/>.
    /// </summary>
    private static BuildRun BuildWhileEditing(ThrowawayProject project, string kernel, Action edit)
    {
        using var build = Faults.BackgroundBuild.Start(project.ProjectFile);
        Assert.IsTrue(build.WaitForOutput("Compiling CUDA kernel " + kernel + " ", TimeSpan.FromMinutes(3)),
            "the build never compiled " + kernel + ":\n" + build.Output);
        Thread.Sleep(700);
        Assert.IsFalse(build.HasExited, "the slow kernel compiled too fast for the edit to race it:\n" + build.Output);
        edit();
        return build.Wait(TimeSpan.FromMinutes(3));
    }

    private static void AssertNextBuildEqualsCleanBuild(ThrowawayProject project, string[] kernels, int expectedValue)
    {
        BuildRun next = project.Build();
        Assert.IsTrue(next.Succeeded, next.ToString());
        CollectionAssert.IsSubsetOf(new[] { kernels[0] }, next.Compiled, "the kernel built from the old text must be rebuilt:\n" + next.Output);
        Dictionary<string, byte[]> incremental = OutputBytes(project);
        foreach (string kernel in kernels)
        {
            string ptx = File.ReadAllText(project.OutputOf(kernel[..^3] + ".compute_52.ptx"));
            Assert.AreEqual(expectedValue, StoredValue(ptx), kernel + " was not rebuilt from the final text");
        }

        BuildRun settled = project.Build();
        Assert.IsTrue(settled.Succeeded, settled.ToString());
        Assert.AreEqual(0, settled.Compiled.Count, "the build after the rebuild compiles nothing:\n" + settled.Output);

        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);
        BuildRun clean = project.Build();
        Assert.IsTrue(clean.Succeeded, clean.ToString());
        Dictionary<string, byte[]> fromClean = OutputBytes(project);
        CollectionAssert.AreEquivalent(fromClean.Keys.ToList(), incremental.Keys.ToList());
        foreach (var (path, bytes) in fromClean)
            CollectionAssert.AreEqual(bytes, incremental[path], path + " differs from a clean build's");
    }

    /// <summary>The images, .d files and manifest KernelBuild wrote (not its state, stamp or caches).</summary>
    private static Dictionary<string, byte[]> OutputBytes(ThrowawayProject project) =>
        Directory.EnumerateFiles(project.OutputFolder, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".ptx") || path.EndsWith(".cubin") || path.EndsWith(".d") || path.EndsWith(".manifest.json"))
            .ToDictionary(path => Path.GetRelativePath(project.OutputFolder, path), File.ReadAllBytes);
}
