namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// Kernels compiled in worker processes (which scan, compile and read signatures themselves) give the same outputs as
/// kernels compiled in the build process: images, dependency files and signature files, byte for byte.
/// </summary>
[TestClass]
public sealed class ParallelCompileTests
{
    [TestMethod]
    public void WorkerProcessesProduceTheSameOutputsAsOneProcess()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52;sm_80</CudaArchitectures>");
        project.Write("inc/scale.cuh", "#pragma once\n#include \"twice.cuh\"\n__device__ inline float scale(float x, int i) { return twice(x) * i; }\n");
        project.Write("inc/twice.cuh", "#pragma once\n__device__ inline float twice(float x) { return 2.0f * x; }\n");
        for (int i = 0; i < 6; i++)
        {
            project.Write($"k{i}.cu", $"#include \"inc/scale.cuh\"\nextern \"C\" __global__ void k{i}(float* p, int n) {{ if (threadIdx.x < n) p[threadIdx.x] = scale(sinf(p[threadIdx.x]), {i + 1}); }}\n");
        }

        BuildRun serial = project.Build("-p:CudaMaxParallelism=1", "-v:d");
        Assert.IsTrue(serial.Succeeded, serial.ToString());
        StringAssert.Contains(serial.Output, "Compiling on 1 lane(s).");
        var one = Outputs(project);

        Assert.IsTrue(project.Clean().Succeeded);
        BuildRun parallel = project.Build("-p:CudaMaxParallelism=3", "-v:d");

        Assert.IsTrue(parallel.Succeeded, parallel.ToString());
        StringAssert.Contains(parallel.Output, "Compiling on 3 lane(s) (worker processes");
        StringAssert.Contains(parallel.Output, "; the first lane in this one)", "few kernels: the first lane compiles in the build process");
        Assert.IsFalse(parallel.Output.Contains("compiling in process instead"), "a worker fell back:\n" + parallel.Output);
        var many = Outputs(project);
        CollectionAssert.AreEquivalent(one.Keys.ToList(), many.Keys.ToList());
        foreach (var (name, bytes) in one)
        {
            CollectionAssert.AreEqual(bytes, many[name], name + " differs between one process and worker processes");
        }
        Assert.AreEqual(25, one.Count, "6 kernels x (PTX + cubin + .d + signatures), and the signature index: " + string.Join(", ", one.Keys));
        string depfile = System.Text.Encoding.UTF8.GetString(one["k0.cu.d"]);
        StringAssert.Contains(depfile, "twice.cuh", "the scan followed the includes");
        StringAssert.Contains(System.Text.Encoding.UTF8.GetString(one["k0.cu.signatures"]), "float*", "the launchers' signatures were read");
    }

    [TestMethod]
    public void FromManyKernelsOnEveryLaneIsAWorkerProcess()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52</CudaArchitectures>");
        project.Write("twice.cuh", "#pragma once\n__device__ inline float twice(float x) { return 2.0f * x; }\n");
        for (int i = 0; i < Compiler.CompilerPool.AllWorkersFromKernels; i++)
        {
            project.Write($"k{i}.cu", $"#include \"twice.cuh\"\nextern \"C\" __global__ void k{i}(float* p) {{ p[threadIdx.x] = twice(p[threadIdx.x]) + {i}; }}\n");
        }

        BuildRun serial = project.Build("-p:CudaMaxParallelism=1", "-v:d");
        Assert.IsTrue(serial.Succeeded, serial.ToString());
        var one = Outputs(project);
        Assert.IsTrue(project.Clean().Succeeded);
        BuildRun parallel = project.Build("-p:CudaMaxParallelism=2", "-v:d");

        Assert.IsTrue(parallel.Succeeded, parallel.ToString());
        StringAssert.Contains(parallel.Output, "Compiling on 2 lane(s) (worker processes: NVRTC");
        Assert.IsFalse(parallel.Output.Contains("; the first lane in this one"), "every lane is a worker:\n" + parallel.Output);
        Assert.IsFalse(parallel.Output.Contains("compiling in process instead"), "a worker fell back:\n" + parallel.Output);
        var many = Outputs(project);
        CollectionAssert.AreEquivalent(one.Keys.ToList(), many.Keys.ToList());
        foreach (var (name, bytes) in one) CollectionAssert.AreEqual(bytes, many[name], name + " differs between one process and worker processes");
    }

    private static Dictionary<string, byte[]> Outputs(ThrowawayProject project) =>
        Directory.GetFiles(project.OutputFolder)
            .Where(f => f.EndsWith(".ptx") || f.EndsWith(".cubin") || f.EndsWith(".d") || f.EndsWith(".signatures"))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
}
