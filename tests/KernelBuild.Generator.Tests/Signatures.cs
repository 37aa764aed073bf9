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

    /// <summary>
    /// <c>namespace ns { struct Particle { float x, y; int id; }; } step(ns::Particle p, const ns::Particle* input, ns::Particle* output, int n)</c>:
    /// NVRTC 11.8's PTX gives the struct <c>.param .align 4 .b8 p[12]</c>.
    /// </summary>
    public const string Particles = Header +
        "entry\tstep\tstep\t6\textern \"C\" __global__ void step(ns::Particle p, const ns::Particle* input, ns::Particle* output, int n)\n" +
        "param\tp\t12\t4\tns::Particle\tnamed ns::Particle\n" +
        "param\tinput\t8\t8\tconst ns::Particle*\tpointer const named ns::Particle\n" +
        "param\toutput\t8\t8\tns::Particle*\tpointer mutable named ns::Particle\n" +
        "param\tn\t4\t4\tint\tbuiltin int\n";

    /// <summary>
    /// Structs by value only, so that the argument block can be written without a GPU:
    /// <c>struct Segment { Particle a, b; float2 dir; }</c> (32 bytes aligned to 8) and
    /// <c>struct __align__(16) Padded { float x, y, z; }</c> (16 bytes aligned to 16).
    /// <c>place(char tag, ns::Particle p, double scale, ns::Segment s, ns::Padded q)</c>.
    /// </summary>
    public const string ByValueStructs = Header +
        "entry\tplace\tplace\t3\textern \"C\" __global__ void place(char tag, ns::Particle p, double scale, ns::Segment s, ns::Padded q)\n" +
        "param\ttag\t1\t1\tchar\tbuiltin char\n" +
        "param\tp\t12\t4\tns::Particle\tnamed ns::Particle\n" +
        "param\tscale\t8\t8\tdouble\tbuiltin double\n" +
        "param\ts\t32\t8\tns::Segment\tnamed ns::Segment\n" +
        "param\tq\t16\t16\tns::Padded\tnamed ns::Padded\n";
}
