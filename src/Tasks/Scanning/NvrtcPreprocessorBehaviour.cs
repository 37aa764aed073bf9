using System;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// What the flow walk may assume of the compiling NVRTC's preprocessor beyond the C++ standard: behaviours
    /// measured against the real library under strace (docs/dependencies.md, "NVRTC's behaviour, as measured").
    /// A version where one was not measured gets the cautious reading, which lists a superset of the files: a
    /// wrong assumption here would drop a header the compile read, so nothing is assumed by extrapolation.
    /// </summary>
    internal sealed class NvrtcPreprocessorBehaviour
    {
        private NvrtcPreprocessorBehaviour(bool errorEndsTheCompile, bool ignoresPushAndPopMacro, bool missingHeaderEndsTheCompile)
        {
            ErrorEndsTheCompile = errorEndsTheCompile;
            IgnoresPushAndPopMacro = ignoresPushAndPopMacro;
            MissingHeaderEndsTheCompile = missingHeaderEndsTheCompile;
        }

        /// <summary>An <c>#error</c> NVRTC reads ends the compile: no later <c>#include</c> is opened. Measured
        /// with 11.8 and 13.0 (13.0.88).</summary>
        public bool ErrorEndsTheCompile { get; }

        /// <summary><c>#pragma push_macro</c> and <c>pop_macro</c> are unrecognized pragmas: a popped macro keeps
        /// the value it had. Measured with 11.8 and 13.0 (13.0.88).</summary>
        public bool IgnoresPushAndPopMacro { get; }

        /// <summary>An <c>#include</c> found on no search path ends the compile ("catastrophic error"). Measured
        /// with 11.8, which has no headers of its own. Not assumed for later versions: they build some headers
        /// in (<c>cuda_fp16.h</c> and others), so a name missing on disk may be one NVRTC includes and reads on.</summary>
        public bool MissingHeaderEndsTheCompile { get; }

        public static NvrtcPreprocessorBehaviour For(Version? version)
        {
            if (version == null)
                return new NvrtcPreprocessorBehaviour(false, false, false);
            bool nvrtc118 = version.Major == 11 && version.Minor == 8;
            bool nvrtc130 = version.Major == 13 && version.Minor == 0;
            return new NvrtcPreprocessorBehaviour(
                errorEndsTheCompile: nvrtc118 || nvrtc130,
                ignoresPushAndPopMacro: nvrtc118 || nvrtc130,
                missingHeaderEndsTheCompile: nvrtc118);
        }
    }
}
