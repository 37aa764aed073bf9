using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace KernelBuild.Generator.Tests;

/// <summary>
/// Without a GPU: the generated argument block holds a [CudaStruct] struct's bytes at the PTX offset, each field where
/// the C++ layout has it; and the size the generator computes for a C# struct is the size the .NET runtime gives it
/// (measured on the compiled struct), for every layout feature it accepts.
/// </summary>
[TestClass]
public sealed class StructMarshallingTests
{
    private const string Structs = """
        [KernelBuild.Runtime.CudaStruct("ns::Particle")]
        public struct Particle { public float X; public float Y; public int Id; }
        [KernelBuild.Runtime.CudaStruct("ns::Segment")]
        public struct Segment { public Particle A; public Particle B; public KernelBuild.Runtime.Float2 Dir; }
        [KernelBuild.Runtime.CudaStruct("ns::Padded", Alignment = 16)]
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 16)]
        public struct Padded { public float X; public float Y; public float Z; }
        """;

    [TestMethod]
    public void ArgumentBlock_HoldsEachStructFieldWhereTheCppLayoutHasIt()
    {
        // The generated class is partial: this half runs its private argument writer, which the launch calls.
        GeneratorRun run = GeneratorHarness.Run(Signatures.ByValueStructs, "namespace App;\n" + Structs + """

            public sealed partial class SaxpyKernels
            {
                public static byte[] Block()
                {
                    var block = new byte[80];
                    var segment = new Segment
                    {
                        A = new Particle { X = 10, Y = 11, Id = 12 },
                        B = new Particle { X = 13, Y = 14, Id = 15 },
                        Dir = new KernelBuild.Runtime.Float2(16, 17),
                    };
                    WriteArguments0(block, -5, new Particle { X = 1.5f, Y = -2.5f, Id = 7 }, 0.125, segment, new Padded { X = 20, Y = 21, Z = 22 });
                    return block;
                }
            }
            """);
        Assert.AreEqual("", run.DiagnosticText);
        StringAssert.Contains(run.Source, "stackalloc byte[80]");

        byte[] block = (byte[])run.Load().GetType("App.SaxpyKernels")!.GetMethod("Block")!.Invoke(null, null)!;

        // C's rules for place(char tag, Particle p, double scale, Segment s, Padded q), worked out by hand: tag at 0; p
        // (12 bytes, aligned to 4) at 4; scale at 16; s (32, aligned to 8: a 12, b 12, float2 at 24 of it) at 24;
        // q (aligned to 16) at 64.
        Assert.AreEqual(unchecked((byte)-5), block[0]);
        Assert.AreEqual(1.5f, BitConverter.ToSingle(block, 4));
        Assert.AreEqual(-2.5f, BitConverter.ToSingle(block, 8));
        Assert.AreEqual(7, BitConverter.ToInt32(block, 12));
        Assert.AreEqual(0.125, BitConverter.ToDouble(block, 16));
        float[] segment = [.. Enumerable.Range(0, 8).Select(i => BitConverter.ToSingle(block, 24 + 4 * i))];
        Assert.AreEqual("10 11 _ 13 14 _ 16 17", string.Join(" ", segment.Select((v, i) => i % 3 == 2 && i < 6 ? "_" : v.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.AreEqual(12, BitConverter.ToInt32(block, 32));
        Assert.AreEqual(15, BitConverter.ToInt32(block, 44));
        Assert.AreEqual(20f, BitConverter.ToSingle(block, 64));
        Assert.AreEqual(22f, BitConverter.ToSingle(block, 72));
        Assert.IsTrue(block.Skip(76).All(b => b == 0), "nothing past the last field");
    }

    [TestMethod]
    [DataRow("public byte A; public double B; public short C;")]                                           // padding inside and at the end
    [DataRow("[StructLayout(LayoutKind.Sequential, Pack = 1)] public struct S { public byte A; public int B; }", true)]
    [DataRow("[StructLayout(LayoutKind.Sequential, Pack = 2)] public struct S { public long A; public byte B; }", true)]
    [DataRow("[StructLayout(LayoutKind.Sequential, Size = 24)] public struct S { public long A; public byte B; }", true)]
    [DataRow("[StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(0)] public long A; [FieldOffset(8)] public byte B; }", true)]
    [DataRow("[StructLayout(LayoutKind.Explicit, Size = 12)] public struct S { [FieldOffset(4)] public int A; }", true)]
    [DataRow("public bool A; public System.Half B; public int C;")]
    [DataRow("public E A; public byte B;")]                                                                   // an enum: its underlying type
    [DataRow("public KernelBuild.Runtime.Short3 A; public KernelBuild.Runtime.Double3 B;")]
    [DataRow("public unsafe fixed float A[3]; public double B;")]                                              // a C array member
    [DataRow("public Inner A; public byte B; public Inner C;")]
    [DataRow("[StructLayout(LayoutKind.Sequential)] public record struct S(byte A, long B, float C);", true)]
    public void ComputedSize_IsTheRuntimesSize(string declaration, bool complete = false)
    {
        string source = "using System.Runtime.InteropServices;\nnamespace App;\n"
            + "public enum E : short { A }\n"
            + "[KernelBuild.Runtime.CudaStruct(\"Inner\")] public struct Inner { public short A; public byte B; }\n"
            + (complete ? declaration : "public struct S { " + declaration + " }");
        GeneratorRun run = GeneratorHarness.Run(Signatures.Saxpy, source, allowUnsafe: true);
        Assert.AreEqual("", run.CompileErrorText);
        INamedTypeSymbol symbol = run.Output.GetTypeByMetadataName("App.S")!;

        CudaStructLayout computed = CudaStructLayout.Compute(symbol, 0, out string? problem);

        Assert.IsNull(problem, problem);
        Type type = run.Load().GetType("App.S")!;
        int measured = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf), BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, null)!;
        Assert.AreEqual(measured, computed.Size, declaration);
    }
}
