namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// The typed launchers end to end with the real `dotnet build` and NVRTC: the signatures the compile task writes
/// resolve typedefs, macros, namespaces, const and template instantiations as the compiler did, the generator turns
/// them into a class the project's code compiles against, and an unsupported parameter is a warning.
/// </summary>
[TestClass]
public sealed class KernelSignatureTests
{
    private const string Kernel = """
        typedef float real;
        #define INDEX_T long long
        namespace geo { struct Point { float x; float y; }; }
        extern "C" __global__ void saxpy(real a, const float* x, float* y, INDEX_T n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = a * x[i] + y[i];
        }
        extern "C" __global__ void move(geo::Point* points, geo::Point by, int count)
        { int i = threadIdx.x; if (i < count) { points[i].x += by.x; points[i].y += by.y; } }

        template <typename T> __global__ void scale(T* data, T factor, int n)
        { int i = threadIdx.x; if (i < n) data[i] *= factor; }
        template __global__ void scale<float>(float*, float, int);
        template __global__ void scale<double>(double*, double, int);

        """;

    private const string Use = """
        using KernelBuild.Runtime;
        namespace App;
        public static class Use
        {
            public static void Run(CudaGpu gpu, DeviceBuffer<float> x, DeviceBuffer<float> y, DeviceBuffer<double> d)
            {
                using SaxpyKernels kernels = SaxpyKernels.Load(gpu);
                kernels.Saxpy(LaunchShape.For1D(1024), 2.0f, x, y, 1024L);
                kernels.Scale(LaunchShape.For1D(1024), y, 0.5f, 1024);
                kernels.Scale(LaunchShape.For1D(1024), d, 0.5, 1024);
            }
        }
        """;

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    private static ThrowawayProject CreateProject(string? extraItems = null)
    {
        string configuration = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(ThrowawayProject.TasksAssembly))!)!;
        string generator = Path.Combine(ThrowawayProject.RepositoryRoot, "src", "Generator", "bin", configuration, "netstandard2.0", "KernelBuild.Generator.dll");
        string runtime = typeof(KernelBuild.Runtime.CudaGpu).Assembly.Location;
        var project = new ThrowawayProject(
            "<CudaArchitectures>compute_52</CudaArchitectures><RootNamespace>App</RootNamespace><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>",
            $"<Analyzer Include=\"{generator}\" /><Reference Include=\"{runtime}\" />{extraItems}");
        project.Write("kernels/saxpy.cu", Kernel);
        project.Write("Program.cs", Use);
        return project;
    }

    [TestMethod]
    public void Build_WritesTheCompilersSignatures_AndTheGeneratedLaunchersCompile()
    {
        using ThrowawayProject project = CreateProject();

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        string[] lines = File.ReadAllLines(project.OutputOf("kernels/saxpy.cu.signatures"));
        string[] expected =
        [
            "kernelbuild-signatures\t1",
            "source\tkernels/saxpy.cu\t" + project.PathOf("kernels/saxpy.cu"),
            "entry\t_Z5scaleIdEvPT_S0_i\tscale<double>\t12\ttemplate <typename T> __global__ void scale(T* data, T factor, int n)",
            "param\tdata\t8\t8\tdouble*\tpointer mutable builtin double",
            "param\tfactor\t8\t8\tdouble\tbuiltin double",
            "param\tn\t4\t4\tint\tbuiltin int",
            "entry\t_Z5scaleIfEvPT_S0_i\tscale<float>\t12\ttemplate <typename T> __global__ void scale(T* data, T factor, int n)",
            "param\tdata\t8\t8\tfloat*\tpointer mutable builtin float",
            "param\tfactor\t4\t4\tfloat\tbuiltin float",
            "param\tn\t4\t4\tint\tbuiltin int",
            "entry\tmove\tmove\t9\textern \"C\" __global__ void move(geo::Point* points, geo::Point by, int count)",
            "param\tpoints\t8\t8\tgeo::Point*\tpointer mutable named geo::Point",
            "param\tby\t8\t4\tgeo::Point\tnamed geo::Point",
            "param\tcount\t4\t4\tint\tbuiltin int",
            "entry\tsaxpy\tsaxpy\t4\textern \"C\" __global__ void saxpy(real a, const float* x, float* y, INDEX_T n)",
            "param\ta\t4\t4\tfloat\tbuiltin float",
            "param\tx\t8\t8\tconst float*\tpointer const builtin float",
            "param\ty\t8\t8\tfloat*\tpointer mutable builtin float",
            "param\tn\t8\t8\tlong long\tbuiltin long long",
        ];
        Assert.AreEqual(string.Join("\n", expected), string.Join("\n", lines));
        StringAssert.Contains(run.Output, "kernels/saxpy.cu(9,1): warning KB5101: Parameter 'points' of CUDA kernel move gets no typed launcher");
    }

    [TestMethod]
    public void SignatureChange_RegeneratesTheLauncher()
    {
        using ThrowawayProject project = CreateProject();
        Assert.IsTrue(project.Build().Succeeded);

        project.Write("kernels/saxpy.cu", Kernel.Replace("INDEX_T n)", "int n)", StringComparison.Ordinal));
        project.Write("Program.cs", Use.Replace("1024L", "(long)1024", StringComparison.Ordinal));
        BuildRun run = project.Build();

        // The launcher now takes an int: passing a long is the C# compiler's error, from the regenerated code.
        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "error CS1503");
        StringAssert.Contains(File.ReadAllText(project.OutputOf("kernels/saxpy.cu.signatures")), "param\tn\t4\t4\tint\tbuiltin int");
    }

    [TestMethod]
    public void NamespaceAndClassNameMetadata_NameTheirLauncher_TheOtherKernelsKeepTheDefaults()
    {
        // Only items that set Namespace or ClassName reach the generator as sources (a no-op cost, see the targets);
        // the kernel without them must still get its default class in RootNamespace.
        using ThrowawayProject project = CreateProject("<CudaKernel Update=\"kernels/saxpy.cu\" Namespace=\"Gpu.Blas\" ClassName=\"Blas\" />");
        project.Write("kernels/fill.cu", "extern \"C\" __global__ void fill(float* data, float value, int n) { int i = threadIdx.x; if (i < n) data[i] = value; }\n");
        project.Write("Program.cs", """
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(CudaGpu gpu, DeviceBuffer<float> x, DeviceBuffer<float> y)
                {
                    using Gpu.Blas.Blas blas = Gpu.Blas.Blas.Load(gpu);
                    blas.Saxpy(LaunchShape.For1D(1024), 2.0f, x, y, 1024L);
                    using FillKernels fill = FillKernels.Load(gpu);
                    fill.Fill(LaunchShape.For1D(1024), y, 0.5f, 1024);
                }
            }
            """);

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
    }

    [TestMethod]
    public void SignatureFiles_ComeFromTheCheckInABuild_AndFromTheOutputFolderInADesignTimeBuild()
    {
        using ThrowawayProject project = CreateProject();
        Assert.IsTrue(project.Build().Succeeded);
        string signatures = project.OutputOf("kernels/saxpy.cu.signatures");
        // A file the check does not name: a build must not pick it up, a design-time build (no check) does.
        File.Copy(signatures, project.OutputOf("kernels/stray.cu.signatures"));

        BuildRun build = project.Build("-t:CompileCudaKernels;_CudaKernels_AddLauncherInputs", "-getItem:AdditionalFiles");
        BuildRun designTime = project.Build("-t:CompileCudaKernels;_CudaKernels_AddLauncherInputs", "-p:DesignTimeBuild=true", "-getItem:AdditionalFiles");

        Assert.IsTrue(build.Succeeded, build.ToString());
        CollectionAssert.AreEqual(new[] { signatures }, AdditionalFilesNamed(build, ".signatures"), build.Output);
        Assert.IsTrue(designTime.Succeeded, designTime.ToString());
        CollectionAssert.AreEquivalent(new[] { signatures, project.OutputOf("kernels/stray.cu.signatures") },
            AdditionalFilesNamed(designTime, ".signatures"), designTime.Output);
    }

    /// <summary>The AdditionalFiles items that -getItem printed, by full path, whose names end so.</summary>
    private static string[] AdditionalFilesNamed(BuildRun run, string ending)
    {
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        return json.RootElement.GetProperty("Items").GetProperty("AdditionalFiles").EnumerateArray()
            .Select(item => item.GetProperty("FullPath").GetString()!)
            .Where(path => path.EndsWith(ending, StringComparison.Ordinal))
            .ToArray();
    }

    [TestMethod]
    public void CudaGenerateLaunchersFalse_GeneratesNothing()
    {
        using ThrowawayProject project = CreateProject();
        project.Write("Program.cs", "public static class Anchor { }\n");

        BuildRun run = project.Build("-p:CudaGenerateLaunchers=false");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsFalse(run.Output.Contains("KB5101", StringComparison.Ordinal), run.Output);
        Assert.AreEqual(0, Directory.GetFiles(project.Directory, "*.Launchers.g.cs", SearchOption.AllDirectories).Length);
    }
}
