// Writes each element's coordinates, to check that 2-D grid and block shapes reach the device.
extern "C" __global__ void fill_coordinates(int* output, int width, int height)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < width && y < height)
    {
        output[y * width + x] = y * 65536 + x;
    }
}
