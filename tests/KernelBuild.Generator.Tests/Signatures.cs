namespace KernelBuild.Generator.Tests;

/// <summary>
/// Signature files as CompileCudaKernels writes them (the integration test KernelSignatureTests checks that the
/// real build writes exactly these lines for the same kernels, with typedefs, macros and namespaces resolved).
/// </summary>
internal static class Signatures
{
    public const string Header = "kernelbuild-signatures\t1\nsource\tkernels/saxpy.cu\t/project/kernels/saxpy.cu\n";

    /// <summary><c>typedef float real; #define INDEX_T long long; saxpy(real a, const float* x, float* y, INDEX_T n)</c>.</summary>
    public const string Saxpy = Header +
        "entry\tsaxpy\tsaxpy\t4\textern \"C\" __global__ void saxpy(real a, const float* x, float* y, INDEX_T n)\n" +
        "param\ta\t4\t4\tfloat\tbuiltin float\n" +
        "param\tx\t8\t8\tconst float*\tpointer const builtin float\n" +
        "param\ty\t8\t8\tfloat*\tpointer mutable builtin float\n" +
        "param\tn\t8\t8\tlong long\tbuiltin long long\n";

    /// <summary><c>namespace geo { struct Point { float x, y; }; } move(geo::Point* points, float2 by, int count)</c>.</summary>
    public const string StructInNamespace = Header +
        "entry\tmove\tmove\t9\textern \"C\" __global__ void move(geo::Point* points, geo::Point by, int count)\n" +
        "param\tpoints\t8\t8\tgeo::Point*\tpointer mutable named geo::Point\n" +
        "param\tby\t8\t4\tgeo::Point\tnamed geo::Point\n" +
        "param\tcount\t4\t4\tint\tbuiltin int\n";

    /// <summary><c>template &lt;typename T&gt; scale(T* data, T factor, int n)</c> for float and double.</summary>
    public const string Templates = Header +
        "entry\t_Z5scaleIfEvPT_S0_i\tscale<float>\t12\ttemplate <typename T> __global__ void scale(T* data, T factor, int n)\n" +
        "param\tdata\t8\t8\tfloat*\tpointer mutable builtin float\n" +
        "param\tfactor\t4\t4\tfloat\tbuiltin float\n" +
        "param\tn\t4\t4\tint\tbuiltin int\n" +
        "entry\t_Z5scaleIdEvPT_S0_i\tscale<double>\t12\ttemplate <typename T> __global__ void scale(T* data, T factor, int n)\n" +
        "param\tdata\t8\t8\tdouble*\tpointer mutable builtin double\n" +
        "param\tfactor\t8\t8\tdouble\tbuiltin double\n" +
        "param\tn\t4\t4\tint\tbuiltin int\n";
}
