using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace KernelBuild.Tasks.Output
{
    /// <summary>One parameter of an entry point: its name in the source, its type as the compiler resolved it, its PTX layout.</summary>
    internal sealed class SignatureParameter
    {
        public SignatureParameter(string name, CudaType type, PtxParameter layout)
        {
            Name = name;
            Type = type;
            Layout = layout;
        }

        public string Name { get; }
        public CudaType Type { get; }
        public PtxParameter Layout { get; }
    }

    /// <summary>One entry point's signature, or why it has none (then only the untyped launch API serves it).</summary>
    internal sealed class EntrySignature
    {
        /// <summary>The name in the PTX, which the runtime looks up (mangled for C++ linkage).</summary>
        public string EntryPoint { get; set; } = "";
        /// <summary>The C++ name: <c>saxpy</c>, <c>ns::kern</c>, <c>scale&lt;float&gt;</c>.</summary>
        public string CppName { get; set; } = "";
        /// <summary>1-based line of the declaration in the kernel's source; 0 when it was not found there (a header, a macro).</summary>
        public int Line { get; set; }
        /// <summary>The declaration as written in the source, on one line; else rebuilt from the types.</summary>
        public string Declaration { get; set; } = "";
        public List<SignatureParameter> Parameters { get; } = new List<SignatureParameter>();
        /// <summary>Why the entry point has no typed signature; null when it has one.</summary>
        public string? Problem { get; set; }
    }

    /// <summary>
    /// The signatures file of one kernel (docs/launchers.md): tab-separated lines, read by the launcher generator.
    /// Derived only from the compile (the probe's PTX and the kernel's PTX) and the kernel's text (names, lines).
    /// </summary>
    internal static class KernelSignatureFile
    {
        public const string Header = "kernelbuild-signatures\t1";

        /// <summary>
        /// The signature index's name in the output folder when the targets give none: every current kernel's file,
        /// one after the other in the order of their relative paths, each starting with <see cref="Header"/>. The
        /// launcher generator reads this one file: as 500 AdditionalFiles, the signature files cost every no-op build
        /// 500 sections of the generated .editorconfig and 500 inputs of the C# compile's up-to-date check
        /// (docs/benchmarks.md, "No-op, third round").
        /// </summary>
        public const string IndexFileName = "KernelBuild.signatures";

        /// <summary>The index from the kernels' files, in the order given.</summary>
        public static string Index(IEnumerable<string> kernelFiles)
        {
            var text = new StringBuilder();
            foreach (string file in kernelFiles)
            {
                text.Append(file);
                if (file.Length > 0 && file[file.Length - 1] != '\n') text.Append('\n');
            }
            return text.ToString();
        }

        public static string Format(string relativePath, string sourcePath, IEnumerable<EntrySignature> entries) =>
            Format(relativePath, sourcePath, FormatEntries(entries));

        /// <summary>The file from its entry lines: the part a remote cache stores, which holds no path of this checkout.</summary>
        public static string Format(string relativePath, string sourcePath, string entryLines) =>
            Header + "\n" + "source\t" + relativePath + "\t" + sourcePath + "\n" + entryLines;

        public static string FormatEntries(IEnumerable<EntrySignature> entries)
        {
            var text = new StringBuilder();
            foreach (EntrySignature entry in entries)
            {
                text.Append("entry\t").Append(entry.EntryPoint).Append('\t').Append(entry.CppName).Append('\t')
                    .Append(entry.Line.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(OneLine(entry.Declaration)).Append('\n');
                if (entry.Problem != null)
                {
                    text.Append("problem\t").Append(OneLine(entry.Problem)).Append('\n');
                    continue;
                }
                foreach (SignatureParameter parameter in entry.Parameters)
                {
                    text.Append("param\t").Append(parameter.Name).Append('\t')
                        .Append(parameter.Layout.Size.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(parameter.Layout.Alignment.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(OneLine(parameter.Type.Spelling)).Append('\t').Append(OneLine(parameter.Type.Encoding)).Append('\n');
                }
            }
            return text.ToString();
        }

        /// <summary>
        /// The entry points of <paramref name="entryLines"/> that have no typed signature, with why (for their KB5001
        /// warnings when a kernel is restored from a remote cache); null when the lines are not in this format.
        /// </summary>
        public static List<EntrySignature>? ReadProblems(string entryLines)
        {
            var problems = new List<EntrySignature>();
            EntrySignature? current = null;
            foreach (string line in entryLines.Split('\n'))
            {
                string[] fields = line.Split('\t');
                if (fields[0] == "entry" && fields.Length == 5 && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                {
                    current = new EntrySignature { EntryPoint = fields[1], CppName = fields[2], Line = number, Declaration = fields[4] };
                }
                else if (fields[0] == "problem" && fields.Length == 2 && current != null)
                {
                    current.Problem = fields[1];
                    problems.Add(current);
                }
                else if (!(fields[0] == "param" && current != null) && line.Length != 0)
                {
                    return null;
                }
            }
            return problems;
        }

        private static string OneLine(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
    }
}
