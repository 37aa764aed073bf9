using System.Globalization;

namespace KernelBuild.Generator.Tests;

/// <summary>
/// Each typed launcher comes in three forms: <c>(in LaunchConfiguration, …)</c>, <c>(Dim3 grid, Dim3 block, …)</c> and
/// <c>(in LaunchConfiguration, CudaStream stream, …)</c>; all compile side by side, also for template instantiations
/// that share a name, and a kernel parameter named like a launcher parameter is renamed rather than clashing.
/// </summary>
[TestClass]
public sealed class LaunchOverloadTests
{
    private const string Runtime = "global::KernelBuild.Runtime.";

    [TestMethod]
    public void EveryForm_IsGenerated()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy);

        const string Parameters = $"float a, {Runtime}ReadOnlyDeviceBuffer<float> x, {Runtime}DeviceBuffer<float> y, long n)";
        StringAssert.Contains(run.Source, $"public void Saxpy(in {Runtime}LaunchConfiguration configuration, " + Parameters);
        StringAssert.Contains(run.Source, $"public void Saxpy({Runtime}Dim3 grid, {Runtime}Dim3 block, " + Parameters);
        StringAssert.Contains(run.Source, $"public void Saxpy(in {Runtime}LaunchConfiguration configuration, {Runtime}CudaStream stream, " + Parameters);
        StringAssert.Contains(run.Source, "Saxpy(configuration with { Stream = stream }, a, x, y, n);");
        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void EveryForm_Compiles_ForOverloadedTemplateInstantiations()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Templates, """
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(SaxpyKernels k, CudaStream stream, DeviceBuffer<float> f, DeviceBuffer<double> d)
                {
                    k.Scale(LaunchShape.For1D(10), f, 2.0f, 10);
                    k.Scale(4, 256, f, 2.0f, 10);                   // ints as 1-D Dim3s
                    k.Scale((2, 2), (16, 16), d, 2.0, 10);          // tuples as 2-D Dim3s
                    k.Scale(LaunchShape.For1D(10), stream, d, 2.0, 10);
                    k.Scale(new LaunchConfiguration(1, 1) { SharedMemoryBytes = 64 }, stream, f, 1.0f, 1);
                }
            }
            """);

        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    [DataRow("k.Scale(4, 256, f, 2.0, 10);", "CS1503")]                         // a double for scale<float>'s factor: no instantiation takes it
    [DataRow("k.Scale(LaunchShape.For1D(10), stream, f, 2.0f);", "CS1503")]    // a forgotten argument: read as the form without a stream
    [DataRow("k.Scale(stream, LaunchShape.For1D(10), f, 2.0f, 10);", "CS1503")] // the stream before the configuration
    public void MisusedOverload_FailsToCompile(string call, string code)
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Templates, $$"""
            using KernelBuild.Runtime;
            namespace App;
            public static class Use
            {
                public static void Run(SaxpyKernels k, CudaStream stream, DeviceBuffer<float> f)
                {
                    {{call}}
                }
            }
            """);

        Assert.AreNotEqual(0, run.CompileErrors.Count, "compiled: " + call);
        Assert.IsTrue(run.CompileErrors.Any(e => e.Id == code), run.CompileErrorText);
    }

    [TestMethod]
    public void KernelParametersNamedLikeTheLaunchers_AreRenamed()
    {
        string signatures = Signatures.Header
            + "entry\tk\tk\t1\textern \"C\" __global__ void k(int grid, int block, int stream, int configuration)\n"
            + "param\tgrid\t4\t4\tint\tbuiltin int\nparam\tblock\t4\t4\tint\tbuiltin int\n"
            + "param\tstream\t4\t4\tint\tbuiltin int\nparam\tconfiguration\t4\t4\tint\tbuiltin int\n";

        GeneratorRun run = GeneratorHarness.Run(signatures);

        StringAssert.Contains(run.Source, $"public void K({Runtime}Dim3 grid, {Runtime}Dim3 block, int arg0, int arg1, int arg2, int arg3)");
        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void Overloads_DocumentTheirOwnParameters()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy);

        StringAssert.Contains(run.Source, "/// <param name=\"grid\">Blocks in the grid.</param>");
        StringAssert.Contains(run.Source, "/// <param name=\"stream\">The stream to queue the launch on.</param>");
        Assert.AreEqual(3, CountOf(run.Source, "/// Launches <c>saxpy</c> (kernels/saxpy.cu, line 4):"));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
