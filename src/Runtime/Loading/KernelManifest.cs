using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace KernelBuild.Runtime;

/// <summary>The build's manifest (docs/formats.md, format 1): every embedded kernel and its images.</summary>
/// <param name="Compiler">The compiler that built the images, e.g. "NVRTC 11.8".</param>
/// <param name="Kernels">Every embedded kernel, sorted by source path.</param>
public sealed record KernelManifest(string? Compiler, IReadOnlyList<ManifestKernel> Kernels)
{
    /// <summary>
    /// What KernelBuild embedded in <paramref name="assembly"/>. Needs no GPU: use it to list or inspect kernels.
    /// </summary>
    /// <exception cref="KernelLoadException">The assembly has no manifest, or it is malformed.</exception>
    public static KernelManifest FromAssembly(System.Reflection.Assembly assembly) =>
        EmbeddedKernels.From(assembly).ReadManifest();

    internal const int SupportedFormat = 1;

    /// <summary>The kernel built from <paramref name="source"/> (ordinal match, '/' separators), or null.</summary>
    internal ManifestKernel? Find(string source)
    {
        string normalized = source.Replace('\\', '/');
        return Kernels.FirstOrDefault(kernel => string.Equals(kernel.Source, normalized, StringComparison.Ordinal));
    }

    /// <summary>Reads a manifest; every problem names <paramref name="origin"/> and the offending field.</summary>
    /// <exception cref="KernelLoadException">Not JSON, another format, or a field missing or of the wrong kind.</exception>
    internal static KernelManifest Parse(byte[] utf8Json, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new KernelLoadException($"{origin} is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            var reader = new Reader(origin);
            JsonElement root = reader.Object(document.RootElement, "the manifest");

            int format = reader.Int(reader.Property(root, "format", "the manifest"), "format");
            if (format != SupportedFormat)
            {
                throw new KernelLoadException(
                    $"{origin} has format {format}; this runtime reads format {SupportedFormat}. Use a KernelBuild.Runtime as new as the KernelBuild that built the assembly.");
            }

            string? compiler = root.TryGetProperty("compiler", out JsonElement compilerElement) && compilerElement.ValueKind == JsonValueKind.String
                ? compilerElement.GetString()
                : null;

            var kernels = new List<ManifestKernel>();
            JsonElement kernelArray = reader.Array(reader.Property(root, "kernels", "the manifest"), "kernels");
            int kernelIndex = 0;
            foreach (JsonElement kernelElement in kernelArray.EnumerateArray())
            {
                kernels.Add(reader.Kernel(kernelElement, $"kernels[{kernelIndex++}]"));
            }
            return new KernelManifest(compiler, kernels);
        }
    }

    /// <summary>Typed access to the JSON that reports where a field is missing or wrong.</summary>
    private readonly struct Reader(string origin)
    {
        internal ManifestKernel Kernel(JsonElement element, string path)
        {
            Object(element, path);
            string source = String(Property(element, "source", path), $"{path}.source");

            var entryPoints = new List<string>();
            JsonElement entryArray = Array(Property(element, "entryPoints", path), $"{path}.entryPoints");
            int entryIndex = 0;
            foreach (JsonElement entry in entryArray.EnumerateArray())
            {
                entryPoints.Add(String(entry, $"{path}.entryPoints[{entryIndex++}]"));
            }

            var images = new List<KernelImage>();
            JsonElement imageArray = Array(Property(element, "images", path), $"{path}.images");
            int imageIndex = 0;
            foreach (JsonElement image in imageArray.EnumerateArray())
            {
                images.Add(Image(image, $"{path}.images[{imageIndex++}]"));
            }
            return new ManifestKernel(source, entryPoints, images);
        }

        private KernelImage Image(JsonElement element, string path)
        {
            Object(element, path);
            string archText = String(Property(element, "arch", path), $"{path}.arch");
            if (!CudaArchitecture.TryParse(archText, out CudaArchitecture arch))
            {
                throw Malformed($"{path}.arch is '{archText}', not an architecture name like sm_80 or compute_52");
            }

            string kindText = String(Property(element, "kind", path), $"{path}.kind");
            KernelImageKind kind = kindText switch
            {
                "ptx" => KernelImageKind.Ptx,
                "cubin" => KernelImageKind.Cubin,
                _ => throw Malformed($"{path}.kind is '{kindText}'; expected 'ptx' or 'cubin'"),
            };
            if (arch.IsVirtual != (kind == KernelImageKind.Ptx))
            {
                throw Malformed($"{path} is a {kindText} for {archText}; PTX goes with compute_XY and cubins with sm_XY");
            }

            string resource = String(Property(element, "resource", path), $"{path}.resource");
            string sha256 = String(Property(element, "sha256", path), $"{path}.sha256");
            if (sha256.Length != 64 || !sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                throw Malformed($"{path}.sha256 is '{sha256}', not 64 lowercase hex digits");
            }
            return new KernelImage(arch, kind, resource, sha256);
        }

        internal JsonElement Property(JsonElement element, string name, string path) =>
            element.TryGetProperty(name, out JsonElement value) ? value : throw Malformed($"{path} has no '{name}'");

        internal JsonElement Object(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.Object ? element : throw Malformed($"{path} is {Describe(element)}, not an object");

        internal JsonElement Array(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.Array ? element : throw Malformed($"{path} is {Describe(element)}, not an array");

        internal string String(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Malformed($"{path} is {Describe(element)}, not a string");

        internal int Int(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) ? value : throw Malformed($"{path} is {Describe(element)}, not an integer");

        private KernelLoadException Malformed(string problem) => new($"{origin} is malformed: {problem}");

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            _ => element.GetRawText(),
        };
    }
}
