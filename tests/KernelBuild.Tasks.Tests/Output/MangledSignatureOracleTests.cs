using System.Text;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Output;

/// <summary>
/// A kernel with C++ linkage is typed from its own mangled name (<see cref="ItaniumMangling.ParseFunction"/>) instead
/// of the signature probe. The oracle is NVRTC itself: each kernel below is compiled, and every entry point's type
/// read from its name must equal the type the probe deduces for it in the same program
/// (<c>__kernelbuild_take&lt;i&gt;(&amp;entry)</c>, docs/launchers.md).
/// </summary>
[TestClass]
public sealed class MangledSignatureOracleTests
{
    private const string Kernels = """
        typedef float real;
        struct Pod { int a; float b; };
        namespace geo { struct Point { float x, y; }; namespace inner { struct Box { Point lo, hi; }; } }
        template <typename T, int N> struct Vec { T v[N]; };

        __global__ void plain(real a, const float* x, float* __restrict__ y, long long n) { }
        __global__ void structs(Pod p, const Pod* ps, geo::Point q, geo::inner::Box* boxes) { }
        __global__ void vectors(float4 f, const int2* i, double2 d, uchar3 c) { }
        namespace ops
        {
            __global__ void nested(const geo::Point* a, geo::Point* b, unsigned int n) { }
            template <typename T> __global__ void scale(T* data, T factor, int n) { }
            template <typename T, typename U> __global__ void convert(const T* in, U* out, const T* again, U last) { }
            template <int N> __global__ void fixed(Vec<float, N> v, float* out) { }
        }
        template <typename T> __global__ void pairs(const T* a, const T* b, T* c, T* const d) { }
        __global__ void none() { }
        __global__ void mixed(bool b, signed char sc, unsigned char uc, short s, unsigned short us, unsigned long ul, double d) { }
        """;

    private static readonly string[] s_entries =
    [
        "plain", "structs", "vectors", "ops::nested", "ops::scale<float>", "ops::scale<geo::Point>",
        "ops::convert<float, double>", "ops::convert<geo::Point, geo::Point>", "ops::fixed<3>",
        "pairs<int>", "pairs<Pod>", "none", "mixed",
    ];

    [TestMethod]
    public void EveryMangledName_GivesTheTypeTheCompilerDeduces()
    {
        Requirements.Nvrtc();
        NvrtcLibrary nvrtc = NvrtcLibrary.Load(NvrtcLocator.ForThisMachine().Locate(null));
        string folder = Directory.CreateTempSubdirectory("kb-mangling-").FullName;
        try
        {
            string source = Path.Combine(folder, "k.cu");
            File.WriteAllText(source, Kernels);
            SignatureSuffix suffix = SignatureSuffix.Create([], s_entries)!;
            NvrtcCompileOutput output = nvrtc.CompileFile(new NvrtcCompileRequest(source, ["-arch=compute_80"]) { SourceSuffix = suffix.Text, NameExpressions = s_entries });
            Assert.IsTrue(output.Succeeded, output.Log);

            Dictionary<string, CudaFunctionType> deduced = suffix.TypesByEntryPoint(Encoding.UTF8.GetString(output.Ptx!), output.LoweredNames);
            Assert.AreEqual(s_entries.Length, deduced.Count, string.Join("\n", output.LoweredNames));
            var unread = new List<string>();
            foreach ((string entryPoint, CudaFunctionType type) in deduced)
            {
                try
                {
                    Assert.AreEqual(Describe(type), Describe(ItaniumMangling.ParseFunction(entryPoint)), entryPoint);
                }
                catch (FormatException)
                {
                    unread.Add(entryPoint);
                }
            }
            // Vec<float, N> with N a template parameter mangles as an expression (XT_E), outside the subset read: that
            // kernel gets the separate probe. Every other name is read, and read right.
            CollectionAssert.AreEqual(new[] { output.LoweredNames["ops::fixed<3>"] }, unread);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void ExternCNames_AndNamesOutsideTheSubset_AreNotRead()
    {
        Assert.ThrowsExactly<FormatException>(() => ItaniumMangling.ParseFunction("saxpy"));
        Assert.ThrowsExactly<FormatException>(() => ItaniumMangling.ParseFunction("_Z1fT_"), "T_ outside a template");
    }

    private static string Describe(CudaFunctionType type) => string.Join(" | ", type.Parameters.Select(p => p.Encoding));
}
