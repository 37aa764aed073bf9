using System.Text;
using System.Text.RegularExpressions;
using Increment;
using KernelBuild.Runtime;

// The seed story, end to end: print what the build compiled and where it put it, then, where there is a GPU,
// run the kernel and check what it computed.
const string KernelSource = "kernels/increment.cu";
var assembly = typeof(Program).Assembly;

KernelManifest manifest = KernelManifest.FromAssembly(assembly);
// A Debug build keeps the kernels in Increment.cudakernels beside the assembly (a kernel edit then leaves the C#
// compile alone); Release, publish and pack embed them. The runtime reads either.
string where = assembly.GetManifestResourceInfo("KernelBuild.cudakernels") != null
    ? "embedded in the assembly"
    : $"in {assembly.GetName().Name}.cudakernels beside the assembly";
Console.WriteLine($"Compiled by KernelBuild ({manifest.Compiler}), {where}:");
foreach (ManifestKernel kernel in manifest.Kernels)
{
    Console.WriteLine($"  {kernel.Source}: entry points {string.Join(", ", kernel.EntryPoints)}");
    foreach (KernelImage image in kernel.Images)
    {
        Console.WriteLine($"    {image.Resource} ({image.Kind}, {KernelManifest.ReadImage(assembly, image).Length} bytes)");
    }
}

// The step is a compile-time constant inlined into the kernel: read it back from the PTX to show which
// version of step.cuh the compiled code was built from.
KernelImage ptx = manifest.Kernels.Single(k => k.Source == KernelSource).Images.First(i => i.Kind == KernelImageKind.Ptx);
Match add = Regex.Match(Encoding.UTF8.GetString(KernelManifest.ReadImage(assembly, ptx)), @"add\.s32\s+%r\d+,\s*%r\d+,\s*(-?\d+);");
Console.WriteLine(add.Success
    ? $"The compiled increment adds {add.Groups[1].Value} (step() in kernels/device/step.cuh)."
    : "Could not find the step in the PTX.");

CudaGpu gpu;
try
{
    gpu = CudaGpu.OpenDefault();
}
catch (CudaUnavailableException e)
{
    Console.WriteLine($"No GPU to run it on ({e.Message}).");
    Console.WriteLine("The kernel was compiled; run this on a machine with an NVIDIA GPU and driver to launch it.");
    return 0;
}

using (gpu)
{
    const int n = 1 << 20;
    int[] host = Enumerable.Range(0, n).ToArray();
    // IncrementKernels is generated at build time from the signature NVRTC reported for kernels/increment.cu:
    // Increment(LaunchConfiguration, DeviceBuffer<int> data, int n), checked by the C# compiler.
    using IncrementKernels kernels = IncrementKernels.Load(gpu);
    Console.WriteLine($"Running on {gpu.Device.Name} (compute {gpu.Device.ComputeCapability}), image {kernels.Module.Image}.");

    using DeviceBuffer<int> data = gpu.Allocate<int>(n);
    data.CopyFrom(host);
    kernels.Increment(LaunchShape.For1D(n), data, n);
    gpu.Synchronize();
    data.CopyTo(host);

    int step = host[0];
    bool uniform = host.Select((value, i) => value - i).All(d => d == step);
    Console.WriteLine($"increment added {step} to each of {n} elements: data[0..4] = {string.Join(", ", host.Take(4))}.");
    if (!uniform)
    {
        Console.Error.WriteLine("Not every element was incremented by the same step.");
        return 1;
    }
}
return 0;
