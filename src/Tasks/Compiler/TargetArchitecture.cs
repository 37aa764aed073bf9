using System;
using System.Globalization;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// One entry of <c>CudaArchitectures</c>: <c>compute_XX</c> asks for PTX (portable, JIT-compiled by the
    /// driver on any GPU of that capability or newer), <c>sm_XX</c> for a cubin (machine code for that family).
    /// Suffixes such as <c>sm_90a</c> are kept verbatim.
    /// </summary>
    internal sealed class TargetArchitecture : IEquatable<TargetArchitecture>
    {
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

        /// <summary>Accepts <c>compute_XX</c> and <c>sm_XX</c> (2 or 3 digits, an optional letter suffix), any case.</summary>
        public static bool TryParse(string text, out TargetArchitecture? architecture)
        {
            // Parsed by hand rather than with a Regex: this runs on every build, and a Regex's first use in a
            // process costs milliseconds of start-up.
            architecture = null;
            string name = text.Trim().ToLowerInvariant();
            bool isCubin = name.StartsWith("sm_", StringComparison.Ordinal);
            if (!isCubin && !name.StartsWith("compute_", StringComparison.Ordinal)) return false;
            int start = isCubin ? 3 : 8, end = start;
            while (end < name.Length && name[end] >= '0' && name[end] <= '9') end++;
            int digits = end - start;
            bool suffixOk = end == name.Length || (end == name.Length - 1 && name[end] >= 'a' && name[end] <= 'z');
            if (digits < 2 || digits > 3 || !suffixOk) return false;
            architecture = new TargetArchitecture(name, isCubin, int.Parse(name.Substring(start, digits), CultureInfo.InvariantCulture));
            return true;
        }

        public static TargetArchitecture Ptx(int number) => new TargetArchitecture("compute_" + number.ToString(CultureInfo.InvariantCulture), false, number);

        public bool Equals(TargetArchitecture? other) => other != null && other.Name == Name;
        public override bool Equals(object? obj) => Equals(obj as TargetArchitecture);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
        public override string ToString() => Name;
    }
}
