using System;
using System.IO;
using System.Text;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Reads kernels from standard input and answers each with its compile result on standard output (WorkerProtocol)
    /// until the input closes. Started and stopped by the compile task; not meant to be run by hand.
    /// </summary>
    internal static class Program
    {
        // NVRTC allocates and frees tens of megabytes for every program it compiles. glibc's defaults give the top of
        // the heap back to the OS after each free and map larger blocks afresh, so every kernel faulted its memory in
        // again: 46 000 page faults for 100 light kernels, and 9% more CPU than with the memory kept (the NVRTC floor,
        // docs/benchmarks.md, fifteenth round). A worker lives for one build, so it keeps up to this much for reuse.
        private const int RetainedHeapBytes = 64 << 20, HeapGrowthPadBytes = 16 << 20, LargestHeapBlockBytes = 32 << 20;

        private static int Main()
        {
            Interop.Libc.TryRetainFreedHeap(RetainedHeapBytes, HeapGrowthPadBytes, LargestHeapBlockBytes);
            using Stream input = Console.OpenStandardInput();
            using Stream output = Console.OpenStandardOutput();
            using var requests = new BinaryReader(input, Encoding.UTF8);
            using var responses = new BinaryWriter(output, Encoding.UTF8);
            responses.Write(WorkerProtocol.Hello);
            responses.Flush();

            NvrtcLibrary? nvrtc = null;
            // One cache for the kernels this worker is sent, as the task's process keeps one for its own lanes.
            var scanCache = new IncludeScanCache();
            while (WorkerProtocol.ReadRequest(requests) is var (library, settings))
            {
                KernelCompileResult result;
                try
                {
                    nvrtc ??= NvrtcLibrary.LoadFrom(library);
                    // The kernel's own failures (unreadable files, a failed NVRTC call, a bug) come back in the result.
                    result = KernelCompiler.CompileOrFail(nvrtc, settings, scanCache);
                }
                catch (NvrtcNotFoundException e)
                {
                    result = KernelCompileResult.Failed(settings, new KernelFault(KbErrors.NvrtcNotFound, "The compile worker could not load the NVRTC the build found: " + e.Message));
                }
                WorkerProtocol.WriteResult(responses, result);
            }
            return 0;
        }
    }
}
