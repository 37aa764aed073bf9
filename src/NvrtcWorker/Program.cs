using System;
using System.IO;
using System.Text;
using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Reads compile requests from standard input and answers each on standard output (WorkerProtocol) until
    /// the input closes. Started and stopped by the compile task; not meant to be run by hand.
    /// </summary>
    internal static class Program
    {
        private static int Main()
        {
            using Stream input = Console.OpenStandardInput();
            using Stream output = Console.OpenStandardOutput();
            using var requests = new BinaryReader(input, Encoding.UTF8);
            using var responses = new BinaryWriter(output, Encoding.UTF8);
            responses.Write(WorkerProtocol.Hello);
            responses.Flush();

            NvrtcLibrary? nvrtc = null;
            while (WorkerProtocol.ReadRequest(requests) is var (library, request))
            {
                NvrtcCompileOutput result;
                try
                {
                    nvrtc ??= NvrtcLibrary.LoadFrom(library);
                    // Failures of this kernel (unreadable source, a failed NVRTC call) come back in the result.
                    result = nvrtc.CompileFile(request);
                }
                catch (NvrtcNotFoundException e)
                {
                    result = new NvrtcCompileOutput { ApiError = e.Message };
                }
                WorkerProtocol.WriteResponse(responses, result);
            }
            return 0;
        }
    }
}
