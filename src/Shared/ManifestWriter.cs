using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace KernelBuild.Formats
{
    /// <summary>
    /// Writes the manifest as JSON by hand: the task assembly is netstandard2.0, which has no JSON library built in,
    /// and MSBuild loads tasks in its own context, where a package dependency could clash with MSBuild's own copy.
    /// </summary>
    internal static class ManifestWriter
    {
        /// <summary>
        /// Deterministic JSON in the layout of docs/formats.md: kernels sorted by source, images by architecture
        /// (both ordinal), '\n' line ends, so that unchanged kernels give unchanged bytes.
        /// </summary>
        public static string Write(Manifest manifest)
        {
            var json = new StringBuilder();
            json.Append("{\n  \"format\": ").Append(Manifest.Format.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            if (manifest.Compiler != null)
            {
                json.Append("  \"compiler\": ").Append(Quote(manifest.Compiler)).Append(",\n");
            }
            json.Append("  \"kernels\": [");
            bool firstKernel = true;
            foreach (ManifestKernelEntry kernel in manifest.Kernels.OrderBy(k => k.Source, StringComparer.Ordinal))
            {
                json.Append(firstKernel ? "\n" : ",\n");
                firstKernel = false;
                WriteKernel(json, kernel);
            }
            json.Append(firstKernel ? "]\n}\n" : "\n  ]\n}\n");
            return json.ToString();
        }

        private static void WriteKernel(StringBuilder json, ManifestKernelEntry kernel)
        {
            json.Append("    {\n      \"source\": ").Append(Quote(kernel.Source)).Append(",\n");
            json.Append("      \"entryPoints\": [ ").Append(string.Join(", ", kernel.EntryPoints.Select(Quote))).Append(" ],\n");
            json.Append("      \"images\": [");
            bool firstImage = true;
            foreach (ManifestImageEntry image in kernel.Images.OrderBy(i => i.Architecture.Name, StringComparer.Ordinal))
            {
                json.Append(firstImage ? "\n" : ",\n");
                firstImage = false;
                json.Append("        { \"arch\": ").Append(Quote(image.Architecture.Name))
                    .Append(", \"kind\": ").Append(Quote(image.Kind))
                    .Append(", \"resource\": ").Append(Quote(image.Resource))
                    .Append(", \"sha256\": ").Append(Quote(image.Sha256)).Append(" }");
            }
            json.Append("\n      ]\n    }");
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
