using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// Kernels that keep NVRTC busy for about half a second per architecture (on an idle machine) while producing a tiny PTX: constant
/// evaluation of a hash loop in the front end. A slow compile widens the windows the fault tests aim at
/// (kill while compiling, edit while compiling) without making the outputs large.
/// </summary>
internal static class SlowKernels
{
    public const string Header = "common/step.cuh";

    /// <summary>Two architectures (PTX and a cubin), C++17 for constexpr loops, two lanes on a 2-core machine.</summary>
    public const string Properties =
        "<CudaArchitectures>compute_52;sm_80</CudaArchitectures>" +
        "<CudaLanguageStandard>c++17</CudaLanguageStandard>" +
        "<CudaMaxParallelism>2</CudaMaxParallelism>" +
        // No compiler server: it would outlive a killed build and share state between iterations.
        "<UseSharedCompilation>false</UseSharedCompilation>";

    public static string KernelPath(int index) => $"slow{index}.cu";

    public static string StepHeader(int step) =>
        "#pragma once\n" +
        $"__device__ __forceinline__ unsigned step() {{ return {step}u; }}\n";

    /// <summary>
    /// A kernel that stores step() and its own offset as constants (so a test can read both from the PTX),
    /// after <paramref name="seeds"/> constant evaluations of <paramref name="rounds"/> hash rounds.
    /// </summary>
    public static string Kernel(int index, int offset = 0, int seeds = 2, int rounds = 800_000)
    {
        string sum = string.Join(" + ", Enumerable.Range(0, seeds).Select(k => $"Seed<{index * 100 + k}>::value"));
        return "#include \"common/step.cuh\"\n" +
            "\n" +
            "// Evaluated by the compiler's front end: slow to compile, a single constant in the PTX.\n" +
            "__device__ constexpr unsigned mix(unsigned seed, unsigned rounds)\n" +
            "{\n" +
            "    unsigned h = 2166136261u ^ seed;\n" +
            "    for (unsigned i = 0; i < rounds; ++i) h = (h ^ i) * 16777619u;\n" +
            "    return h;\n" +
            "}\n" +
            $"template <unsigned K> struct Seed {{ static constexpr unsigned value = mix(K, {rounds}u); }};\n" +
            "\n" +
            $"extern \"C\" __global__ void slow{index}(unsigned* p)\n" +
            "{\n" +
            "    p[0] = step();\n" +
            $"    p[1] = {offset}u;\n" +
            $"    p[2 + threadIdx.x] += {sum};\n" +
            "}\n";
    }

    public static void Write(ThrowawayProject project, int kernels, int step)
    {
        project.Write(Header, StepHeader(step));
        for (int i = 0; i < kernels; i++) project.Write(KernelPath(i), Kernel(i));
    }

    /// <summary>Whether the PTX loads this constant into a register (`mov.u32 %r1, 7;`), as it does to store it.</summary>
    public static bool StoresConstant(string ptx, long value) =>
        System.Text.RegularExpressions.Regex.IsMatch(ptx, @"mov\.u32\s+%r\d+,\s*" + value + ";");
}
