#include "device/step.cuh"

// Adds step() to every element of data.
extern "C" __global__ void increment(int* data, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
    {
        data[i] += step();
    }
}
