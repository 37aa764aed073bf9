// y = clamp(a * x + y, low, high), over a grid-stride loop: a kernel built from several headers.
#include "grid_stride.cuh"
#include "clamp.cuh"

extern "C" __global__ void saxpy_clamped(float a, const float* x, float* y, float low, float high, int n)
{
    for (int i = grid_first_index(); i < n; i += grid_stride())
    {
        y[i] = clamp_to(a * x[i] + y[i], low, high);
    }
}
