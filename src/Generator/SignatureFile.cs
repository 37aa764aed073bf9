using System;
using System.Collections.Generic;
using System.Globalization;

namespace KernelBuild.Generator
{
    /// <summary>One parameter line of a signature file: name, PTX size and alignment, C++ spelling, type encoding.</summary>
    internal sealed class ParameterSignature
    {
        public string Name { get; set; } = "";
        public int Size { get; set; }
        public int Alignment { get; set; }
        public string Spelling { get; set; } = "";
        /// <summary><c>builtin float</c>, <c>named float4</c>, <c>pointer const builtin float</c>, <c>other …</c>.</summary>
        public string Encoding { get; set; } = "";
    }

    /// <summary>One entry point of a kernel, as the build's signature probe described it.</summary>
    internal sealed class EntryPointSignature
    {
        public string EntryPoint { get; set; } = "";
        public string CppName { get; set; } = "";
        public int Line { get; set; }
        public string Declaration { get; set; } = "";
        public string? Problem { get; set; }
        public List<ParameterSignature> Parameters { get; } = new List<ParameterSignature>();

        /// <summary><c>scale</c> for <c>ns::scale&lt;float&gt;</c>.</summary>
        public string SimpleName
        {
            get
            {
                string name = CppName.Split('<')[0];
                return name.Substring(name.LastIndexOf(':') + 1);
            }
        }
    }

    /// <summary>A kernel source's signature file (written by the CompileCudaKernels task; docs/launchers.md).</summary>
    internal sealed class KernelSignatures
    {
        public const string Header = "kernelbuild-signatures\t1";

        public string RelativePath { get; private set; } = "";
        public string SourcePath { get; private set; } = "";
        public List<EntryPointSignature> Entries { get; } = new List<EntryPointSignature>();

        /// <summary>
        /// The kernels' parts of a signature index (KernelBuild.signatures: the kernels' files one after the other,
        /// each starting with <see cref="Header"/>), or of one kernel's file. Text that does not start with the header
        /// is returned whole, so that <see cref="Parse"/> reports it.
        /// </summary>
        public static IEnumerable<string> SplitIndex(string text)
        {
            text = text.Replace("\r\n", "\n");
            if (text.Length == 0) yield break;
            if (!text.StartsWith(Header + "\n", StringComparison.Ordinal) && text != Header)
            {
                yield return text;
                yield break;
            }
            int start = 0;
            while (start < text.Length)
            {
                int next = text.IndexOf("\n" + Header + "\n", start, StringComparison.Ordinal);
                int end = next < 0 ? text.Length : next + 1;
                yield return text.Substring(start, end - start);
                start = end;
            }
        }

        /// <summary>Reads one kernel's signatures; null when it is not a signature file of this version.</summary>
        public static KernelSignatures? Parse(string text)
        {
            string[] lines = text.Replace("\r\n", "\n").Split('\n');
            if (lines.Length == 0 || lines[0] != Header) return null;
            var signatures = new KernelSignatures();
            EntryPointSignature? entry = null;
            foreach (string line in lines)
            {
                string[] fields = line.Split('\t');
                switch (fields[0])
                {
                    case "source" when fields.Length >= 3:
                        signatures.RelativePath = fields[1];
                        signatures.SourcePath = fields[2];
                        break;
                    case "entry" when fields.Length >= 5:
                        entry = new EntryPointSignature { EntryPoint = fields[1], CppName = fields[2], Line = Number(fields[3]), Declaration = fields[4] };
                        signatures.Entries.Add(entry);
                        break;
                    case "problem" when entry != null && fields.Length >= 2:
                        entry.Problem = fields[1];
                        break;
                    case "param" when entry != null && fields.Length >= 6:
                        entry.Parameters.Add(new ParameterSignature
                        {
                            Name = fields[1], Size = Number(fields[2]), Alignment = Number(fields[3]), Spelling = fields[4], Encoding = fields[5],
                        });
                        break;
                }
            }
            return signatures.RelativePath.Length == 0 ? null : signatures;
        }

        private static int Number(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : 0;
    }
}
