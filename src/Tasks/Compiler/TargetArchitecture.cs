using System;
using KernelBuild.Formats;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// One entry of <c>CudaArchitectures</c>: <c>compute_XX</c> asks for PTX (portable, JIT-compiled by the
    /// driver on any GPU of that capability or newer), <c>sm_XX</c> for a cubin (machine code for that family).
    /// The name rules are those of <see cref="ArchitectureName"/>, which the runtime shares.
    /// </summary>
    internal sealed class TargetArchitecture : IEquatable<TargetArchitecture>
    {
        private TargetArchitecture(ArchitectureName architecture) => Architecture = architecture;

        /// <summary>The parsed name, as the manifest and the runtime know it.</summary>
        public ArchitectureName Architecture { get; }

        /// <summary>Lower case, as in the NVRTC option and the file name: <c>sm_80</c>, <c>compute_52</c>.</summary>
        public string Name => Architecture.Name;
        public bool IsCubin => !Architecture.IsVirtual;
        /// <summary>The compute capability as an integer: 80 for 8.0.</summary>
        public int Number => Architecture.Number;
        /// <summary>
        /// What one NVRTC compile is for: the capability with its suffix (<c>90</c>, <c>90a</c>). <c>compute_80</c> and
        /// <c>sm_80</c> share a compile; <c>sm_90a</c> and <c>sm_90</c> do not (arch-specific code differs).
        /// </summary>
        public string CompileKey => Architecture.Suffix == '\0' ? Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + Architecture.Suffix;

        /// <summary>File extension of the image this architecture produces.</summary>
        public string Extension => Architecture.ImageKind;

        /// <summary>Accepts <c>compute_XX</c> and <c>sm_XX</c> (2 or 3 digits, an optional <c>a</c> or <c>f</c>), any case.</summary>
        public static bool TryParse(string text, out TargetArchitecture? architecture)
        {
            bool parsed = ArchitectureName.TryParse(text, out ArchitectureName name);
            architecture = parsed ? new TargetArchitecture(name) : null;
            return parsed;
        }

        public static TargetArchitecture Ptx(int number) => new TargetArchitecture(ArchitectureName.Virtual(number));

        public bool Equals(TargetArchitecture? other) => other != null && other.Architecture.Equals(Architecture);
        public override bool Equals(object? obj) => Equals(obj as TargetArchitecture);
        public override int GetHashCode() => Architecture.GetHashCode();
        public override string ToString() => Name;
    }
}
