using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// How many compiles to run at once: CudaMaxParallelism when set, otherwise one per processor, capped so that
    /// each compile can have about 1 GiB of the memory available now (an NVRTC compile of a kernel with heavy
    /// templates can take several hundred MB).
    /// </summary>
    internal static class Parallelism
    {
        private const long BytesPerCompile = 1L << 30;

        public static int For(int requested)
        {
            if (requested > 0) return requested;
            int byProcessors = Environment.ProcessorCount;
            long? available = AvailableMemoryBytes();
            int byMemory = available.HasValue ? (int)Math.Max(1, Math.Min(int.MaxValue, available.Value / BytesPerCompile)) : byProcessors;
            return Math.Max(1, Math.Min(byProcessors, byMemory));
        }

        /// <summary>MemAvailable from /proc/meminfo on Linux; null elsewhere (then processors alone decide).</summary>
        private static long? AvailableMemoryBytes()
        {
            try
            {
                const string meminfo = "/proc/meminfo";
                if (!File.Exists(meminfo)) return null;
                string? line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
                if (line == null) return null;
                string[] parts = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
