// Built for compute_75 only (see the project file), so every device loads it as PTX through the
// driver's JIT.
extern "C" __global__ void square(float* data, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
    {
        data[i] = data[i] * data[i];
    }
}
