namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// User structs end to end with the real `dotnet build` and NVRTC: the compile writes the C++ struct's PTX size and
/// alignment into the signature file, the generator checks a [CudaStruct] C# struct against them, and either the
/// launcher taking the struct (and buffers of it) compiles, or the build fails with KB5104 at the kernel's line.
/// </summary>
[TestClass]
public sealed class CudaStructLauncherTests
{
    private const string Kernel = """
        namespace ns
        {
        struct Particle { float x, y; int id; };
        struct Segment { Particle a, b; float2 dir; };
        struct __align__(16) Padded { float x, y, z; };
        }

        extern "C" __global__ void step(ns::Particle p, const ns::Particle* input, ns::Particle* output, int n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) { output[i] = input[i]; output[i].x += p.x; output[i].y += p.y; output[i].id = p.id; }
        }

        extern "C" __global__ void place(char tag, ns::Particle p, double scale, ns::Segment s, ns::Padded q)
        {
        }

        """;

    private const string Structs = """
        using System.Runtime.InteropServices;
        using KernelBuild.Runtime;
        namespace App;

        [CudaStruct("ns::Particle")]
        public struct Particle { public float X; public float Y; public int Id; }

        [CudaStruct("ns::Segment")]
        public struct Segment { public Particle A; public Particle B; public Float2 Dir; }

        [CudaStruct("ns::Padded", Alignment = 16)]
        [StructLayout(LayoutKind.Sequential, Size = 16)]
        public struct Padded { public float X; public float Y; public float Z; }
        """;

    private const string Use = """
        using KernelBuild.Runtime;
        namespace App;
        public static class Use
        {
            public static void Run(CudaGpu gpu, DeviceBuffer<Particle> input, DeviceBuffer<Particle> output, CudaStream stream)
            {
                using ParticlesKernels kernels = ParticlesKernels.Load(gpu);
                kernels.Step(LaunchShape.For1D(1024), new Particle { X = 1, Y = 2, Id = 3 }, input, output, 1024);
                kernels.Step(4, 256, default, new ReadOnlyDeviceBuffer<Particle>(input), output, 1024);
                kernels.Place(new LaunchConfiguration(1, 1), stream, (sbyte)1, default, 0.5, default(Segment), default(Padded));
            }
        }
        """;

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    private static ThrowawayProject CreateProject(string structs)
    {
        string configuration = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(ThrowawayProject.TasksAssembly))!)!;
        string generator = Path.Combine(ThrowawayProject.RepositoryRoot, "src", "Generator", "bin", configuration, "netstandard2.0", "KernelBuild.Generator.dll");
        string runtime = typeof(KernelBuild.Runtime.CudaGpu).Assembly.Location;
        var project = new ThrowawayProject(
            "<CudaArchitectures>compute_52</CudaArchitectures><RootNamespace>App</RootNamespace><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>",
            $"<Analyzer Include=\"{generator}\" /><Reference Include=\"{runtime}\" />");
        project.Write("kernels/particles.cu", Kernel);
        project.Write("Structs.cs", structs);
        project.Write("Program.cs", Use);
        return project;
    }

    [TestMethod]
    public void MatchingStructs_GetLaunchersThatCompile_WithTheCompilersLayouts()
    {
        using ThrowawayProject project = CreateProject(Structs);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        string[] lines = File.ReadAllLines(project.OutputOf("kernels/particles.cu.signatures"));
        // The layouts the generator tests (Signatures.Particles, Signatures.ByValueStructs) take from NVRTC 11.8.
        CollectionAssert.IsSubsetOf(new[]
        {
            "param\tp\t12\t4\tns::Particle\tnamed ns::Particle",
            "param\tinput\t8\t8\tconst ns::Particle*\tpointer const named ns::Particle",
            "param\toutput\t8\t8\tns::Particle*\tpointer mutable named ns::Particle",
            "param\ts\t32\t8\tns::Segment\tnamed ns::Segment",
            "param\tq\t16\t16\tns::Padded\tnamed ns::Padded",
        }, lines, string.Join("\n", lines));
        string launchers = File.ReadAllText(Directory.GetFiles(project.Directory, "kernels_particles_cu.Launchers.g.cs", SearchOption.AllDirectories).Single());
        StringAssert.Contains(launchers,
            "public void Step(in global::KernelBuild.Runtime.LaunchConfiguration configuration, in global::App.Particle p, "
            + "global::KernelBuild.Runtime.ReadOnlyDeviceBuffer<global::App.Particle> input, global::KernelBuild.Runtime.DeviceBuffer<global::App.Particle> output, int n)");
        Assert.IsFalse(run.Output.Contains("KB510", StringComparison.Ordinal), run.Output);
    }

    [TestMethod]
    public void WronglySizedStruct_FailsTheBuildWithKB5104_AtTheKernelsLine()
    {
        using ThrowawayProject project = CreateProject(Structs.Replace(
            "public struct Particle { public float X; public float Y; public int Id; }",
            "public struct Particle { public float X; public float Y; }", StringComparison.Ordinal));
        project.Write("Program.cs", "public static class Anchor { }\n");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output,
            "kernels/particles.cu(8,1): error KB5104: Parameter 'p' of CUDA kernel step gets no typed launcher: the CUDA compiler gives ns::Particle 12 bytes aligned to 4, "
            + "but the C# struct App.Particle mapped to it by [CudaStruct] has 8 bytes aligned to 4.");
        Assert.IsFalse(run.Output.Contains("MSB4018", StringComparison.Ordinal), run.Output);
    }
}
