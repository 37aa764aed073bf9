// Adds one to every element: the smallest useful kernel, as in the sample.
extern "C" __global__ void increment(int* data, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
    {
        data[i] += 1;
    }
}
