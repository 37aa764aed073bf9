namespace KernelBuild.Generator.Tests;

[TestClass]
public sealed class LauncherGeneratorTests
{
    private const string Runtime = "global::KernelBuild.Runtime.";

    [TestMethod]
    public void TypedefMacroAndConst_GiveTheResolvedCSharpTypes()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy);

        StringAssert.Contains(run.Source, "public sealed partial class SaxpyKernels : global::System.IDisposable");
        StringAssert.Contains(run.Source,
            $"public void Saxpy(in {Runtime}LaunchConfiguration configuration, float a, {Runtime}ReadOnlyDeviceBuffer<float> x, {Runtime}DeviceBuffer<float> y, long n)");
        Assert.AreEqual("", run.CompileErrorText);
        Assert.AreEqual(0, run.GeneratorDiagnostics.Count);
    }

    [TestMethod]
    public void SignatureIndex_GivesOneLauncherClassPerKernel()
    {
        // KernelBuild.signatures as the compile task writes it: each kernel's file, one after the other.
        string fill = "kernelbuild-signatures\t1\nsource\tkernels/fill.cu\t/project/kernels/fill.cu\n" +
            "entry\tfill\tfill\t1\textern \"C\" __global__ void fill(int* a, int v)\n" +
            "param\ta\t8\t8\tint*\tpointer mutable builtin int\n" +
            "param\tv\t4\t4\tint\tbuiltin int\n";
        GeneratorRun run = GeneratorHarness.Run(fill + Signatures.Saxpy);

        Assert.AreEqual(2, run.Generated.Count, run.Source);
        StringAssert.Contains(run.Source, "public sealed partial class FillKernels");
        StringAssert.Contains(run.Source, "public sealed partial class SaxpyKernels");
        StringAssert.Contains(run.Source, $"public void Fill(in {Runtime}LaunchConfiguration configuration, {Runtime}DeviceBuffer<int> a, int v)");
        Assert.AreEqual("", run.CompileErrorText);
        Assert.AreEqual(0, run.GeneratorDiagnostics.Count, run.DiagnosticText);
    }

    [TestMethod]
    public void SignatureIndex_Empty_GeneratesNothing_AndAForeignFileIsReported()
    {
        Assert.AreEqual(0, GeneratorHarness.Run("").Generated.Count, "no kernel has signatures yet");

        GeneratorRun foreign = GeneratorHarness.Run("not a signature file\n" + Signatures.Saxpy);
        Assert.AreEqual(0, foreign.Generated.Count, foreign.Source);
        StringAssert.Contains(foreign.DiagnosticText, "KB5103");
    }

    [TestMethod]
    public void Launcher_QuotesTheDeclarationWithFileAndLine()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy);

        StringAssert.Contains(run.Source, "/// Launches <c>saxpy</c> (kernels/saxpy.cu, line 4):");
        StringAssert.Contains(run.Source, "/// <code>extern \"C\" __global__ void saxpy(real a, const float* x, float* y, INDEX_T n)</code>");
    }

    [TestMethod]
    public void Launcher_WritesTheArgumentBlockAtThePtxOffsets()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy);

        // float at 0, then 8-byte pointers and a long long each aligned to 8: 0, 8, 16, 24 in a 32-byte block.
        StringAssert.Contains(run.Source, "stackalloc byte[32]");
        StringAssert.Contains(run.Source, "s_offsets0 = { 0, 8, 16, 24 }");
    }

    [TestMethod]
    public void CorrectCall_Compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy, """
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(CudaGpu gpu, DeviceBuffer<float> x, DeviceBuffer<float> y)
                {
                    using SaxpyKernels saxpy = SaxpyKernels.Load(gpu);
                    saxpy.Saxpy(LaunchShape.For1D(1024), 2.0f, x, y, 1024);                     // a buffer for const float*
                    saxpy.Saxpy(new LaunchConfiguration(4, 256), 2.0f, new ReadOnlyDeviceBuffer<float>(x), y, 1024L);
                }
            }
            """);

        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    [DataRow("saxpy.Saxpy(c, 2.0f, x, new ReadOnlyDeviceBuffer<float>(y), 1024);", "CS1503", "ReadOnlyDeviceBuffer<float>")] // a read-only view for float*
    [DataRow("saxpy.Saxpy(c, 2.0f, ints, y, 1024);", "CS1503", "DeviceBuffer<int>")]                                   // int buffer for const float*
    [DataRow("saxpy.Saxpy(c, 2.0, x, y, 1024);", "CS1503", "double")]                                                  // double for float
    [DataRow("saxpy.Saxpy(c, 2.0f, x, y);", "CS1501", "takes 4 arguments")]                                           // a forgotten argument
    public void Misuse_FailsToCompileWithTheCompilersError(string call, string code, string mentioned)
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy, $$"""
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(SaxpyKernels saxpy, LaunchConfiguration c, DeviceBuffer<float> x, DeviceBuffer<float> y, DeviceBuffer<int> ints)
                {
                    {{call}}
                }
            }
            """);

        Assert.AreEqual(1, run.CompileErrors.Count, run.CompileErrorText);
        Assert.AreEqual(code, run.CompileErrors[0].Id, run.CompileErrorText);
        StringAssert.Contains(run.CompileErrors[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), mentioned);
    }

    [TestMethod]
    public void StructInNamespace_WarnsWithFileLineAndParameter_AndKeepsOnlyTheUntypedApi()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.StructInNamespace, """
            namespace App;
            public static class Use
            {
                public static KernelBuild.Runtime.CudaModule Module(SaxpyKernels kernels) => kernels.Module;
            }
            """);

        Microsoft.CodeAnalysis.Diagnostic warning = run.GeneratorDiagnostics.Single();
        Assert.AreEqual("KB5101", warning.Id);
        Assert.AreEqual(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
        Assert.AreEqual(GeneratorHarness.KernelPath, warning.Location.GetLineSpan().Path);
        Assert.AreEqual(8, warning.Location.GetLineSpan().StartLinePosition.Line); // line 9, 0-based
        StringAssert.Contains(warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), "'points'");
        StringAssert.Contains(warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), "geo::Point");
        Assert.IsFalse(run.Source.Contains("void Move(", StringComparison.Ordinal), run.Source);
        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void TemplateInstantiations_GetOneTypedOverloadEach()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Templates, """
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(SaxpyKernels k, LaunchConfiguration c, DeviceBuffer<float> f, DeviceBuffer<double> d)
                {
                    k.Scale(c, f, 2.0f, 10);
                    k.Scale(c, d, 2.0, 10);
                }
            }
            """);

        StringAssert.Contains(run.Source, "module.GetKernel(\"_Z5scaleIfEvPT_S0_i\")");
        StringAssert.Contains(run.Source, "module.GetKernel(\"_Z5scaleIdEvPT_S0_i\")");
        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void NamespaceAndClassNameMetadata_OverrideTheDefaults()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy, "namespace Other { public static class Use { public static System.Type T => typeof(Gpu.Blas); } }",
            itemNamespace: "Gpu", itemClassName: "Blas");

        StringAssert.Contains(run.Source, "namespace Gpu");
        StringAssert.Contains(run.Source, "public sealed partial class Blas ");
        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void RootNamespace_IsTheDefault()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy, "public static class Use { public static System.Type T => typeof(My.Root.SaxpyKernels); }", rootNamespace: "My.Root");

        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void UnreadableFile_WarnsAndGeneratesNothing()
    {
        GeneratorRun run = GeneratorHarness.Run("kernelbuild-signatures\t99\n");

        Assert.AreEqual("KB5103", run.GeneratorDiagnostics.Single().Id);
        Assert.AreEqual(0, run.Generated.Count);
    }

    [TestMethod]
    [DataRow("block_sum.cu", "BlockSumKernels")]
    [DataRow("kernels/saxpy.cu", "SaxpyKernels")]
    [DataRow("fft-2d.cu", "Fft2dKernels")]
    [DataRow("3d.cu", "_3dKernels")]
    public void ClassName_IsThePascalCaseFileNamePlusKernels(string relativePath, string expected)
    {
        Assert.AreEqual(expected, Names.ClassNameFor(relativePath));
    }
}
