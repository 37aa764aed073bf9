using System.Diagnostics;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// Scan time and memory for a libcu++-heavy kernel, order-independent and flow-sensitive, cold (a fresh cache:
/// every header read and parsed) and warm (the cache a build's other kernels filled). Figures go to the test
/// output and docs/dependencies.md. Inconclusive where libcu++ is not installed.
/// </summary>
[TestClass]
public sealed class IncludeScannerLibcuxxMeasurementTests
{
    private const int WarmScans = 20;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LibcuxxHeavyKernelScanTimeAndMemory()
    {
        if (!File.Exists("/usr/include/cuda/std/atomic"))
            Assert.Inconclusive("libcu++ is not installed under /usr/include/cuda.");
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <cuda/std/atomic>\n#include <cuda/std/tuple>\n#include <cuda/std/chrono>\n#include <cuda/barrier>\n" +
            "#include <cuda/std/type_traits>\n#include <cuda/std/complex>\n#include <cuda/std/cstdint>\n#include <cuda/std/limits>\n");
        var request = new IncludeScanRequest
        {
            SourcePath = tree.P("src/k.cu"),
            IncludeDirectories = ["/usr/include"],
            LanguageStandard = "c++17",
            Architectures = [80], // libcu++'s atomics need sm_60 and up: NVRTC reads the whole tree
            NvrtcVersion = new Version(11, 8),
        };

        (int files, string figures) before = Measure(request, orderIndependent: true);
        (int files, string figures) flow = Measure(request, orderIndependent: false);
        Assert.IsNull(ScanSession.LastFlowFallback, "The walk gave up: " + ScanSession.LastFlowFallback);
        Assert.IsTrue(flow.files <= before.files, $"The walk listed {flow.files} files, the order-independent scan {before.files}.");
        string report = $"libcu++ kernel: order-independent {before.figures}; flow walk {flow.figures}";
        TestContext.WriteLine(report);
        Console.WriteLine(report);
    }

    private static (int Files, string Figures) Measure(IncludeScanRequest request, bool orderIndependent)
    {
        request.OrderIndependentOnly = orderIndependent;
        var cache = new IncludeScanCache();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        IncludeScanResult cold = IncludeScanner.Scan(request, cache);
        clock.Stop();
        double coldMs = clock.Elapsed.TotalMilliseconds;
        long coldBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.IsTrue(cold.Complete, string.Join("\n", cold.Warnings));

        allocated = GC.GetAllocatedBytesForCurrentThread();
        clock.Restart();
        for (int i = 0; i < WarmScans; i++)
            IncludeScanner.Scan(request, cache);
        clock.Stop();
        long warmBytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / WarmScans;
        return (cold.Files.Count, $"{cold.Files.Count} files, cold {coldMs:0} ms / {coldBytes / 1048576.0:0.0} MiB allocated, " +
            $"warm {clock.Elapsed.TotalMilliseconds / WarmScans:0.0} ms / {warmBytes / 1048576.0:0.00} MiB allocated per scan");
    }
}
