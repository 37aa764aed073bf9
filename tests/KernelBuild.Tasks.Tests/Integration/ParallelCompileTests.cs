namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>Compiles spread over worker processes give the same bytes as compiles in one process.</summary>
[TestClass]
public sealed class ParallelCompileTests
{
    [TestMethod]
    public void WorkerProcessesProduceTheSameImagesAsOneProcess()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52;sm_80</CudaArchitectures>");
        for (int i = 0; i < 6; i++)
        {
            project.Write($"k{i}.cu", $"extern \"C\" __global__ void k{i}(float* p) {{ p[threadIdx.x] = sinf(p[threadIdx.x]) * {i + 1}; }}\n");
        }

        BuildRun serial = project.Build("-p:CudaMaxParallelism=1", "-v:d");
        Assert.IsTrue(serial.Succeeded, serial.ToString());
        StringAssert.Contains(serial.Output, "Compiling on 1 lane(s).");
        var one = Images(project);

        Assert.IsTrue(project.Clean().Succeeded);
        BuildRun parallel = project.Build("-p:CudaMaxParallelism=3", "-v:d");

        Assert.IsTrue(parallel.Succeeded, parallel.ToString());
        StringAssert.Contains(parallel.Output, "Compiling on 3 lane(s) (worker processes");
        Assert.IsFalse(parallel.Output.Contains("compiling in process instead"), "a worker fell back:\n" + parallel.Output);
        var many = Images(project);
        CollectionAssert.AreEquivalent(one.Keys.ToList(), many.Keys.ToList());
        foreach (var (name, bytes) in one)
        {
            CollectionAssert.AreEqual(bytes, many[name], name + " differs between one process and worker processes");
        }
        Assert.AreEqual(12, one.Count, "6 kernels x (PTX + cubin)");
    }

    private static Dictionary<string, byte[]> Images(ThrowawayProject project) =>
        Directory.GetFiles(project.OutputFolder).Where(f => f.EndsWith(".ptx") || f.EndsWith(".cubin"))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
}
