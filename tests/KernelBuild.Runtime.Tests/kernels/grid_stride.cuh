// Grid-stride loop bounds, shared by kernels that accept any grid size.
#pragma once

__device__ inline int grid_first_index()
{
    return blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ inline int grid_stride()
{
    return gridDim.x * blockDim.x;
}
