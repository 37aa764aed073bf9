using System.Text;
using KernelBuild.Formats;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>The manifest's one writer and one reader (src/Shared), which the task and the runtime both compile.</summary>
[TestClass]
public sealed class ManifestFormatTests
{
    private const string Origin = "the test manifest";
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [TestMethod]
    public void WhatTheWriterWritesTheReaderReadsBack()
    {
        // Strings that need every escape the writer knows, and text outside ASCII.
        var written = new Manifest("NVRTC 11.8 \"quoted\"", [
            new ManifestKernelEntry("kernels/zeta.cu", ["_Z4zetaPi", "zeta2"], [Image("sm_90a", "kernels/zeta"), Image("compute_52", "kernels/zeta")]),
            new ManifestKernelEntry("kernels/ä b\\c\t\"d\".cu", ["k\u0001\r\n"], [Image("compute_100f", "kernels/ä b")]),
            new ManifestKernelEntry("kernels/none.cu", [], []),
        ]);

        Manifest read = RoundTrip(written);

        Assert.AreEqual(written.Compiler, read.Compiler);
        // The writer sorts kernels by source and images by architecture name, ordinal.
        CollectionAssert.AreEqual(written.Kernels.Select(k => k.Source).Order(StringComparer.Ordinal).ToArray(), read.Kernels.Select(k => k.Source).ToArray());
        foreach (ManifestKernelEntry expected in written.Kernels)
        {
            ManifestKernelEntry actual = read.Kernels.Single(k => k.Source == expected.Source);
            CollectionAssert.AreEqual(expected.EntryPoints.ToArray(), actual.EntryPoints.ToArray(), expected.Source);
            CollectionAssert.AreEqual(
                expected.Images.OrderBy(i => i.Architecture.Name, StringComparer.Ordinal).Select(Describe).ToArray(),
                actual.Images.Select(Describe).ToArray(),
                expected.Source);
        }
    }

    [TestMethod]
    public void WritingWhatWasReadGivesTheSameBytes()
    {
        string first = ManifestWriter.Write(new Manifest("NVRTC 11.8", [
            new ManifestKernelEntry("b.cu", ["b"], [Image("sm_80", "b"), Image("compute_52", "b")]),
            new ManifestKernelEntry("a.cu", ["a"], [Image("sm_86", "a")]),
        ]));

        string second = ManifestWriter.Write(ManifestReader.Read(Encoding.UTF8.GetBytes(first), Origin));

        Assert.AreEqual(first, second);
    }

    [TestMethod]
    public void ReadsTheDocumentedExampleWithOtherWhiteSpaceAndEscapes()
    {
        // docs/formats.md's layout is one rendering; any valid JSON of the same content must read the same.
        string json = "\uFEFF{\"kernels\":[{\"images\":[{\"sha256\":\"" + Hash + "\",\"resource\":\"KernelBuild\\/k\\u00e4.sm_80.cubin\","
            + "\"kind\":\"cubin\",\"arch\":\"sm_80\"}],\"entryPoints\":[],\"source\":\"k\\u00e4.cu\",\"later\":{\"x\":[1.5e3,true,null]}}],"
            + "\r\n\t\"format\" : 1 }";

        Manifest manifest = ManifestReader.Read(Encoding.UTF8.GetBytes(json), Origin);

        Assert.IsNull(manifest.Compiler, "compiler is optional on read");
        Assert.AreEqual("kä.cu", manifest.Kernels[0].Source);
        Assert.AreEqual("KernelBuild/kä.sm_80.cubin", manifest.Kernels[0].Images[0].Resource);
        Assert.AreEqual("cubin", manifest.Kernels[0].Images[0].Kind);
    }

    [TestMethod]
    [DataRow("{\"format\": 1, \"kernels\": [ ", "unexpected end")]
    [DataRow("{\"format\": 1, \"kernels\": [], }", "expected a property name")]
    [DataRow("{\"format\": 1, \"kernels\": [1,]}", "unexpected character ']'")]
    [DataRow("{\"format\": 1, \"kernels\": [] // comment\n}", "expected ',', found '/'")]
    [DataRow("{\"format\": 1, \"format\": 1, \"kernels\": []}", "property 'format' appears twice")]
    [DataRow("{\"format\": 01, \"kernels\": []}", "expected ','")]
    [DataRow("{\"format\": 1, \"kernels\": []} x", "more text after the end")]
    [DataRow("{'format': 1}", "expected a property name in quotes")]
    [DataRow("{\"format\": 1, \"compiler\": \"a\nb\", \"kernels\": []}", "control character in a string")]
    [DataRow("{\"format\": 1, \"compiler\": \"\\x\", \"kernels\": []}", "'\\x' is not a JSON escape")]
    [DataRow("{\"format\": 1, \"compiler\": \"\\u12\", \"kernels\": []}", "\\u is not followed by four hex digits")]
    [DataRow("{\"format\": tru, \"kernels\": []}", "unexpected character 't'")]
    public void RefusesTextThatIsNotStrictJson(string json, string problem)
    {
        ManifestFormatException exception = Assert.ThrowsExactly<ManifestFormatException>(
            () => ManifestReader.Read(Encoding.UTF8.GetBytes(json), Origin));

        StringAssert.StartsWith(exception.Message, Origin + " is not valid JSON: ");
        StringAssert.Contains(exception.Message, problem);
        StringAssert.Contains(exception.Message, "(line ");
    }

    [TestMethod]
    public void NamesTheLineAndColumnOfAJsonError()
    {
        ManifestFormatException exception = Assert.ThrowsExactly<ManifestFormatException>(
            () => ManifestReader.Read(Encoding.UTF8.GetBytes("{\n  \"format\": 1,\n  \"kernels\": ]\n}"), Origin));

        StringAssert.Contains(exception.Message, "(line 3, column 14)");
    }

    [TestMethod]
    public void RefusesBytesThatAreNotUtf8() =>
        StringAssert.Contains(
            Assert.ThrowsExactly<ManifestFormatException>(() => ManifestReader.Read([(byte)'{', 0xC3, 0x28, (byte)'}'], Origin)).Message,
            "not UTF-8");

    [TestMethod]
    public void RefusesDeepNestingWithoutOverflowingTheStack()
    {
        string json = "{\"format\": 1, \"kernels\": [], \"x\": " + new string('[', 100_000) + new string(']', 100_000) + "}";

        ManifestFormatException exception = Assert.ThrowsExactly<ManifestFormatException>(
            () => ManifestReader.Read(Encoding.UTF8.GetBytes(json), Origin));

        StringAssert.Contains(exception.Message, "nested deeper than 64 levels");
    }

    [TestMethod]
    [DataRow("{\"format\": 1.0, \"kernels\": []}", "format is the number 1.0, not an integer")]
    [DataRow("{\"format\": \"1\", \"kernels\": []}", "format is a string, not an integer")]
    [DataRow("{\"format\": 1, \"compiler\": null, \"kernels\": []}", "compiler is null, not a string")]
    [DataRow("{\"format\": 1, \"kernels\": {}}", "kernels is an object, not an array")]
    [DataRow("{\"format\": 1}", "the manifest has no 'kernels'")]
    [DataRow("true", "the manifest is true, not an object")]
    public void NamesAPropertyOfTheWrongType(string json, string problem)
    {
        ManifestFormatException exception = Assert.ThrowsExactly<ManifestFormatException>(
            () => ManifestReader.Read(Encoding.UTF8.GetBytes(json), Origin));

        Assert.AreEqual(Origin + " is malformed: " + problem, exception.Message);
    }

    [TestMethod]
    [DataRow("SM_80", "cubin", "'SM_80', not spelled as KernelBuild writes it ('sm_80')")]
    [DataRow("sm_80b", "cubin", "'sm_80b', not an architecture name")]
    [DataRow("compute_52", "cubin", "is a cubin for compute_52; PTX goes with compute_XY")]
    [DataRow("sm_80", "CUBIN", "'CUBIN'; expected 'ptx' or 'cubin'")]
    public void RefusesAnArchitectureOrKindThatTheWriterWouldNotWrite(string arch, string kind, string problem)
    {
        string json = "{\"format\": 1, \"kernels\": [{\"source\": \"a.cu\", \"entryPoints\": [], \"images\": [" +
            $"{{\"arch\": \"{arch}\", \"kind\": \"{kind}\", \"resource\": \"KernelBuild/a\", \"sha256\": \"{Hash}\"}}]}}]}}";

        ManifestFormatException exception = Assert.ThrowsExactly<ManifestFormatException>(
            () => ManifestReader.Read(Encoding.UTF8.GetBytes(json), Origin));

        StringAssert.Contains(exception.Message, "kernels[0].images[0]");
        StringAssert.Contains(exception.Message, problem);
    }

    [TestMethod]
    public void RefusesAnotherFormatAndSaysWhatToDo()
    {
        ManifestFormatException exception = Assert.ThrowsExactly<ManifestFormatException>(
            () => ManifestReader.Read(Encoding.UTF8.GetBytes("{\"format\": 2, \"kernels\": []}"), Origin));

        StringAssert.Contains(exception.Message, "has format 2; this KernelBuild reads format 1");
        StringAssert.Contains(exception.Message, "as new as the KernelBuild that built the assembly");
    }

    private static Manifest RoundTrip(Manifest manifest) =>
        ManifestReader.Read(Encoding.UTF8.GetBytes(ManifestWriter.Write(manifest)), Origin);

    private static string Describe(ManifestImageEntry image) => $"{image.Architecture.Name} {image.Kind} {image.Resource} {image.Sha256}";

    private static ManifestImageEntry Image(string arch, string stem)
    {
        Assert.IsTrue(ArchitectureName.TryParse(arch, out ArchitectureName name), arch);
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(stem + arch)));
        return new ManifestImageEntry(name, KernelResources.ForImage(KernelResources.ImagePath(stem + ".cu", name)), hash);
    }
}
