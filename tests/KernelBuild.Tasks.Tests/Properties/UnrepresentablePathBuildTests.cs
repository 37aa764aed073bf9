using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Properties;

/// <summary>A header path the .d file cannot hold fails the real build with KB4002, not a stack trace.</summary>
[TestClass]
public sealed class UnrepresentablePathBuildTests
{
    [TestMethod]
    public void HeaderWithATabInItsNameFailsWithKB4002()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject("<CudaArchitectures>compute_52</CudaArchitectures>");
        project.Write("tab\there.cuh", "#pragma once\n__device__ int odd() { return 3; }\n");
        project.Write("k.cu", "#include \"tab\there.cuh\"\nextern \"C\" __global__ void k(int* p) { p[0] = odd(); }\n");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, project.PathOf("k.cu") + " : error KB4002: The path '", run.ToString());
        StringAssert.Contains(run.Output, "tab\\there.cuh' cannot be written to a Make dependency file: it contains a line break, tab or NUL character.", run.ToString());
        Assert.IsFalse(run.Output.Contains("MSB4018"), run.ToString());
        Assert.IsFalse(File.Exists(project.OutputOf("k.cu.d")), "no .d file that make would misread");
    }
}
