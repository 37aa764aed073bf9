using System.Reflection;
using System.Runtime.CompilerServices;
using KernelBuild.Runtime;

namespace KernelBuild.Generator.Tests;

/// <summary>
/// Without a GPU: every C++ type the launchers map has a C# type of exactly the size the compiler gave the parameter,
/// and the generated argument block puts each value at the offset the PTX layout implies. The sizes and alignments
/// below are NVRTC 11.8's PTX parameter list for one kernel taking all of these types (<c>.param .u16</c> is 2/2,
/// <c>.param .align 16 .b8 p[32]</c> is 32/16); the integration test checks the build writes the same.
/// </summary>
[TestClass]
public sealed class MarshallingTests
{
    // (C++ spelling, encoding in the signature file, PTX size, PTX alignment)
    private static readonly (string Spelling, string Encoding, int Size, int Alignment)[] s_ptxLayouts =
    [
        ("bool", "builtin bool", 1, 1), ("char", "builtin char", 1, 1), ("signed char", "builtin signed char", 1, 1),
        ("unsigned char", "builtin unsigned char", 1, 1), ("short", "builtin short", 2, 2), ("unsigned short", "builtin unsigned short", 2, 2),
        ("int", "builtin int", 4, 4), ("unsigned int", "builtin unsigned int", 4, 4), ("long", "builtin long", 8, 8),
        ("unsigned long", "builtin unsigned long", 8, 8), ("long long", "builtin long long", 8, 8),
        ("unsigned long long", "builtin unsigned long long", 8, 8), ("float", "builtin float", 4, 4), ("double", "builtin double", 8, 8),
        ("char2", "named char2", 2, 2), ("char3", "named char3", 3, 1), ("char4", "named char4", 4, 4),
        ("uchar2", "named uchar2", 2, 2), ("uchar3", "named uchar3", 3, 1), ("uchar4", "named uchar4", 4, 4),
        ("short2", "named short2", 4, 4), ("short3", "named short3", 6, 2), ("short4", "named short4", 8, 8),
        ("ushort2", "named ushort2", 4, 4), ("ushort3", "named ushort3", 6, 2), ("ushort4", "named ushort4", 8, 8),
        ("int2", "named int2", 8, 8), ("int3", "named int3", 12, 4), ("int4", "named int4", 16, 16),
        ("uint2", "named uint2", 8, 8), ("uint3", "named uint3", 12, 4), ("uint4", "named uint4", 16, 16),
        ("long2", "named long2", 16, 16), ("long3", "named long3", 24, 8), ("long4", "named long4", 32, 16),
        ("ulong2", "named ulong2", 16, 16), ("ulong3", "named ulong3", 24, 8), ("ulong4", "named ulong4", 32, 16),
        ("longlong2", "named longlong2", 16, 16), ("longlong3", "named longlong3", 24, 8), ("longlong4", "named longlong4", 32, 16),
        ("ulonglong2", "named ulonglong2", 16, 16), ("ulonglong3", "named ulonglong3", 24, 8), ("ulonglong4", "named ulonglong4", 32, 16),
        ("float2", "named float2", 8, 8), ("float3", "named float3", 12, 4), ("float4", "named float4", 16, 16),
        ("double2", "named double2", 16, 16), ("double3", "named double3", 24, 8), ("double4", "named double4", 32, 16),
        ("__half", "named __half", 2, 2), ("float*", "pointer mutable builtin float", 8, 8), ("const double4*", "pointer const named double4", 8, 8),
    ];

    public static IEnumerable<object[]> Layouts => s_ptxLayouts.Select(l => new object[] { l.Spelling, l.Encoding, l.Size, l.Alignment });

    [TestMethod]
    [DynamicData(nameof(Layouts))]
    public void MappedType_HasThePtxParametersSize(string spelling, string encoding, int size, int alignment)
    {
        var parameter = new ParameterSignature { Name = "p", Size = size, Alignment = alignment, Spelling = spelling, Encoding = encoding };

        MappedParameter? mapped = TypeMapping.Map(parameter, out string? problem);

        Assert.IsNotNull(mapped, problem);
        // A buffer is passed as its 8-byte device address; anything else by value, with its own size.
        int csharpSize = mapped.IsBuffer ? sizeof(ulong) : SizeOf(ResolveType(mapped.CSharpType));
        Assert.AreEqual(size, csharpSize, $"{spelling} → {mapped.CSharpType}");
    }

    [TestMethod]
    public void ArgumentBlock_OfEveryMappedType_PutsEachValueWhereThePtxLayoutHasIt()
    {
        string signatures = Signatures.Header + "entry\tall\tall\t1\tall(...)\n"
            + string.Concat(s_ptxLayouts.Select((l, i) => $"param\tp{i}\t{l.Size}\t{l.Alignment}\t{l.Spelling}\t{l.Encoding}\n"));

        GeneratorRun run = GeneratorHarness.Run(signatures);

        // The C ABI rule the driver follows (cuFuncGetParamInfo reports these offsets): each parameter at the next
        // multiple of its alignment. Computed here independently of the generator.
        var expected = new List<int>();
        int end = 0;
        foreach ((_, _, int size, int alignment) in s_ptxLayouts)
        {
            end = (end + alignment - 1) / alignment * alignment;
            expected.Add(end);
            end += size;
        }
        Assert.AreEqual("", run.CompileErrorText);
        StringAssert.Contains(run.Source, "s_offsets0 = { " + string.Join(", ", expected) + " };");
        StringAssert.Contains(run.Source, $"stackalloc byte[{end}]");
    }

    private static Type ResolveType(string csharpType)
    {
        string name = csharpType.Replace("global::", "", StringComparison.Ordinal);
        return name switch
        {
            "bool" => typeof(bool), "sbyte" => typeof(sbyte), "byte" => typeof(byte), "short" => typeof(short), "ushort" => typeof(ushort),
            "int" => typeof(int), "uint" => typeof(uint), "long" => typeof(long), "ulong" => typeof(ulong), "float" => typeof(float),
            "double" => typeof(double),
            _ => typeof(CudaGpu).Assembly.GetType(name) ?? Type.GetType(name) ?? throw new AssertFailedException("no type " + name),
        };
    }

    private static int SizeOf(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf), BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, null)!;
}
