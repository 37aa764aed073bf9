using System.Text.Json.Nodes;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Loading;

[TestClass]
public sealed class EmbeddedKernelsTests
{
    [TestMethod]
    public void ReportsAnAssemblyWithoutAManifest()
    {
        // CoreLib certainly embeds no KernelBuild manifest.
        EmbeddedKernels kernels = EmbeddedKernels.From(typeof(object).Assembly);

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => kernels.ReadManifest());

        Assert.Contains("assembly 'System.Private.CoreLib'", exception.Message);
        Assert.Contains("KernelBuild/manifest.json", exception.Message);
    }

    [TestMethod]
    public void ReadsTheManifestAndAnImageWhoseHashMatches()
    {
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "compute_52", "sm_80");
        EmbeddedKernels kernels = build.Embedded();

        ManifestKernel kernel = kernels.FindKernel(kernels.ReadManifest(), "kernels/a.cu");
        byte[] image = kernels.ReadImage(kernel.Images[1]);

        CollectionAssert.AreEqual(build.Resources["KernelBuild/kernels/a.sm_80.cubin"], image);
    }

    [TestMethod]
    public void ListsTheEmbeddedKernelsWhenOneIsNotThere()
    {
        EmbeddedKernels kernels = new ManifestJson()
            .Kernel("kernels/a.cu", ["a"], "sm_80")
            .Kernel("kernels/b.cu", ["b"], "sm_80")
            .Embedded();

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => kernels.FindKernel(kernels.ReadManifest(), "kernels/c.cu"));

        Assert.Contains("no kernel 'kernels/c.cu'", exception.Message);
        Assert.Contains("kernels/a.cu, kernels/b.cu", exception.Message);
    }

    [TestMethod]
    public void RefusesAnImageWhoseHashDiffers()
    {
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80");
        build.Resources["KernelBuild/kernels/a.sm_80.cubin"] = [1, 2, 3];
        EmbeddedKernels kernels = build.Embedded();
        KernelImage image = kernels.ReadManifest().Kernels[0].Images[0];

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => kernels.ReadImage(image));

        Assert.Contains("'KernelBuild/kernels/a.sm_80.cubin'", exception.Message);
        Assert.Contains("does not match its manifest", exception.Message);
        Assert.Contains(image.Sha256, exception.Message);
    }

    [TestMethod]
    public void NamesAnImageResourceThatIsMissing()
    {
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80");
        build.Resources.Remove("KernelBuild/kernels/a.sm_80.cubin");
        EmbeddedKernels kernels = build.Embedded();

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => kernels.ReadImage(kernels.ReadManifest().Kernels[0].Images[0]));

        Assert.Contains("'KernelBuild/kernels/a.sm_80.cubin'", exception.Message);
        Assert.Contains("no such embedded resource", exception.Message);
    }

    [TestMethod]
    public void ReportsAMalformedEmbeddedManifestWithItsOrigin()
    {
        EmbeddedKernels kernels = new ManifestJson().Embedded(new JsonObject { ["format"] = 1 });

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => kernels.ReadManifest());

        Assert.Contains("the KernelBuild manifest of test assembly is malformed: the manifest has no 'kernels'", exception.Message);
    }
}
