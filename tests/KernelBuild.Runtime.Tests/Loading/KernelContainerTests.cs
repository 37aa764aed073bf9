using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Loading;

[TestClass]
public sealed class KernelContainerTests
{
    [TestMethod]
    public void ReportsAnAssemblyWithoutAManifest()
    {
        // CoreLib certainly embeds no KernelBuild manifest.
        KernelContainer kernels = KernelContainer.From(typeof(object).Assembly);

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => kernels.ReadManifest());

        Assert.Contains("assembly 'System.Private.CoreLib'", exception.Message);
        Assert.Contains("'KernelBuild.cudakernels'", exception.Message);
        Assert.Contains("EmbedCudaKernels", exception.Message);
    }

    [TestMethod]
    public void ReadsTheKernelBundleAnAssemblyEmbeds()
    {
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "compute_52", "sm_80");
        var resources = new Dictionary<string, byte[]> { [KernelContainer.EmbeddedBundleResource] = TestBundles.Archive(build) };

        KernelContainer kernels = KernelContainer.From("App", Open(resources), bundlePath: null);
        ManifestKernel kernel = kernels.FindKernel(kernels.ReadManifest(), "kernels/a.cu");

        Assert.AreEqual("assembly 'App'", kernels.Origin);
        CollectionAssert.AreEqual(build.Resources["KernelBuild/kernels/a.sm_80.cubin"], kernels.ReadImage(kernel.Images[1]));
    }

    [TestMethod]
    public void ReadsAnAssemblyBuiltBeforeTheBundleWasEmbedded()
    {
        // The earlier layout: the manifest and each image a resource of their own. A bundle beside such an assembly
        // is not read, as for any assembly that embeds its kernels.
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80");
        var resources = new Dictionary<string, byte[]>(build.Resources) { [KernelContainer.ManifestResource] = ManifestJson.Bytes(build.ToJson()) };
        using var folder = new TemporaryFolder();
        string staleBundle = TestBundles.Write(Path.Combine(folder.Path, "App.cudakernels"), new ManifestJson().Kernel("kernels/stale.cu", ["stale"], "sm_80"));

        KernelContainer kernels = KernelContainer.From("App", Open(resources), staleBundle);
        ManifestKernel kernel = kernels.FindKernel(kernels.ReadManifest(), "kernels/a.cu");

        Assert.AreEqual("assembly 'App'", kernels.Origin);
        CollectionAssert.AreEqual(build.Resources["KernelBuild/kernels/a.sm_80.cubin"], kernels.ReadImage(kernel.Images[0]));
    }

    [TestMethod]
    public void ACorruptEmbeddedBundleIsALoadErrorThatNamesTheAssemblyAndSaysToRebuild()
    {
        var resources = new Dictionary<string, byte[]> { [KernelContainer.EmbeddedBundleResource] = "not a zip archive"u8.ToArray() };

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => KernelContainer.From("App", Open(resources), bundlePath: null).ReadManifest());

        Assert.Contains("assembly 'App' cannot be read", exception.Message);
        Assert.Contains("dotnet build --no-incremental", exception.Message);
    }

    [TestMethod]
    public void ThisAssemblyEmbedsOneKernelBundleWhoseImagesThePublicApiReads()
    {
        // Built by KernelBuild from kernels/: the one resource, and every image read back by KernelManifest.ReadImage
        // (hash checked against the manifest).
        Assembly self = typeof(KernelContainerTests).Assembly;
        CollectionAssert.AreEqual(new[] { KernelContainer.EmbeddedBundleResource },
            self.GetManifestResourceNames().Where(name => name.StartsWith("KernelBuild", StringComparison.Ordinal)).ToArray());

        KernelManifest manifest = KernelManifest.FromAssembly(self);

        int images = 0;
        foreach (KernelImage image in manifest.Kernels.SelectMany(kernel => kernel.Images))
        {
            byte[] bytes = KernelManifest.ReadImage(self, image);
            Assert.AreEqual(image.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), image.Resource);
            images++;
        }
        Assert.IsGreaterThanOrEqualTo(10, images, "this assembly's kernels/ folder, for three architectures");
    }

    [TestMethod]
    public void ReadsTheManifestAndAnImageWhoseHashMatches()
    {
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "compute_52", "sm_80");
        KernelContainer kernels = build.Embedded();

        ManifestKernel kernel = kernels.FindKernel(kernels.ReadManifest(), "kernels/a.cu");
        byte[] image = kernels.ReadImage(kernel.Images[1]);

        CollectionAssert.AreEqual(build.Resources["KernelBuild/kernels/a.sm_80.cubin"], image);
    }

    [TestMethod]
    public void ListsTheEmbeddedKernelsWhenOneIsNotThere()
    {
        KernelContainer kernels = new ManifestJson()
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
        KernelContainer kernels = build.Embedded();
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
        KernelContainer kernels = build.Embedded();

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => kernels.ReadImage(kernels.ReadManifest().Kernels[0].Images[0]));

        Assert.Contains("'KernelBuild/kernels/a.sm_80.cubin'", exception.Message);
        Assert.Contains("no such resource", exception.Message);
    }

    [TestMethod]
    public void ReportsAMalformedEmbeddedManifestWithItsOrigin()
    {
        KernelContainer kernels = new ManifestJson().Embedded(new JsonObject { ["format"] = 1 });

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => kernels.ReadManifest());

        Assert.Contains("the KernelBuild manifest of test assembly is malformed: the manifest has no 'kernels'", exception.Message);
    }

    [TestMethod]
    public void ReadsTheManifestAndAnImageFromABundle()
    {
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "compute_52", "sm_80");
        using var folder = new TemporaryFolder();
        string bundle = TestBundles.Write(Path.Combine(folder.Path, "App.cudakernels"), build);

        KernelContainer kernels = KernelContainer.FromBundle("bundle", bundle);
        ManifestKernel kernel = kernels.FindKernel(kernels.ReadManifest(), "kernels/a.cu");

        CollectionAssert.AreEqual(build.Resources["KernelBuild/kernels/a.sm_80.cubin"], kernels.ReadImage(kernel.Images[1]));
    }

    [TestMethod]
    public void AnAssemblyWithoutEmbeddedKernelsReadsTheBundleBesideIt()
    {
        // A copy of the runtime assembly, which embeds no kernels, loaded from a folder of its own.
        using var folder = new TemporaryFolder();
        string copy = Path.Combine(folder.Path, "KernelBuild.Runtime.dll");
        File.Copy(typeof(KernelContainer).Assembly.Location, copy);
        var build = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80");
        var context = new AssemblyLoadContext("bundle-test", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromAssemblyPath(copy);
            Assert.AreEqual(Path.Combine(folder.Path, "KernelBuild.Runtime.cudakernels"), KernelContainer.BundlePath(assembly));
            KernelLoadException missing = Assert.ThrowsExactly<KernelLoadException>(() => KernelContainer.From(assembly).ReadManifest());
            Assert.Contains("KernelBuild.Runtime.cudakernels', which does not exist", missing.Message);

            TestBundles.Write(KernelContainer.BundlePath(assembly)!, build);
            KernelContainer kernels = KernelContainer.From(assembly);

            Assert.Contains("the kernel bundle", kernels.Origin);
            Assert.AreEqual("kernels/a.cu", kernels.ReadManifest().Kernels[0].Source);
        }
        finally
        {
            context.Unload();
        }
    }

    [TestMethod]
    public void EmbeddedKernelsWinOverABundleBesideTheAssembly()
    {
        // This test assembly embeds kernels (its project compiles kernels/); a bundle beside it must not be read.
        Assembly self = typeof(KernelContainerTests).Assembly;
        Assert.IsNotNull(self.GetManifestResourceInfo(KernelContainer.EmbeddedBundleResource), "this test assembly embeds its kernels");
        string bundle = KernelContainer.BundlePath(self)!;
        File.WriteAllBytes(bundle, [1, 2, 3]);
        try
        {
            KernelContainer kernels = KernelContainer.From(self);

            Assert.AreEqual($"assembly '{self.GetName().Name}'", kernels.Origin);
            Assert.IsNotNull(kernels.ReadManifest());
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [TestMethod]
    public void ACorruptBundleIsALoadErrorThatNamesItAndSaysToRebuild()
    {
        using var folder = new TemporaryFolder();
        string bundle = Path.Combine(folder.Path, "App.cudakernels");
        File.WriteAllText(bundle, "not a zip archive");

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => KernelContainer.FromBundle($"the kernel bundle '{bundle}'", bundle).ReadManifest());

        Assert.Contains(bundle, exception.Message);
        Assert.Contains("dotnet build --no-incremental", exception.Message);
    }

    [TestMethod]
    public void EveryKernelThisAssemblyEmbedsReadsBackFromABundleWithItsHashChecked()
    {
        Assembly self = typeof(KernelContainerTests).Assembly;
        using var folder = new TemporaryFolder();
        string bundle = TestBundles.WriteFromEmbedded(self, Path.Combine(folder.Path, "App.cudakernels"));
        KernelContainer embedded = KernelContainer.From(self);
        KernelContainer bundled = KernelContainer.FromBundle("bundle", bundle);

        KernelManifest manifest = bundled.ReadManifest();

        Assert.IsGreaterThanOrEqualTo(5, manifest.Kernels.Count, "this assembly's kernels/ folder");
        foreach (ManifestKernel kernel in manifest.Kernels)
        {
            foreach (KernelImage image in kernel.Images)
            {
                CollectionAssert.AreEqual(embedded.ReadImage(image), bundled.ReadImage(image), image.Resource);
            }
        }
    }

    private static Func<string, Stream?> Open(Dictionary<string, byte[]> resources) =>
        name => resources.TryGetValue(name, out byte[]? bytes) ? new MemoryStream(bytes, writable: false) : null;

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kb-bundle-" + Guid.NewGuid().ToString("N")[..8]);

        public TemporaryFolder() => Directory.CreateDirectory(Path);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
