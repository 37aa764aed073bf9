using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Packaging;

/// <summary>
/// The compile worker as the package lays it out: found beside whichever task assembly MSBuild loaded, wherever that
/// folder is; and when it cannot be started (in Visual Studio, no `dotnet` on PATH), compiles happen in the build
/// process, said once at normal verbosity.
/// </summary>
[TestClass]
public sealed class WorkerLayoutTests
{
    [TestMethod]
    public void WorkerBesideACopiedTaskAssemblyIsUsed()
    {
        RequireWorkerProcesses();
        string tasks = CopyTaskFolder();
        try
        {
            using var project = ProjectWithKernels(Path.Combine(tasks, "KernelBuild.Tasks.dll"));

            BuildRun build = project.Build("-p:CudaMaxParallelism=3", "-v:d");

            Assert.IsTrue(build.Succeeded, build.ToString());
            StringAssert.Contains(build.Output, "Compiling on 3 lane(s) (worker processes");
            Assert.IsFalse(build.Output.Contains("compiling in process instead", StringComparison.Ordinal), build.Output);
        }
        finally
        {
            Directory.Delete(tasks, recursive: true);
        }
    }

    [TestMethod]
    public void WorkerThatCannotStartFallsBackInProcessAndSaysSoOnce()
    {
        RequireWorkerProcesses();
        string tasks = CopyTaskFolder();
        try
        {
            // `dotnet exec` of something that is no assembly exits at once, as a worker does that cannot start.
            File.WriteAllText(Path.Combine(tasks, CompilerPool.WorkerFileName), "not an assembly");
            using var project = ProjectWithKernels(Path.Combine(tasks, "KernelBuild.Tasks.dll"));

            BuildRun build = project.Build("-p:CudaMaxParallelism=3");

            Assert.IsTrue(build.Succeeded, build.ToString());
            int said = build.Output.Split("compiling in process instead").Length - 1;
            Assert.AreEqual(1, said, "the fallback is logged once per build at normal verbosity:\n" + build.Output);
            Assert.AreEqual(6, project.EmbeddedResources().Count(r => r.EndsWith(".ptx", StringComparison.Ordinal)), "every kernel still compiled");
        }
        finally
        {
            Directory.Delete(tasks, recursive: true);
        }
    }

    /// <summary>From NVRTC 12.3 every lane is a thread and no worker is started.</summary>
    private static void RequireWorkerProcesses()
    {
        Requirements.Nvrtc();
        if (NvrtcLibrary.Load(NvrtcLocator.ForThisMachine().Locate(null)).CompilesConcurrently)
        {
            Assert.Inconclusive("this NVRTC compiles concurrently in one process; no worker is started");
        }
    }

    private static ThrowawayProject ProjectWithKernels(string tasksAssembly)
    {
        var project = new ThrowawayProject($"<CudaArchitectures>compute_52</CudaArchitectures>\n<KernelBuildTasksAssembly>{tasksAssembly}</KernelBuildTasksAssembly>");
        for (int i = 0; i < 6; i++)
        {
            project.Write($"kernels/k{i}.cu", $"extern \"C\" __global__ void k{i}(float* p) {{ p[threadIdx.x] *= {i + 1}; }}\n");
        }
        return project;
    }

    /// <summary>The task assembly's build output, worker included, copied where no repository path leads.</summary>
    private static string CopyTaskFolder()
    {
        string target = Path.Combine(Path.GetTempPath(), "kb-tasks-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(ThrowawayProject.TasksAssembly)!))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        return target;
    }
}
