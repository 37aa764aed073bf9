using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelBuild.Runtime.Tests.Loading;

/// <summary>Builds manifests and image resources in the format of docs/formats.md, for tests without a build.</summary>
internal sealed class ManifestJson
{
    private readonly JsonArray _kernels = [];

    internal Dictionary<string, byte[]> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a kernel with one image per architecture; each image's bytes are its resource name.</summary>
    internal ManifestJson Kernel(string source, string[] entryPoints, params string[] architectures)
    {
        var images = new JsonArray();
        foreach (string arch in architectures)
        {
            bool ptx = arch.StartsWith("compute_", StringComparison.Ordinal);
            string resource = $"KernelBuild/{source[..^3]}.{arch}.{(ptx ? "ptx" : "cubin")}";
            byte[] bytes = Encoding.UTF8.GetBytes($"image {resource}");
            Resources[resource] = bytes;
            images.Add(new JsonObject
            {
                ["arch"] = arch,
                ["kind"] = ptx ? "ptx" : "cubin",
                ["resource"] = resource,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            });
        }
        _kernels.Add(new JsonObject
        {
            ["source"] = source,
            ["entryPoints"] = new JsonArray(entryPoints.Select(name => (JsonNode?)name).ToArray()),
            ["images"] = images,
        });
        return this;
    }

    internal JsonObject ToJson() => new()
    {
        ["format"] = 1,
        ["compiler"] = "NVRTC 11.8",
        ["kernels"] = _kernels.DeepClone(),
    };

    internal static byte[] Bytes(JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    /// <summary>The resources of an assembly built with this manifest.</summary>
    internal KernelContainer Embedded(JsonNode? manifest = null)
    {
        var resources = new Dictionary<string, byte[]>(Resources, StringComparer.Ordinal)
        {
            [KernelContainer.ManifestResource] = Bytes(manifest ?? ToJson()),
        };
        return new KernelContainer(
            "test assembly",
            name => resources.TryGetValue(name, out byte[]? bytes) ? new System.IO.MemoryStream(bytes, writable: false) : null);
    }
}
