using System;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// An NVRTC call failed for a reason other than the source's own errors (those are in the program log).
    /// Carries the result, the entry point and NVRTC's own text for the result (nvrtcGetErrorString), so that
    /// the build error says what NVRTC said. Thrown by <see cref="NvrtcLibrary"/> only; <see cref="KernelCompiler"/>
    /// turns it into one error (KB2003) for the kernel being compiled, in this process or in a worker, which sends
    /// that error back.
    /// </summary>
    internal sealed class NvrtcException : Exception
    {
        public NvrtcException(NvrtcResult result, string entryPoint, string nvrtcMessage)
            : base(entryPoint + " failed: " + nvrtcMessage + " (nvrtcResult " + (int)result + ")")
        {
            Result = result;
            EntryPoint = entryPoint;
            NvrtcMessage = nvrtcMessage;
        }

        /// <summary>What the call returned.</summary>
        public NvrtcResult Result { get; }

        /// <summary>The NVRTC export that failed, e.g. <c>nvrtcGetPTX</c>.</summary>
        public string EntryPoint { get; }

        /// <summary>NVRTC's own text for <see cref="Result"/>, e.g. <c>NVRTC_ERROR_INTERNAL_ERROR</c>.</summary>
        public string NvrtcMessage { get; }
    }
}
