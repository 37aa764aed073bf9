// Kernels for the typed launchers' GPU tests: a template with two instantiations inside a namespace, vector types,
// one parameter of every scalar width, written back so the test sees what the device received, and user structs
// (mapped by [CudaStruct] in TypedLaunchTests.cs) by value, through pointers and as a template argument
// instantiated through the project's Instantiations metadata.
typedef float real;

namespace ops
{
template <typename T>
__global__ void scale(T* data, T factor, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) data[i] *= factor;
}

template __global__ void scale<float>(float*, float, int);
template __global__ void scale<double>(double*, double, int);
}

extern "C" __global__ void add_vectors(const float4* a, const float4* b, float4* sum, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) sum[i] = make_float4(a[i].x + b[i].x, a[i].y + b[i].y, a[i].z + b[i].z, a[i].w + b[i].w);
}

extern "C" __global__ void widths(signed char c, unsigned short s, bool flag, unsigned int u, long long l, real f, double d, double2 v, short3 t, unsigned long long* out)
{
    out[0] = (unsigned long long)(long long)c;
    out[1] = s;
    out[2] = flag ? 1 : 0;
    out[3] = u;
    out[4] = (unsigned long long)l;
    out[5] = (unsigned long long)(long long)(f * 1000.0f);
    out[6] = (unsigned long long)(long long)(d * 1000.0);
    out[7] = (unsigned long long)(long long)((v.x + v.y) * 1000.0);
    out[8] = (unsigned long long)(long long)(t.x * 10000 + t.y * 100 + t.z);
}

namespace physics
{
struct Particle { float x, y; int id; };
// A nested struct by value: 24 bytes aligned to 8 (the double at 16).
struct Step { Particle delta; double scale; };
}

extern "C" __global__ void advance(const physics::Particle* input, physics::Particle* output, physics::Step step, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
    {
        output[i].x = input[i].x + step.delta.x * (float)step.scale;
        output[i].y = input[i].y + step.delta.y * (float)step.scale;
        output[i].id = input[i].id + step.delta.id;
    }
}

template <typename T>
__global__ void fill(T* data, T value, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) data[i] = value;
}
// Instantiated by the project's Instantiations metadata (fill<physics::Particle>), not here.
