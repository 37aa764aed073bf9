namespace KernelBuild.Tasks.State
{
    /// <summary>What a file the build wrote is. Written to the state file as <see cref="OutputKinds.ToText"/> gives.</summary>
    internal enum OutputKind
    {
        Ptx,
        Cubin,
        /// <summary>A kernel's Make-style <c>.d</c> file.</summary>
        DependencyFile,
        /// <summary>The manifest of all kernels (recorded once, not per kernel).</summary>
        Manifest,
        /// <summary>A kernel's entry point signatures, for the typed launchers.</summary>
        Signatures,
        /// <summary>All kernels' signatures in one file, the launcher generator's input (recorded once, not per kernel).</summary>
        SignatureIndex,
        /// <summary>The kernel bundle: the manifest and every image in one zip archive (recorded once, not per kernel).</summary>
        Bundle,
    }

    /// <summary>The state file's names for <see cref="OutputKind"/>: fixed, so that the format does not follow the enum's member names.</summary>
    internal static class OutputKinds
    {
        public static string ToText(this OutputKind kind) => kind switch
        {
            OutputKind.Ptx => "ptx",
            OutputKind.Cubin => "cubin",
            OutputKind.DependencyFile => "depfile",
            OutputKind.Signatures => "signatures",
            OutputKind.SignatureIndex => "signatureindex",
            OutputKind.Bundle => "bundle",
            _ => "manifest",
        };

        /// <summary>False for a name this version never writes: the state then reads as damaged.</summary>
        public static bool TryParse(string text, out OutputKind kind)
        {
            switch (text)
            {
                case "ptx": kind = OutputKind.Ptx; return true;
                case "cubin": kind = OutputKind.Cubin; return true;
                case "depfile": kind = OutputKind.DependencyFile; return true;
                case "signatures": kind = OutputKind.Signatures; return true;
                case "manifest": kind = OutputKind.Manifest; return true;
                case "signatureindex": kind = OutputKind.SignatureIndex; return true;
                case "bundle": kind = OutputKind.Bundle; return true;
                default: kind = default; return false;
            }
        }

        /// <summary>The kind of image an architecture produces: a cubin for <c>sm_XX</c>, else PTX.</summary>
        public static OutputKind OfImage(bool isCubin) => isCubin ? OutputKind.Cubin : OutputKind.Ptx;
    }
}
