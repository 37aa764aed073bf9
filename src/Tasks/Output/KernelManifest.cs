using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace KernelBuild.Tasks.Output
{
    /// <summary>One embedded image of a kernel.</summary>
    internal sealed class ManifestImage
    {
        public string Architecture { get; set; } = "";
        public string Kind { get; set; } = "";      // "ptx" or "cubin"
        public string Resource { get; set; } = "";  // embedded resource name
        public string Sha256 { get; set; } = "";
    }

    internal sealed class ManifestKernel
    {
        public string Source { get; set; } = "";
        public List<string> EntryPoints { get; set; } = new List<string>();
        public List<ManifestImage> Images { get; set; } = new List<ManifestImage>();
    }

    /// <summary>Writes the manifest (docs/formats.md, format 1) the runtime uses to find a kernel's images.</summary>
    internal static class KernelManifest
    {
        public const int Format = 1;
        public const string ResourceName = "KernelBuild/manifest.json";
        public const string FileName = "KernelBuild.manifest.json";

        /// <summary>Deterministic JSON: sorted, fixed layout, '\n' line ends, so unchanged kernels give unchanged bytes.</summary>
        public static string ToJson(string compiler, IEnumerable<ManifestKernel> kernels)
        {
            var json = new StringBuilder();
            json.Append("{\n  \"format\": ").Append(Format.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            json.Append("  \"compiler\": ").Append(Quote(compiler)).Append(",\n");
            json.Append("  \"kernels\": [");
            bool firstKernel = true;
            foreach (ManifestKernel kernel in kernels.OrderBy(k => k.Source, StringComparer.Ordinal))
            {
                json.Append(firstKernel ? "\n" : ",\n");
                firstKernel = false;
                json.Append("    {\n      \"source\": ").Append(Quote(kernel.Source)).Append(",\n");
                json.Append("      \"entryPoints\": [ ").Append(string.Join(", ", kernel.EntryPoints.Select(Quote))).Append(" ],\n");
                json.Append("      \"images\": [");
                bool firstImage = true;
                foreach (ManifestImage image in kernel.Images.OrderBy(i => i.Architecture, StringComparer.Ordinal))
                {
                    json.Append(firstImage ? "\n" : ",\n");
                    firstImage = false;
                    json.Append("        { \"arch\": ").Append(Quote(image.Architecture))
                        .Append(", \"kind\": ").Append(Quote(image.Kind))
                        .Append(", \"resource\": ").Append(Quote(image.Resource))
                        .Append(", \"sha256\": ").Append(Quote(image.Sha256)).Append(" }");
                }
                json.Append("\n      ]\n    }");
            }
            json.Append(firstKernel ? "]\n}\n" : "\n  ]\n}\n");
            return json.ToString();
        }

        private static string Quote(string value)
        {
            var text = new StringBuilder(value.Length + 2);
            text.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }
            return text.Append('"').ToString();
        }
    }
}
