using System.Text;
using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests.Integration.FaultInjection;

/// <summary>
/// A failing NVRTC call is one kernel's build error with NVRTC's own text, on either kind of compile lane:
/// the other kernels are built, no exception escapes the task (MSB4018), and the next build compiles only the
/// kernels that failed. NVRTC is the real one behind a stand-in that fails one call on request.
/// </summary>
[TestClass]
public sealed class FaultInjectionTests
{
    private const string Architectures = "<CudaArchitectures>compute_52;sm_80</CudaArchitectures>";
    private static readonly string s_ptxFails = FaultyNvrtc.Fault("nvrtcGetPTX", NvrtcResult.InternalError, "broken");

    [TestMethod]
    public void FailedNvrtcCallInProcessFailsOnlyItsKernel() =>
        FailedNvrtcCallFailsOnlyItsKernel(lanes: 1, brokenKernels: 1, expectedLanes: "Compiling on 1 lane(s).");

    [TestMethod]
    public void FailedNvrtcCallInWorkerProcessesFailsOnlyItsKernels() =>
        // Which lane gets which kernel is up to the scheduler: several broken kernels make both lanes likely to
        // meet one, and WorkerProcessSendsTheFailureBack covers the worker deterministically.
        FailedNvrtcCallFailsOnlyItsKernel(lanes: 2, brokenKernels: 3, expectedLanes: "Compiling on 2 lane(s) (worker processes");

    [TestMethod]
    public void WorkerProcessSendsTheFailureBack()
    {
        string standIn = FaultyNvrtc.Path;
        using var project = new ThrowawayProject();
        string broken = project.Write("broken.cu", Kernel("broken"));
        string good = project.Write("good.cu", Kernel("good"));
        string worker = Path.Combine(Path.GetDirectoryName(ThrowawayProject.TasksAssembly)!, CompilerPool.WorkerFileName);
        Assert.IsTrue(File.Exists(worker), "the worker is built beside the task assembly: " + worker);

        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(worker);
        start.Environment[FaultyNvrtc.Variable] = s_ptxFails;
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            using var requests = new BinaryWriter(process.StandardInput.BaseStream, Encoding.UTF8, leaveOpen: true);
            using var responses = new BinaryReader(process.StandardOutput.BaseStream, Encoding.UTF8, leaveOpen: true);
            Assert.AreEqual(WorkerProtocol.Hello, responses.ReadString());

            KernelCompileResult failed = Compile(requests, responses, standIn, broken);
            Assert.IsFalse(failed.Succeeded);
            KernelFault fault = failed.Faults.Single();
            Assert.AreEqual("KB2003", fault.Code, "the NVRTC failure comes back as the kernel's error");
            StringAssert.Contains(fault.Message, "nvrtcGetPTX returned NVRTC_ERROR_INTERNAL_ERROR (nvrtcResult 11)", "NVRTC's own text for the result");
            Assert.AreEqual(broken, failed.Dependencies?.Files[0].Path, "the worker scanned the kernel before compiling it");

            KernelCompileResult missing = Compile(requests, responses, standIn, project.PathOf("gone.cu"));
            Assert.IsFalse(missing.Succeeded);
            Assert.AreEqual("KB1005", missing.Faults.Single().Code);
            StringAssert.Contains(missing.Faults.Single().Message, "gone.cu");

            KernelCompileResult built = Compile(requests, responses, standIn, good);
            Assert.IsTrue(built.Succeeded, "the worker keeps serving after a failure: " + string.Join("; ", built.Faults.Select(f => f.Message)));
            Assert.IsTrue(built.Images.Single().Value.Length > 0, "the PTX comes back");
            CollectionAssert.AreEqual(new[] { "good" }, built.EntryPoints);
            Assert.AreEqual(good, built.Dependencies!.Files.Single().Path);
        }
        finally
        {
            process.StandardInput.Close(); // the worker exits at the end of its input
            if (!process.WaitForExit(10_000)) process.Kill();
        }
    }

    private static void FailedNvrtcCallFailsOnlyItsKernel(int lanes, int brokenKernels, string expectedLanes)
    {
        using var project = new ThrowawayProject(Architectures + $"<NvrtcPath>{FaultyNvrtc.Path}</NvrtcPath>");
        var broken = Enumerable.Range(0, brokenKernels).Select(i => $"broken{i}").ToList();
        var good = Enumerable.Range(0, 3).Select(i => $"good{i}").ToList();
        foreach (string name in broken.Concat(good)) project.Write(name + ".cu", Kernel(name));

        BuildRun faulty = BuildWithFault(project, s_ptxFails, $"-p:CudaMaxParallelism={lanes}", "-v:d");

        Assert.IsFalse(faulty.Succeeded, faulty.ToString());
        StringAssert.Contains(faulty.Output, expectedLanes);
        Assert.IsFalse(faulty.Output.Contains("compiling in process instead"), "a worker fell back:\n" + faulty);
        AssertNoCrash(faulty);
        foreach (string name in broken)
        {
            string error = ErrorLine(faulty, project.PathOf(name + ".cu"), "KB2003");
            StringAssert.Contains(error, "nvrtcGetPTX returned NVRTC_ERROR_INTERNAL_ERROR (nvrtcResult 11)");
            Assert.IsFalse(File.Exists(project.OutputOf(name + ".compute_52.ptx")), name + " must leave no image");
        }
        CollectionAssert.AreEquivalent(broken.Select(name => project.PathOf(name + ".cu")).ToList(), FilesWithError(faulty, "KB2003"),
            "one error per failed kernel, whichever lane:\n" + faulty);
        foreach (string name in good)
        {
            Assert.IsTrue(File.Exists(project.OutputOf(name + ".compute_52.ptx")) && File.Exists(project.OutputOf(name + ".sm_80.cubin")),
                name + " is still built:\n" + faulty);
        }

        BuildRun repaired = BuildWithFault(project, null, $"-p:CudaMaxParallelism={lanes}", "-v:d");

        Assert.IsTrue(repaired.Succeeded, repaired.ToString());
        foreach (string name in broken) StringAssert.Contains(repaired.Output, $"Compiling CUDA kernel {name}.cu");
        foreach (string name in good) Assert.IsFalse(repaired.Output.Contains($"Compiling CUDA kernel {name}.cu"), name + " was current:\n" + repaired);
        Assert.IsTrue(broken.All(name => File.Exists(project.OutputOf(name + ".sm_80.cubin"))));
    }

    private static KernelCompileResult Compile(BinaryWriter requests, BinaryReader responses, string library, string source)
    {
        Assert.IsTrue(TargetArchitecture.TryParse("compute_52", out TargetArchitecture? architecture));
        var settings = new KernelCompileSettings { SourcePath = source, RelativePath = Path.GetFileName(source), Architectures = [architecture!] };
        WorkerProtocol.WriteRequest(requests, library, settings);
        return WorkerProtocol.ReadResult(responses, settings);
    }

    internal static string Kernel(string name) => $"extern \"C\" __global__ void {name}(float* p) {{ p[threadIdx.x] *= 2.0f; }}\n";

    /// <summary>`dotnet build` of the project with the stand-in's fault set (or not, when null).</summary>
    internal static BuildRun BuildWithFault(ThrowawayProject project, string? fault, params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        };
        if (fault != null) environment[FaultyNvrtc.Variable] = fault;
        var (exitCode, output) = ExternalTool.Run("dotnet", ["build", project.ProjectFile, "-nodeReuse:false", "-v:n", "-clp:NoSummary", .. arguments],
            Path.GetTempPath(), TimeSpan.FromMinutes(5), environment);
        return new BuildRun(exitCode, output);
    }

    /// <summary>No exception escaped a task: MSBuild would say MSB4018 and print the stack.</summary>
    internal static void AssertNoCrash(BuildRun run)
    {
        Assert.IsFalse(run.Output.Contains("MSB4018"), "a task threw:\n" + run);
        Assert.IsFalse(run.Output.Contains("   at KernelBuild."), "a stack trace was printed:\n" + run);
    }

    /// <summary>The canonical error line for <paramref name="file"/> with <paramref name="code"/>; fails when there is none.</summary>
    internal static string ErrorLine(BuildRun run, string file, string code)
    {
        // MSBuild writes "file : error" without a line and "file(12): error" with one.
        var canonical = new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(file) + @"(\(\d+(,\d+)?\))? ?: error " + code + ":");
        string? line = run.Output.Split('\n').FirstOrDefault(canonical.IsMatch);
        Assert.IsNotNull(line, $"no '{file}: error {code}:' in:\n{run}");
        return line;
    }

    /// <summary>The distinct files with a <paramref name="code"/> error (MSBuild repeats errors in its summary).</summary>
    internal static List<string> FilesWithError(BuildRun run, string code) =>
        System.Text.RegularExpressions.Regex.Matches(run.Output, @"(?m)(/\S+?)(\(\d+(,\d+)?\))? ?: error " + code + ":")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
}
