// Parameters of mixed sizes and alignments (int, double, pointers, a struct by value), so that the
// runtime's argument marshalling is checked against what the device actually reads.
struct Affine
{
    float multiply;
    int add;
};

extern "C" __global__ void mixed_args(int n, double scale, const int* input, Affine affine, double* output)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
    {
        output[i] = scale * ((double)input[i] * (double)affine.multiply + (double)affine.add);
    }
}
