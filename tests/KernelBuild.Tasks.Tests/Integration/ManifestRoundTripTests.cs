using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using KernelBuild.Runtime;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// The manifest the task writes during a real `dotnet build`, read back through the runtime's public API from the
/// built assembly: the two sides agree on the manifest, its resource names and the architecture names.
/// </summary>
[TestClass]
public sealed class ManifestRoundTripTests
{
    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();

    [TestMethod]
    public void TheRuntimeReadsWhatTheBuildEmbedded()
    {
        // Upper-case architectures are accepted and written lower case; a path with a space and a non-ASCII
        // letter goes through the JSON writer's and reader's string handling.
        using var project = new ThrowawayProject("<CudaArchitectures>COMPUTE_52;sm_80</CudaArchitectures>");
        SeedKernels.WriteSeed(project);
        project.Write("kernels/sub dir/ünïcode.cu", "extern \"C\" __global__ void scale(float* x) { x[threadIdx.x] *= 2.0f; }\n");

        BuildRun run = project.Build();

        Assert.IsTrue(run.Succeeded, run.ToString());
        var context = new AssemblyLoadContext("kb-manifest-" + Guid.NewGuid(), isCollectible: true);
        try
        {
            using var stream = new MemoryStream(File.ReadAllBytes(project.AssemblyPath));
            Assembly assembly = context.LoadFromStream(stream);

            KernelManifest manifest = KernelManifest.FromAssembly(assembly);

            StringAssert.StartsWith(manifest.Compiler, "NVRTC ");
            CollectionAssert.AreEqual(new[] { "kernels/increment.cu", "kernels/sub dir/ünïcode.cu" }, manifest.Kernels.Select(k => k.Source).ToArray());
            CollectionAssert.AreEqual(new[] { "increment" }, manifest.Kernels[0].EntryPoints.ToArray());
            CollectionAssert.AreEqual(new[] { "scale" }, manifest.Kernels[1].EntryPoints.ToArray());
            foreach (ManifestKernel kernel in manifest.Kernels)
            {
                AssertImagesMatchTheBuild(project, assembly, kernel);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static void AssertImagesMatchTheBuild(ThrowawayProject project, Assembly assembly, ManifestKernel kernel)
    {
        string stem = kernel.Source[..^".cu".Length];
        CollectionAssert.AreEqual(
            new[] { $"compute_52 Ptx KernelBuild/{stem}.compute_52.ptx", $"sm_80 Cubin KernelBuild/{stem}.sm_80.cubin" },
            kernel.Images.Select(i => $"{i.Architecture} {i.Kind} {i.Resource}").ToArray());
        foreach (KernelImage image in kernel.Images)
        {
            byte[] file = File.ReadAllBytes(project.OutputOf(image.Resource["KernelBuild/".Length..]));
            CollectionAssert.AreEqual(file, KernelManifest.ReadImage(assembly, image), image.Resource);
            Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(file)), image.Sha256, image.Resource);
        }
    }
}
