using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Output;

[TestClass]
public sealed class ExternCKernelFinderTests
{
    [TestMethod]
    public void FindsExternCKernels_AtNamespaceScope_InEitherForm()
    {
        const string source = """
            extern "C" __global__ void saxpy(float a, const float* x, float* y, int n) { }
            extern "C" {
                __global__ void inBlock(int* p);
                __global__ void __launch_bounds__(256, 2) bounded(int* p) { }
            }
            extern "C" __global__ void saxpy(float a, const float* x, float* y, int n);
            """;

        CollectionAssert.AreEqual(new[] { "saxpy", "inBlock", "bounded" }, ExternCKernelFinder.Find(source));
    }

    [TestMethod]
    public void LeavesOut_CppLinkage_Templates_Namespaces_Classes_Comments_Literals_Directives()
    {
        const string source = """
            __global__ void cppLinkage(int* p) { }
            template <typename T> __global__ void templ(T* p) { }
            extern "C" { template <typename T> __global__ void templInBlock(T* p); }
            namespace ns { extern "C" __global__ void inNamespace(int* p) { } }
            struct S { static void f() { } };
            // extern "C" __global__ void commented(int* p);
            /* extern "C" __global__ void blockCommented(int* p); */
            const char* text = "extern \"C\" __global__ void literal(int* p)";
            #define K extern "C" __global__ void directive(int* p) \
                { }
            extern "C" __global__ void kept(int* p) { const char* s = "{"; }
            """;

        CollectionAssert.AreEqual(new[] { "kept" }, ExternCKernelFinder.Find(source));
    }

    [TestMethod]
    public void BalancedBodies_DoNotHideLaterKernels()
    {
        const string source = """
            extern "C" __global__ void first(int* p) { if (p) { p[0] = '}'; } }
            extern "C" __device__ int helper(int x) { return x; }
            extern "C" __global__ void second(int* p) { }
            """;

        CollectionAssert.AreEqual(new[] { "first", "second" }, ExternCKernelFinder.Find(source));
    }
}
