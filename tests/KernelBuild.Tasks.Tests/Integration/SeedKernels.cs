namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>The seed story's sources: a kernel in one file calling a device function from a header.</summary>
internal static class SeedKernels
{
    public const string Kernel = "kernels/increment.cu";
    public const string Header = "kernels/device/step.cuh";

    public static string StepHeader(int step) =>
        "#pragma once\n" +
        "// The step every element is incremented by.\n" +
        $"__device__ __forceinline__ int step() {{ return {step}; }}\n";

    public const string IncrementKernel =
        "#include \"device/step.cuh\"\n" +
        "\n" +
        "extern \"C\" __global__ void increment(int* data, int n)\n" +
        "{\n" +
        "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n" +
        "    if (i < n) data[i] += step();\n" +
        "}\n";

    public static void WriteSeed(ThrowawayProject project, int step = 1)
    {
        project.Write(Header, StepHeader(step));
        project.Write(Kernel, IncrementKernel);
    }

    /// <summary>The constant the increment kernel adds, read from PTX (`add.s32 %r, %r, N;`).</summary>
    public static int StepInPtx(string ptx)
    {
        var match = System.Text.RegularExpressions.Regex.Match(ptx, @"add\.s32\s+%r\d+,\s*%r\d+,\s*(-?\d+);");
        Assert.IsTrue(match.Success, "no add.s32 with a constant in the PTX:\n" + ptx);
        return int.Parse(match.Groups[1].Value);
    }
}
