using System.Globalization;
using Microsoft.CodeAnalysis;

namespace KernelBuild.Generator.Tests;

/// <summary>
/// User structs: a C# struct marked <c>[CudaStruct("ns::Particle")]</c> is taken where a kernel takes the C++ type by
/// value or points to it, when the size and alignment the generator computes for it are the ones the CUDA compiler
/// gave the C++ type; otherwise error KB5104 at the kernel's line and no typed launcher for that entry point.
/// </summary>
[TestClass]
public sealed class CudaStructTests
{
    private const string Runtime = "global::KernelBuild.Runtime.";

    private const string Particle = """
        [KernelBuild.Runtime.CudaStruct("ns::Particle")]
        public struct Particle { public float X; public float Y; public int Id; }
        """;

    [TestMethod]
    public void MatchingStruct_IsTakenByValue_AndItsPointersAsBuffers()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles, "namespace App;\n" + Particle + """

            public static class Use
            {
                public static void Run(SaxpyKernels k, KernelBuild.Runtime.DeviceBuffer<Particle> input, KernelBuild.Runtime.DeviceBuffer<Particle> output)
                {
                    var p = new Particle { X = 1, Y = 2, Id = 3 };
                    k.Step(KernelBuild.Runtime.LaunchShape.For1D(100), p, input, output, 100);
                }
            }
            """);

        Assert.AreEqual("", run.DiagnosticText);
        Assert.AreEqual("", run.CompileErrorText);
        StringAssert.Contains(run.Source,
            $"public void Step(in {Runtime}LaunchConfiguration configuration, in global::App.Particle p, {Runtime}ReadOnlyDeviceBuffer<global::App.Particle> input, {Runtime}DeviceBuffer<global::App.Particle> output, int n)");
        // 12 bytes at 0, pointers at 16 and 24, the int at 32.
        StringAssert.Contains(run.Source, "s_offsets0 = { 0, 16, 24, 32 }");
        StringAssert.Contains(run.Source, "MemoryMarshal.Write(__block.Slice(0), in p);");
    }

    [TestMethod]
    public void RecordStruct_InANamespace_IsMappedToo()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles, """
            namespace App.Gpu
            {
                [KernelBuild.Runtime.CudaStruct("::ns::Particle")]
                public record struct Particle(float X, float Y, int Id);
            }
            """);

        Assert.AreEqual("", run.DiagnosticText);
        StringAssert.Contains(run.Source, "in global::App.Gpu.Particle p,");
        Assert.AreEqual("", run.CompileErrorText);
    }

    [TestMethod]
    public void InternalStruct_GetsInternalLaunchers_AndAPrivateOneIsKB5105()
    {
        GeneratorRun @internal = GeneratorHarness.Run(Signatures.Particles, """
            namespace App;
            [KernelBuild.Runtime.CudaStruct("ns::Particle")]
            internal struct Particle { public float X; public float Y; public int Id; }
            """);
        GeneratorRun @private = GeneratorHarness.Run(Signatures.Particles, """
            namespace App;
            public class Outer
            {
                [KernelBuild.Runtime.CudaStruct("ns::Particle")]
                private struct Particle { public float X; public float Y; public int Id; }
            }
            """);

        // A public launcher taking an internal type would be the compiler's error CS0051.
        Assert.AreEqual("", @internal.CompileErrorText);
        StringAssert.Contains(@internal.Source, $"internal void Step(in {Runtime}LaunchConfiguration configuration, in global::App.Particle p,");
        StringAssert.Contains(@internal.Source, $"internal void Step({Runtime}Dim3 grid,");
        StringAssert.Contains(@private.GeneratorDiagnostics.Single(d => d.Id == "KB5105").GetMessage(CultureInfo.InvariantCulture), "make it (and the types it is nested in) public or internal");
        Assert.AreEqual("", @private.CompileErrorText);
    }

    [TestMethod]
    public void SizeMismatch_IsErrorKB5104_AtTheKernelsLine_WithBothLayouts_AndNoLauncher()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles, """
            namespace App;
            [KernelBuild.Runtime.CudaStruct("ns::Particle")]
            public struct Particle { public float X; public float Y; }
            """);

        Diagnostic error = run.GeneratorDiagnostics.Single();
        Assert.AreEqual("KB5104", error.Id);
        Assert.AreEqual(DiagnosticSeverity.Error, error.Severity);
        Assert.AreEqual(GeneratorHarness.KernelPath, error.Location.GetLineSpan().Path);
        Assert.AreEqual(5, error.Location.GetLineSpan().StartLinePosition.Line); // line 6
        string message = error.GetMessage(CultureInfo.InvariantCulture);
        StringAssert.Contains(message, "Parameter 'p' of CUDA kernel step");
        StringAssert.Contains(message, "gives ns::Particle 12 bytes aligned to 4");
        StringAssert.Contains(message, "the C# struct App.Particle mapped to it by [CudaStruct] has 8 bytes aligned to 4");
        StringAssert.Contains(message, "Size = n");
        Assert.IsFalse(run.Source.Contains("void Step(", StringComparison.Ordinal), run.Source);
    }

    [TestMethod]
    public void AlignmentMismatch_IsErrorKB5104_AndCudaStructAlignmentDeclaresAnAlign()
    {
        const string Padded = """
            [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 16)]
            public struct Padded { public float X; public float Y; public float Z; }
            """;
        string others = """
            [KernelBuild.Runtime.CudaStruct("ns::Segment")]
            public struct Segment { public Particle A; public Particle B; public KernelBuild.Runtime.Float2 Dir; }
            """ + "\n" + Particle;

        GeneratorRun mismatch = GeneratorHarness.Run(Signatures.ByValueStructs, "namespace App;\n[KernelBuild.Runtime.CudaStruct(\"ns::Padded\")]\n" + Padded + "\n" + others);
        GeneratorRun match = GeneratorHarness.Run(Signatures.ByValueStructs, "namespace App;\n[KernelBuild.Runtime.CudaStruct(\"ns::Padded\", Alignment = 16)]\n" + Padded + "\n" + others);

        Diagnostic error = mismatch.GeneratorDiagnostics.Single();
        Assert.AreEqual("KB5104", error.Id);
        StringAssert.Contains(error.GetMessage(CultureInfo.InvariantCulture), "gives ns::Padded 16 bytes aligned to 16, but the C# struct App.Padded mapped to it by [CudaStruct] has 16 bytes aligned to 4");
        Assert.AreEqual("", match.DiagnosticText);
        StringAssert.Contains(match.Source, "in global::App.Padded q)");
    }

    [TestMethod]
    public void NestedStructsAndVectors_AreLaidOutAsCudaDoes()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.ByValueStructs, "namespace App;\n" + Particle + """

            [KernelBuild.Runtime.CudaStruct("ns::Segment")]
            public struct Segment { public Particle A; public Particle B; public KernelBuild.Runtime.Float2 Dir; }
            [KernelBuild.Runtime.CudaStruct("ns::Padded", Alignment = 16)]
            [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 16)]
            public struct Padded { public float X; public float Y; public float Z; }
            """);

        Assert.AreEqual("", run.DiagnosticText);
        Assert.AreEqual("", run.CompileErrorText);
        StringAssert.Contains(run.Source, "s_offsets0 = { 0, 4, 16, 24, 64 }");
    }

    [TestMethod]
    public void FieldThatCudaWouldPlaceElsewhere_IsErrorKB5105_AtTheStruct()
    {
        // .NET aligns Float2 to 4, so it follows the 12-byte Particle at 12; CUDA aligns float2 to 8 and puts it at 16.
        string userCode = "namespace App;\n" + Particle + """

            [KernelBuild.Runtime.CudaStruct("ns::Segment")]
            public struct Segment { public Particle A; public KernelBuild.Runtime.Float2 Dir; }
            """;
        GeneratorRun run = GeneratorHarness.Run(Signatures.ByValueStructs, userCode);

        Diagnostic error = run.GeneratorDiagnostics.Single(d => d.Id == "KB5105");
        Assert.AreEqual(DiagnosticSeverity.Error, error.Severity);
        string[] lines = userCode.Split('\n');
        int line = Array.FindIndex(lines, l => l.StartsWith("public struct Segment", StringComparison.Ordinal));
        Assert.AreEqual(new Microsoft.CodeAnalysis.Text.LinePosition(line, "public struct ".Length), error.Location.GetLineSpan().StartLinePosition);
        StringAssert.Contains(error.GetMessage(CultureInfo.InvariantCulture), "field 'Dir' is at offset 12, but CUDA aligns its type to 8 bytes");
        // The entry point that takes it keeps only the untyped API, with a warning that points at the struct's error.
        StringAssert.Contains(run.DiagnosticText, "KB5101");
        Assert.IsFalse(run.Source.Contains("void Place(", StringComparison.Ordinal), run.Source);
    }

    [TestMethod]
    [DataRow("public char C;", "field 'C' has the type char, which has no CUDA counterpart")]
    [DataRow("public decimal D;", "field 'D' has the type decimal, which has no CUDA counterpart")]
    [DataRow("public System.DateTime T;", "field 'T' has the type System.DateTime, which has no CUDA counterpart")]
    [DataRow("public Plain P;", "field 'P' has the struct type App.Plain, which is not a [CudaStruct] struct of this project")]
    public void FieldOfAnUnmappedType_IsErrorKB5105(string field, string expected)
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles, $$"""
            namespace App;
            public struct Plain { public int A; }
            [KernelBuild.Runtime.CudaStruct("ns::Particle")]
            public struct Particle { public float X; {{field}} }
            """);

        Diagnostic error = run.GeneratorDiagnostics.Single(d => d.Id == "KB5105");
        StringAssert.Contains(error.GetMessage(CultureInfo.InvariantCulture), "The struct App.Particle cannot be mapped to the C++ type ns::Particle: " + expected);
    }

    [TestMethod]
    public void AutoLayout_AndTwoStructsForOneType_AreErrorKB5105()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles, """
            namespace App;
            [KernelBuild.Runtime.CudaStruct("ns::Particle")]
            [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
            public struct Auto { public float X; public float Y; public int Id; }
            [KernelBuild.Runtime.CudaStruct("ns::Other")]
            public struct First { public int A; }
            [KernelBuild.Runtime.CudaStruct("ns::Other")]
            public struct Second { public int A; }
            """);

        string[] messages = run.GeneratorDiagnostics.Where(d => d.Id == "KB5105").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToArray();
        Assert.AreEqual(2, messages.Length, run.DiagnosticText);
        StringAssert.Contains(messages[0], "LayoutKind.Auto lets the runtime reorder its fields");
        StringAssert.Contains(messages[1], "The struct App.Second cannot be mapped to the C++ type ns::Other: the struct App.First is mapped to it too");
    }

    [TestMethod]
    public void PointerToMappedStruct_RejectsABufferOfAnotherType()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles, "namespace App;\n" + Particle + """

            public static class Use
            {
                public static void Run(SaxpyKernels k, KernelBuild.Runtime.DeviceBuffer<float> floats, KernelBuild.Runtime.DeviceBuffer<Particle> output) =>
                    k.Step(KernelBuild.Runtime.LaunchShape.For1D(100), default(Particle), floats, output, 100);
            }
            """);

        Assert.AreEqual("CS1503", run.CompileErrors.Single().Id, run.CompileErrorText);
        StringAssert.Contains(run.CompileErrors.Single().GetMessage(CultureInfo.InvariantCulture), "DeviceBuffer<float>");
    }

    [TestMethod]
    public void UnmappedStruct_WarnsKB5101_WithHowToMapIt()
    {
        GeneratorRun run = GeneratorHarness.Run(Signatures.Particles);

        Diagnostic warning = run.GeneratorDiagnostics.Single();
        Assert.AreEqual("KB5101", warning.Id);
        StringAssert.Contains(warning.GetMessage(CultureInfo.InvariantCulture),
            "the type ns::Particle (a struct, union or enum, 12 bytes, aligned to 4) is not mapped to a C# type; declare a C# struct with the same fields in this project and mark it [KernelBuild.Runtime.CudaStruct(\"ns::Particle\")]");
    }
}
