using System.Diagnostics;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>Many kernels over a large shared header tree: the results must match a graph walk done by
/// the test, each file must be read once across all scans, and the time is reported.</summary>
[TestClass]
public sealed class IncludeScannerScaleTests
{
    private const int Directories = 4, Headers = 2000, Kernels = 200, HeadersPerKernel = 20, IncludesPerHeader = 3;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void HundredsOfKernelsOverThousandsOfHeaders()
    {
        using var tree = new TempTree();
        var random = new Random(12345);
        var edges = new List<int>[Headers];
        for (int h = 0; h < Headers; h++)
        {
            // Each header includes a few later ones (a DAG), through an angle include found on one -I dir.
            edges[h] = Enumerable.Range(0, IncludesPerHeader).Select(_ => h + 1 + random.Next(Math.Max(1, Headers - h - 1))).Where(t => t < Headers).Distinct().ToList();
            string body = "#pragma once\n// a comment /* with */ \"quotes\"\n" +
                string.Concat(edges[h].Select(t => $"#include <h{t}.cuh>\n")) +
                $"__device__ inline int f{h}() {{ return {h}; }}\n";
            tree.Write($"inc{h % Directories}/h{h}.cuh", body);
        }
        var kernels = new List<int>[Kernels];
        for (int k = 0; k < Kernels; k++)
        {
            kernels[k] = Enumerable.Range(0, HeadersPerKernel).Select(_ => random.Next(Headers)).Distinct().ToList();
            tree.Write($"src/k{k}.cu", string.Concat(kernels[k].Select(t => $"#include <h{t}.cuh>\n")) + "extern \"C\" __global__ void k() {}\n");
        }
        string[] includeDirectories = Enumerable.Range(0, Directories).Select(d => tree.P($"inc{d}")).ToArray();

        // The same scans order-independently (the scanner before the flow walk) and in NVRTC's order, each pass with
        // a cold cache of its own, alternated so that both see the same load on the machine; each is run twice and
        // the second pass counts, since a first pass also warms the OS's caches and the JIT.
        ScanAll(tree, includeDirectories, kernels, edges, orderIndependent: true);
        ScanAll(tree, includeDirectories, kernels, edges, orderIndependent: false);
        string before = ScanAll(tree, includeDirectories, kernels, edges, orderIndependent: true);
        string flow = ScanAll(tree, includeDirectories, kernels, edges, orderIndependent: false);
        string report = $"scale: {Kernels} kernels over {Headers} headers, {Directories} -I dirs; order-independent: {before}; flow walk: {flow}";
        TestContext.WriteLine(report);
        Console.WriteLine(report);
    }

    private static string ScanAll(TempTree tree, string[] includeDirectories, List<int>[] kernels, List<int>[] edges, bool orderIndependent)
    {
        var cache = new IncludeScanCache();
        var clock = new Stopwatch();
        var reached = new HashSet<int>();
        long visits = 0, allocated = 0;
        for (int k = 0; k < Kernels; k++)
        {
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Start();
            IncludeScanResult result = IncludeScanner.Scan(new IncludeScanRequest
            {
                SourcePath = tree.P($"src/k{k}.cu"),
                IncludeDirectories = includeDirectories,
                OrderIndependentOnly = orderIndependent,
            }, cache);
            clock.Stop();
            allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            visits += result.Files.Count;
            if (!orderIndependent)
                Assert.IsNull(ScanSession.LastFlowFallback, "The walk gave up on kernel " + k);

            var expected = new HashSet<int>();
            var stack = new Stack<int>(kernels[k]);
            while (stack.Count > 0)
            {
                int h = stack.Pop();
                if (expected.Add(h))
                    edges[h].ForEach(stack.Push);
            }
            reached.UnionWith(expected);
            var listed = result.Files.Skip(1).Select(f => f.Path).ToHashSet();
            Assert.IsTrue(listed.SetEquals(expected.Select(h => tree.P($"inc{h % Directories}/h{h}.cuh"))), $"kernel {k}");
            Assert.IsTrue(result.Complete);
        }

        Assert.AreEqual(Kernels + reached.Count, cache.FilesRead, "Each file is read once across all scans.");
        return $"{reached.Count} distinct headers reached, {clock.Elapsed.TotalMilliseconds:0} ms scanning, " +
            $"{clock.Elapsed.TotalMilliseconds / Kernels:0.0} ms per kernel, {clock.Elapsed.TotalMilliseconds * 1000 / visits:0.0} us per listed file, " +
            $"{allocated / Kernels / 1024.0:0} KiB allocated per kernel";
    }
}
