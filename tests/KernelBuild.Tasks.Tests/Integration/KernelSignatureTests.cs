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
    public void SignatureIndex_IsTheGeneratorsOneInput_FromTheCheckOrTheOutputFolder_AndIsRewrittenWhenDamaged()
    {
        using ThrowawayProject project = CreateProject();
        project.Write("kernels/fill.cu", "extern \"C\" __global__ void fill(int* a, int v) { a[threadIdx.x] = v; }\n");
        Assert.IsTrue(project.Build().Succeeded);
        string index = project.OutputOf("KernelBuild.signatures");
        // Each kernel's signature file, one after the other, in the order of their paths.
        string expected = string.Concat(new[] { "kernels/fill.cu.signatures", "kernels/saxpy.cu.signatures" }.Select(f => File.ReadAllText(project.OutputOf(f))));
        Assert.AreEqual(expected, File.ReadAllText(index));

        BuildRun build = project.Build("-t:CompileCudaKernels;_CudaKernels_AddLauncherInputs", "-getItem:AdditionalFiles");
        BuildRun designTime = project.Build("-t:CompileCudaKernels;_CudaKernels_AddLauncherInputs", "-p:DesignTimeBuild=true", "-getItem:AdditionalFiles");

        Assert.IsTrue(build.Succeeded, build.ToString());
        CollectionAssert.AreEqual(new[] { index }, AdditionalFilesNamed(build, ".signatures"), build.Output);
        Assert.IsTrue(designTime.Succeeded, designTime.ToString());
        CollectionAssert.AreEqual(new[] { index }, AdditionalFilesNamed(designTime, ".signatures"), designTime.Output);

        foreach (Action damage in new Action[] { () => File.WriteAllText(index, "edited by hand\n"), () => File.Delete(index) })
        {
            damage();
            BuildRun again = project.Build();
            Assert.IsTrue(again.Succeeded, again.ToString());
            Assert.IsFalse(again.Output.Contains("Compiling CUDA kernel", StringComparison.Ordinal), "the index is rewritten without compiling:\n" + again.Output);
            Assert.AreEqual(expected, File.ReadAllText(index));
        }
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

    [TestMethod]
    public void GenerateLauncherMetadata_TakesOneKernelsLauncherAway_OrGivesOneWhenTheProjectHasNone()
    {
        // The metadata comes from a property, so that one project can be built with each value in turn.
        using ThrowawayProject project = CreateProject("<CudaKernel Update=\"kernels/fill.cu\" GenerateLauncher=\"$(FillLauncher)\" />");
        project.Write("kernels/fill.cu", "extern \"C\" __global__ void fill(float* data, float value, int n) { int i = threadIdx.x; if (i < n) data[i] = value; }\n");
        const string UseFill = """
            using KernelBuild.Runtime;
            namespace App;
            public static class UseFill
            {
                public static void Run(CudaGpu gpu, DeviceBuffer<float> y)
                {
                    using FillKernels fill = FillKernels.Load(gpu);
                    fill.Fill(LaunchShape.For1D(1024), y, 0.5f, 1024);
                }
            }
            """;

        // Off for fill: saxpy keeps its class, fill has none and is not in the generator's input.
        BuildRun off = project.Build("-p:FillLauncher=false");
        Assert.IsTrue(off.Succeeded, off.ToString());
        CollectionAssert.AreEqual(new[] { "kernels_saxpy_cu.Launchers.g.cs" }, GeneratedLauncherFiles(project), off.Output);
        string index = File.ReadAllText(project.OutputOf("KernelBuild.signatures"));
        Assert.IsFalse(index.Contains("kernels/fill.cu", StringComparison.Ordinal), index);
        project.Write("UseFill.cs", UseFill);
        BuildRun missing = project.Build("-p:FillLauncher=false");
        Assert.IsFalse(missing.Succeeded, missing.ToString());
        StringAssert.Contains(missing.Output, "error CS0246: The type or namespace name 'FillKernels'");
        Assert.IsFalse(missing.Output.Contains("Compiling CUDA kernel", StringComparison.Ordinal), "nothing changed for the kernels:\n" + missing.Output);

        // Empty: the project's default (on). Only fill is compiled again: the setting is part of its fingerprint alone.
        BuildRun back = project.Build("-p:FillLauncher=");
        Assert.IsTrue(back.Succeeded, back.ToString());
        StringAssert.Contains(back.Output, "Compiling CUDA kernel kernels/fill.cu");
        Assert.IsFalse(back.Output.Contains("Compiling CUDA kernel kernels/saxpy.cu", StringComparison.Ordinal), back.Output);
        CollectionAssert.AreEqual(new[] { "kernels_fill_cu.Launchers.g.cs", "kernels_saxpy_cu.Launchers.g.cs" }, GeneratedLauncherFiles(project), back.Output);
        StringAssert.Contains(back.Output, "warning KB5101: Parameter 'points' of CUDA kernel move");

        // The project's launchers off, fill's on (in any letter case): fill alone has a class.
        project.Write("Program.cs", "public static class Anchor { }\n");
        BuildRun only = project.Build("-p:CudaGenerateLaunchers=false", "-p:FillLauncher=True");
        Assert.IsTrue(only.Succeeded, only.ToString());
        CollectionAssert.AreEqual(new[] { "kernels_fill_cu.Launchers.g.cs" }, GeneratedLauncherFiles(project), only.Output);
        // saxpy.cu's move has a parameter no launcher can take (KB5101 above): without a launcher, nothing to warn of.
        Assert.IsFalse(only.Output.Contains("KB5101", StringComparison.Ordinal), only.Output);

        BuildRun invalid = project.Build("-p:FillLauncher=maybe");
        Assert.IsFalse(invalid.Succeeded, invalid.ToString());
        StringAssert.Contains(invalid.Output, "error KB1010: The GenerateLauncher metadata 'maybe' of CUDA kernel '" + project.PathOf("kernels/fill.cu") + "' is not true or false.");
    }

    [TestMethod]
    public void GenerateLauncherTrue_BringsTheGeneratorIn_WhenTheProjectHasLaunchersOff()
    {
        using ThrowawayProject project = CreateProject("<CudaKernel Update=\"kernels/saxpy.cu\" GenerateLauncher=\"$(SaxpyLauncher)\" />");
        string generator = project.PathOf("generator-stand-in.dll");

        string[] Analyzers(string saxpyLauncher)
        {
            BuildRun run = project.Build("-t:_CudaKernels_Prepare", "-p:CudaGenerateLaunchers=false", "-p:SaxpyLauncher=" + saxpyLauncher,
                "-p:KernelBuildGeneratorAssembly=" + generator, "-getItem:Analyzer");
            Assert.IsTrue(run.Succeeded, run.ToString());
            using var json = System.Text.Json.JsonDocument.Parse(run.Output);
            return json.RootElement.GetProperty("Items").GetProperty("Analyzer").EnumerateArray().Select(item => item.GetProperty("FullPath").GetString()!).ToArray();
        }

        CollectionAssert.Contains(Analyzers("true"), generator);
        CollectionAssert.DoesNotContain(Analyzers("false"), generator);
        CollectionAssert.DoesNotContain(Analyzers(""), generator);
    }

    /// <summary>
    /// The launcher files the generator wrote (EmitCompilerGeneratedFiles), by name, in order; and deletes them, since
    /// the compiler leaves a file it no longer generates where it was, which the next call must not count.
    /// </summary>
    private static string[] GeneratedLauncherFiles(ThrowawayProject project)
    {
        string[] files = Directory.GetFiles(project.Directory, "*.Launchers.g.cs", SearchOption.AllDirectories);
        foreach (string file in files) File.Delete(file);
        return files.Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
    }

    [TestMethod]
    public void Entries_AreTypedByTheKernelsOwnCompile_WithoutTheSeparateProbe()
    {
        using ThrowawayProject project = CreateProject();

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        // saxpy and move are found in the text and typed by the compile itself; scale<float> and scale<double> (C++
        // linkage, instantiated in the source) carry their types in their mangled names.
        StringAssert.Contains(run.Output, "of it reading signatures; 0 of 4 entry points by a separate probe)");
        string manifest = File.ReadAllText(Directory.GetFiles(project.OutputFolder, "*manifest*", SearchOption.AllDirectories).Single());
        Assert.IsFalse(manifest.Contains("__kernelbuild", StringComparison.Ordinal), "the probe's kernels are not the user's entry points:\n" + manifest);
    }

    [TestMethod]
    public void Instantiations_CompileTemplatesTheSourceDoesNotInstantiate_WithTypedLaunchers()
    {
        using ThrowawayProject project = CreateProject("<CudaKernel Update=\"kernels/saxpy.cu\" Instantiations=\"scale&lt;float&gt;; ops::twice&lt;int&gt;\" />");
        project.Write("kernels/saxpy.cu", """
            template <typename T> __global__ void scale(T* data, T factor, int n)
            { int i = threadIdx.x; if (i < n) data[i] *= factor; }
            namespace ops { template <typename T> __global__ void twice(T* data, int n) { int i = threadIdx.x; if (i < n) data[i] *= 2; } }
            """);
        project.Write("Program.cs", """
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(CudaGpu gpu, DeviceBuffer<float> x, DeviceBuffer<int> k)
                {
                    using SaxpyKernels kernels = SaxpyKernels.Load(gpu);
                    kernels.Scale(LaunchShape.For1D(1024), x, 0.5f, 1024);
                    kernels.Twice(LaunchShape.For1D(1024), k, 1024);
                }
            }
            """);

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        string signatures = File.ReadAllText(project.OutputOf("kernels/saxpy.cu.signatures"));
        StringAssert.Contains(signatures, "entry\t_Z5scaleIfEvPT_S0_i\tscale<float>\t1\t");
        StringAssert.Contains(signatures, "entry\t_ZN3ops5twiceIiEEvPT_i\tops::twice<int>\t");
        StringAssert.Contains(run.Output, "of it reading signatures; 0 of 2 entry points by a separate probe)");
    }

    [TestMethod]
    public void ChangingInstantiations_RecompilesTheKernel_AndOnlyThen()
    {
        using ThrowawayProject project = CreateProject("<CudaKernel Update=\"kernels/saxpy.cu\" Instantiations=\"$(TestInstantiations)\" />");
        project.Write("Program.cs", "public static class Anchor { }\n");
        project.Write("kernels/saxpy.cu", "template <typename T> __global__ void scale(T* data, T factor, int n) { if (n) data[0] *= factor; }\n");

        Assert.IsTrue(project.Build("-p:TestInstantiations=scale<float>").Succeeded);
        BuildRun same = project.Build("-p:TestInstantiations=scale<float>");
        BuildRun more = project.Build("-p:TestInstantiations=scale<float>%3Bscale<double>");

        Assert.IsTrue(same.Succeeded && more.Succeeded, same + "\n" + more);
        Assert.IsFalse(same.Output.Contains("Compiling CUDA kernel", StringComparison.Ordinal), same.Output);
        StringAssert.Contains(more.Output, "Compiling CUDA kernel");
        string signatures = File.ReadAllText(project.OutputOf("kernels/saxpy.cu.signatures"));
        StringAssert.Contains(signatures, "\tscale<float>\t");
        StringAssert.Contains(signatures, "\tscale<double>\t");
    }

    [TestMethod]
    public void Instantiation_ThatDoesNotCompile_IsKB5002_NamingIt()
    {
        using ThrowawayProject project = CreateProject("<CudaKernel Update=\"kernels/saxpy.cu\" Instantiations=\"scale&lt;flaot&gt;\" />");
        project.Write("Program.cs", "public static class Anchor { }\n");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "error KB5002: The instantiation 'scale<flaot>' listed in the Instantiations metadata of CUDA kernel kernels/saxpy.cu could not be compiled: NVRTC: ");
        Assert.IsFalse(run.Output.Contains("kernelbuild-signatures(", StringComparison.Ordinal), run.Output);
        Assert.IsFalse(run.Output.Contains("__nv_name_map", StringComparison.Ordinal), run.Output);
    }

    [TestMethod]
    public void WrongGuesses_AreDropped_AndMacroKernelsGetTheSeparateProbe()
    {
        using ThrowawayProject project = CreateProject();
        project.Write("Program.cs", "public static class Anchor { }\n");
        project.Write("kernels/saxpy.cu", """
            #if 0
            extern "C" __global__ void gone(float* p) { }
            #endif
            #define KERNEL(name) extern "C" __global__ void name(int* p)
            KERNEL(viaMacro) { p[0] = 1; }
            extern "C" __global__ void __launch_bounds__(128) bounded(const double* d, float* out) { out[0] = d[0]; }
            """);

        BuildRun run = project.Build("-v:d");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsFalse(run.Output.Contains("kernelbuild-signatures", StringComparison.Ordinal), run.Output);
        string signatures = File.ReadAllText(project.OutputOf("kernels/saxpy.cu.signatures"));
        StringAssert.Contains(signatures, "param\td\t8\t8\tconst double*\tpointer const builtin double");
        StringAssert.Contains(signatures, "param\targ0\t8\t8\tint*\tpointer mutable builtin int");
        StringAssert.Contains(run.Output, "of it reading signatures; 1 of 2 entry points by a separate probe)");
    }

    [TestMethod]
    public void ErrorInTheKernel_IsReportedAsTheUsersOwn()
    {
        using ThrowawayProject project = CreateProject();
        project.Write("Program.cs", "public static class Anchor { }\n");
        project.Write("kernels/saxpy.cu", """
            extern "C" __global__ void saxpy(float a, float* y, int n)
            {
                y[0] = a * undeclared;
            }
            extern "C" __global__ void broken(float* y { }
            """);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "kernels/saxpy.cu(3");
        StringAssert.Contains(run.Output, "\"undeclared\"");
        // The guessed name's line fails too (saxpy was not declared); that error is the probe's and is not shown.
        Assert.IsFalse(run.Output.Contains("kernelbuild-signatures", StringComparison.Ordinal), run.Output);
    }
}
