// Sums each block's slice of the input in dynamic shared memory (blockDim.x must be a power of two).
extern "C" __global__ void block_sum(const int* input, long long* block_sums, int n)
{
    extern __shared__ long long partial[];
    int tid = threadIdx.x;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    partial[tid] = i < n ? (long long)input[i] : 0;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1)
    {
        if (tid < stride)
        {
            partial[tid] += partial[tid + stride];
        }
        __syncthreads();
    }
    if (tid == 0)
    {
        block_sums[blockIdx.x] = partial[0];
    }
}
