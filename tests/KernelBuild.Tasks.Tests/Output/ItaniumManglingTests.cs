using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Output;

/// <summary>
/// The mangled names here are what NVRTC 11.8 produced for the signature probe and for C++-linkage kernels (the
/// demangled form, from c++filt, is in each comment), so the reader is checked against the compiler's real output.
/// </summary>
[TestClass]
public sealed class ItaniumManglingTests
{
    private static string Types(string probe) =>
        string.Join(", ", ItaniumMangling.ParseProbe(probe).Type.Parameters.Select(p => p.Spelling));

    private static string Encodings(string probe) =>
        string.Join(" | ", ItaniumMangling.ParseProbe(probe).Type.Parameters.Select(p => p.Encoding));

    [TestMethod]
    public void Probe_OfTypedefMacroNamespaceConstAndVector_GivesTheResolvedTypes()
    {
        // void __kernelbuild_signature<0, void (*)(float, float const*, float*, long long, geo::Point, float4, float const*, unsigned char)>()
        const string probe = "_Z23__kernelbuild_signatureILi0EPFvfPKfPfxN3geo5PointE6float4S1_hEEvv";

        Assert.AreEqual(0, ItaniumMangling.ParseProbe(probe).Index);
        Assert.AreEqual("float, const float*, float*, long long, geo::Point, float4, const float*, unsigned char", Types(probe));
        Assert.AreEqual("builtin float | pointer const builtin float | pointer mutable builtin float | builtin long long | named geo::Point | named float4 | pointer const builtin float | builtin unsigned char",
            Encodings(probe));
    }

    [TestMethod]
    public void Probe_WithRepeatedTypes_ResolvesEachSubstitution()
    {
        // void __kernelbuild_signature<3, void (*)(float*, float*, geo::Point const*, geo::Point*, geo::Point)>()
        const string probe = "_Z23__kernelbuild_signatureILi3EPFvPfS0_PKN3geo5PointEPS2_S2_EEvv";

        Assert.AreEqual(3, ItaniumMangling.ParseProbe(probe).Index);
        Assert.AreEqual("float*, float*, const geo::Point*, geo::Point*, geo::Point", Types(probe));
    }

    [TestMethod]
    public void Probe_WithNoParameters_HasNone()
    {
        Assert.AreEqual("", Types("_Z23__kernelbuild_signatureILi1EPFvvEEvv"));
    }

    [TestMethod]
    public void Probe_WithReferenceOrVolatile_GivesOtherTypes()
    {
        // (int&, volatile int*)
        CudaFunctionType type = ItaniumMangling.ParseProbe("_Z23__kernelbuild_signatureILi0EPFvRiPViEEvv").Type;

        Assert.AreEqual(CudaTypeKind.Other, type.Parameters[0].Kind);
        Assert.AreEqual(CudaTypeKind.Other, type.Parameters[1].Element!.Kind);
    }

    [TestMethod]
    public void Probe_NotAProbe_Throws()
    {
        Assert.ThrowsExactly<FormatException>(() => ItaniumMangling.ParseProbe("_Z5scaleIfEvPT_S0_i"));
    }

    [TestMethod]
    [DataRow("_Z5scaleIfEvPT_S0_i", "scale<float>")]
    [DataRow("_ZN2ns4kernEPf", "ns::kern")]
    [DataRow("_ZN5outer5inner4fillIdLi4EEEvPT_", "outer::inner::fill<double, 4>")]
    [DataRow("_Z4tileILj16ELb1EEvPf", "tile<16u, true>")]
    public void FunctionName_OfCppLinkageKernel_IsTheNameToTakeItsAddress(string mangled, string expected)
    {
        Assert.AreEqual(expected, ItaniumMangling.FunctionName(mangled));
    }

    [TestMethod]
    public void FunctionName_InAnonymousNamespace_Throws()
    {
        Assert.ThrowsExactly<FormatException>(() => ItaniumMangling.FunctionName("_ZN33_GLOBAL__N__00000000_4_t_cu_saxpy4anonEv"));
    }
}
