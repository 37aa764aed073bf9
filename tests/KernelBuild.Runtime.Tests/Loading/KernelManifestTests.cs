using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Loading;

[TestClass]
public sealed class KernelManifestTests
{
    private const string Origin = "the test manifest";

    [TestMethod]
    public void ReadsTheDocumentedExample()
    {
        // The example of docs/formats.md, with real-looking hashes.
        const string json = """
            {
              "format": 1,
              "compiler": "NVRTC 11.8",
              "kernels": [
                {
                  "source": "kernels/increment.cu",
                  "entryPoints": [ "increment" ],
                  "images": [
                    { "arch": "compute_52", "kind": "ptx",   "resource": "KernelBuild/kernels/increment.compute_52.ptx", "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
                    { "arch": "sm_80",      "kind": "cubin", "resource": "KernelBuild/kernels/increment.sm_80.cubin",    "sha256": "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210" }
                  ]
                }
              ]
            }
            """;

        KernelManifest manifest = KernelManifest.Parse(Encoding.UTF8.GetBytes(json), Origin);

        Assert.AreEqual("NVRTC 11.8", manifest.Compiler);
        ManifestKernel kernel = manifest.Kernels[0];
        Assert.AreEqual("kernels/increment.cu", kernel.Source);
        CollectionAssert.AreEqual(new[] { "increment" }, kernel.EntryPoints.ToArray());
        Assert.HasCount(2, kernel.Images);
        Assert.AreEqual(CudaArchitecture.Parse("compute_52"), kernel.Images[0].Architecture);
        Assert.AreEqual(KernelImageKind.Ptx, kernel.Images[0].Kind);
        Assert.AreEqual("KernelBuild/kernels/increment.compute_52.ptx", kernel.Images[0].Resource);
        Assert.AreEqual(KernelImageKind.Cubin, kernel.Images[1].Kind);
        Assert.AreEqual("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", kernel.Images[1].Sha256);
    }

    [TestMethod]
    public void FindsKernelsByTheirSourcePathWithEitherSeparator()
    {
        KernelManifest manifest = Parse(new ManifestJson()
            .Kernel("kernels/a.cu", ["a"], "sm_80")
            .Kernel("kernels/sub/b.cu", ["b"], "sm_80")
            .ToJson());

        Assert.AreEqual("kernels/sub/b.cu", manifest.Find("kernels/sub/b.cu")?.Source);
        Assert.AreEqual("kernels/sub/b.cu", manifest.Find(@"kernels\sub\b.cu")?.Source);
        Assert.IsNull(manifest.Find("kernels/A.cu"));
    }

    [TestMethod]
    public void ReadsAManifestWithoutKernels() =>
        Assert.IsEmpty(Parse(new ManifestJson().ToJson()).Kernels);

    [TestMethod]
    public void ReportsJsonThatIsNotJson()
    {
        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => KernelManifest.Parse(Encoding.UTF8.GetBytes("{ \"format\": 1, \"kernels\": [ "), Origin));

        Assert.Contains($"{Origin} is not valid JSON", exception.Message);
        Assert.IsNotNull(exception.InnerException);
    }

    [TestMethod]
    public void ReportsAnotherFormat()
    {
        JsonObject json = new ManifestJson().ToJson();
        json["format"] = 2;

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => Parse(json));

        Assert.Contains("format 2", exception.Message);
        Assert.Contains("reads format 1", exception.Message);
    }

    [TestMethod]
    [DataRow("source", "kernels[0] has no 'source'")]
    [DataRow("entryPoints", "kernels[0] has no 'entryPoints'")]
    [DataRow("images", "kernels[0] has no 'images'")]
    public void NamesAMissingKernelField(string field, string expected)
    {
        JsonObject json = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80").ToJson();
        json["kernels"]![0]!.AsObject().Remove(field);

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => Parse(json));

        Assert.Contains($"{Origin} is malformed: {expected}", exception.Message);
    }

    [TestMethod]
    [DataRow("arch", "kernels[0].images[1] has no 'arch'")]
    [DataRow("kind", "kernels[0].images[1] has no 'kind'")]
    [DataRow("resource", "kernels[0].images[1] has no 'resource'")]
    [DataRow("sha256", "kernels[0].images[1] has no 'sha256'")]
    public void NamesAMissingImageField(string field, string expected)
    {
        JsonObject json = new ManifestJson().Kernel("kernels/a.cu", ["a"], "compute_52", "sm_80").ToJson();
        json["kernels"]![0]!["images"]![1]!.AsObject().Remove(field);

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => Parse(json));

        Assert.Contains(expected, exception.Message);
    }

    [TestMethod]
    [DataRow("arch", "sm_eighty", "'sm_eighty', not an architecture name")]
    [DataRow("kind", "fatbin", "'fatbin'; expected 'ptx' or 'cubin'")]
    [DataRow("kind", "ptx", "PTX goes with compute_XY and cubins with sm_XY")]
    [DataRow("sha256", "ABC", "not 64 lowercase hex digits")]
    public void NamesAWrongImageValue(string field, string value, string expected)
    {
        JsonObject json = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80").ToJson();
        json["kernels"]![0]!["images"]![0]![field] = value;

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => Parse(json));

        Assert.Contains("kernels[0].images[0]", exception.Message);
        Assert.Contains(expected, exception.Message);
    }

    [TestMethod]
    public void NamesAFieldOfTheWrongType()
    {
        JsonObject json = new ManifestJson().Kernel("kernels/a.cu", ["a"], "sm_80").ToJson();
        json["kernels"]![0]!["entryPoints"] = "a";

        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(() => Parse(json));

        Assert.Contains("kernels[0].entryPoints is a string, not an array", exception.Message);
    }

    [TestMethod]
    public void RefusesANonObjectRoot()
    {
        KernelLoadException exception = Assert.ThrowsExactly<KernelLoadException>(
            () => KernelManifest.Parse(Encoding.UTF8.GetBytes("[]"), Origin));

        Assert.Contains("the manifest is an array, not an object", exception.Message);
    }

    private static KernelManifest Parse(JsonNode json) => KernelManifest.Parse(ManifestJson.Bytes(json), Origin);
}
