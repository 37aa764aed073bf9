using System;
using System.Globalization;

namespace KernelBuild.Formats
{
    /// <summary>
    /// A CUDA architecture name, with the one set of rules that the build (<c>CudaArchitectures</c>, file and
    /// resource names, the manifest) and the runtime (image selection) share: <c>compute_XY</c> is a virtual
    /// architecture (PTX), <c>sm_XY</c> a real one (a cubin); XY is two or three digits without a leading zero,
    /// the last digit the minor version (<c>sm_100</c> is 10.0); an optional suffix is <c>a</c>
    /// (architecture-specific, e.g. <c>sm_90a</c>) or <c>f</c> (family-specific, CUDA 12.9 and later), the only
    /// two that CUDA defines.
    /// </summary>
    /// <remarks>
    /// Parsing ignores letter case, because people write these names in project files; <see cref="Name"/> is
    /// always lower case, the only spelling NVRTC accepts and the one in file names, resource names and the
    /// manifest.
    /// </remarks>
    internal readonly struct ArchitectureName : IEquatable<ArchitectureName>
    {
        /// <summary>The suffix of an architecture-specific name (<c>sm_90a</c>): features of exactly one capability.</summary>
        public const char ArchitectureSpecific = 'a';
        /// <summary>The suffix of a family-specific name (<c>sm_100f</c>): features of one major family.</summary>
        public const char FamilySpecific = 'f';

        /// <summary>The manifest's <c>kind</c>, and the file extension, of the image of a <c>compute_XY</c> name.</summary>
        public const string PtxKind = "ptx";
        /// <summary>The manifest's <c>kind</c>, and the file extension, of the image of an <c>sm_XY</c> name.</summary>
        public const string CubinKind = "cubin";

        private const string VirtualPrefix = "compute_";
        private const string RealPrefix = "sm_";

        private ArchitectureName(bool isVirtual, int number, char suffix)
        {
            IsVirtual = isVirtual;
            Number = number;
            Suffix = suffix;
            Name = (isVirtual ? VirtualPrefix : RealPrefix) + number.ToString(CultureInfo.InvariantCulture)
                + (suffix == '\0' ? "" : suffix.ToString());
        }

        /// <summary>Lower case, as NVRTC and the manifest spell it: <c>sm_90a</c>, <c>compute_52</c>.</summary>
        public string Name { get; }

        /// <summary>True for <c>compute_XY</c> (PTX), false for <c>sm_XY</c> (a cubin).</summary>
        public bool IsVirtual { get; }

        /// <summary>The compute capability as one number: 80 for 8.0, 100 for 10.0.</summary>
        public int Number { get; }

        public int Major => Number / 10;
        public int Minor => Number % 10;

        /// <summary><see cref="ArchitectureSpecific"/>, <see cref="FamilySpecific"/>, or <c>'\0'</c> for none.</summary>
        public char Suffix { get; }

        /// <summary><see cref="PtxKind"/> or <see cref="CubinKind"/>: what an image for this name holds.</summary>
        public string ImageKind => IsVirtual ? PtxKind : CubinKind;

        /// <summary>Parses a name by the rules above; false for anything else, including surrounding white space.</summary>
        public static bool TryParse(string? text, out ArchitectureName architecture)
        {
            // By hand rather than with a Regex: the build parses these on every run, and a Regex's first use in a
            // process costs milliseconds of start-up.
            architecture = default;
            if (text == null) return false;

            bool isVirtual = text.StartsWith(VirtualPrefix, StringComparison.OrdinalIgnoreCase);
            if (!isVirtual && !text.StartsWith(RealPrefix, StringComparison.OrdinalIgnoreCase)) return false;

            int start = isVirtual ? VirtualPrefix.Length : RealPrefix.Length, end = start;
            while (end < text.Length && IsDigit(text[end])) end++;
            int digits = end - start;
            if (digits < 2 || digits > 3 || text[start] == '0') return false;

            char suffix = '\0';
            if (end < text.Length)
            {
                suffix = char.ToLowerInvariant(text[end]);
                if (end != text.Length - 1 || (suffix != ArchitectureSpecific && suffix != FamilySpecific)) return false;
            }

            architecture = new ArchitectureName(isVirtual, int.Parse(text.Substring(start, digits), NumberStyles.None, CultureInfo.InvariantCulture), suffix);
            return true;
        }

        /// <summary>The PTX architecture <c>compute_XY</c> of a capability number (52 gives <c>compute_52</c>).</summary>
        public static ArchitectureName Virtual(int number)
        {
            if (number < 10 || number > 999) throw new ArgumentOutOfRangeException(nameof(number), number, "a compute capability number has two or three digits");
            return new ArchitectureName(isVirtual: true, number, '\0');
        }

        // char.IsDigit accepts other scripts' digits, which int.Parse would then refuse.
        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        public bool Equals(ArchitectureName other) => string.Equals(Name, other.Name, StringComparison.Ordinal);
        public override bool Equals(object? obj) => obj is ArchitectureName other && Equals(other);
        public override int GetHashCode() => Name == null ? 0 : StringComparer.Ordinal.GetHashCode(Name);
        public override string ToString() => Name ?? "";
    }
}
