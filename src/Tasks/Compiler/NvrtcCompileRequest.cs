using System.Collections.Generic;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// One NVRTC compile, as a lane (this process or a worker) runs it: the file, the options, and what KernelBuild adds
    /// to the user's program for the typed launchers (docs/launchers.md): text appended after the source, and NVRTC
    /// name expressions whose lowered (mangled) names come back in <see cref="NvrtcCompileOutput.LoweredNames"/>.
    /// </summary>
    internal sealed class NvrtcCompileRequest
    {
        public NvrtcCompileRequest(string programName, IReadOnlyList<string> options)
        {
            ProgramName = programName;
            Options = options;
        }

        /// <summary>Absolute path of the source file, read by the lane; also the program name NVRTC searches quoted includes beside.</summary>
        public string ProgramName { get; }
        public IReadOnlyList<string> Options { get; }
        /// <summary>Appended to the file's text (after a line break): never changes a line number of the user's source.</summary>
        public string SourceSuffix { get; set; } = "";
        /// <summary>Passed to nvrtcAddNameExpression before the compile: each is instantiated, and its lowered name read back.</summary>
        public IReadOnlyList<string> NameExpressions { get; set; } = new string[0];
    }
}
