// Kernels for the typed launchers' GPU tests: a template with two instantiations inside a namespace, vector types,
// and one parameter of every scalar width, written back so the test sees what the device received.
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
