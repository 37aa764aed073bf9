using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// One entry of <c>CudaArchitectures</c>: <c>compute_XX</c> asks for PTX (portable, JIT-compiled by the
    /// driver on any GPU of that capability or newer), <c>sm_XX</c> for a cubin (machine code for that family).
    /// Suffixes such as <c>sm_90a</c> are kept verbatim.
    /// </summary>
    internal sealed class TargetArchitecture : IEquatable<TargetArchitecture>
    {
        private static readonly Regex s_syntax = new Regex(@"^(?<kind>compute|sm)_(?<number>\d{2,3})(?<suffix>[a-z]?)$", RegexOptions.CultureInvariant);

        private TargetArchitecture(string name, bool isCubin, int number)
        {
            Name = name;
            IsCubin = isCubin;
            Number = number;
        }

        /// <summary>As written in the option and the file name: <c>sm_80</c>, <c>compute_52</c>.</summary>
        public string Name { get; }
        public bool IsCubin { get; }
        /// <summary>The compute capability as an integer: 80 for 8.0.</summary>
        public int Number { get; }
        /// <summary>File extension of the image this architecture produces.</summary>
        public string Extension => IsCubin ? "cubin" : "ptx";

        public static bool TryParse(string text, out TargetArchitecture? architecture)
        {
            Match m = s_syntax.Match(text.Trim().ToLowerInvariant());
            if (!m.Success)
            {
                architecture = null;
                return false;
            }
            architecture = new TargetArchitecture(
                m.Value,
                m.Groups["kind"].Value == "sm",
                int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture));
            return true;
        }

        public static TargetArchitecture Ptx(int number) => new TargetArchitecture("compute_" + number.ToString(CultureInfo.InvariantCulture), false, number);

        public bool Equals(TargetArchitecture? other) => other != null && other.Name == Name;
        public override bool Equals(object? obj) => Equals(obj as TargetArchitecture);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
        public override string ToString() => Name;
    }
}
