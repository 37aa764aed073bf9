using KernelBuild.Runtime;

// What the build compiled and embedded (readable without a GPU), then, where there is one, a launch.
var assembly = typeof(Program).Assembly;
KernelManifest manifest = KernelManifest.FromAssembly(assembly);
Console.WriteLine($"Embedded by KernelBuild ({manifest.Compiler}):");
foreach (ManifestKernel kernel in manifest.Kernels)
{
    Console.WriteLine($"  {kernel.Source}: {string.Join(", ", kernel.EntryPoints)} as {string.Join(", ", kernel.Images.Select(i => i.Resource))}");
}

CudaGpu gpu;
try
{
    gpu = CudaGpu.OpenDefault();
}
catch (CudaUnavailableException e)
{
    Console.WriteLine($"No GPU to run it on ({e.Message}); the kernel was compiled and embedded.");
    return 0;
}

using (gpu)
{
    const int n = 1 << 20;
    float[] x = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
    float[] y = new float[n];
    Array.Fill(y, 1.0f);
    using CudaModule module = gpu.LoadModule(assembly, "kernels/saxpy.cu");
    using DeviceBuffer<float> deviceX = gpu.Allocate<float>(n);
    using DeviceBuffer<float> deviceY = gpu.Allocate<float>(n);
    deviceX.CopyFrom(x);
    deviceY.CopyFrom(y);
    module.GetKernel("saxpy").Launch(grid: (n + 255) / 256, block: 256, deviceX, deviceY, n);
    gpu.Synchronize();
    deviceY.CopyTo(y);
    Console.WriteLine($"Ran on {gpu.Device.Name} with image {module.Image}: y[3] = {y[3]} (scale() * 3 + 1).");
}
return 0;
