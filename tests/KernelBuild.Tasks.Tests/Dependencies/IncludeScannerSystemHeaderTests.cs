using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// The scanner against NVRTC on real, large header trees where the machine has them: CUB, Thrust and libcu++
/// (Debian's libthrust-dev, libcub-dev and libcu++-dev put them in /usr/include), GCC's libstdc++ and glibc. The compiles end in
/// errors (host code, missing builtins), but every file NVRTC opened up to there must be listed.
/// Inconclusive where the headers are not installed.
/// </summary>
[TestClass]
public sealed class IncludeScannerSystemHeaderTests
{
    private const string Triplet = "x86_64-linux-gnu";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    // The CUDA trees are Debian's CUDA 11.8 headers, compiled for compute_52 by the NVRTC 11.8 beside them:
    // libcu++'s <cuda/barrier> stops there (it needs sm_70), as the comparison expects. GCC's and glibc's headers
    // fail for any architecture, so they take one every NVRTC from 11 to 13 compiles for.
    [DataRow("thrust/device_vector.h", "#include <thrust/device_vector.h>\n#include <thrust/sort.h>\n#include <cub/cub.cuh>\n", "-std=c++17", 52)]
    [DataRow("cuda/std/atomic", "#include <cuda/std/atomic>\n#include <cuda/std/tuple>\n#include <cuda/std/chrono>\n#include <cuda/barrier>\n", "-std=c++17", 52)]
    [DataRow("c++", "#include <vector>\n#include <algorithm>\n#include <cstdio>\n#include <atomic>\n", "-std=c++03", OracleComparison.PortableArchitecture)]
    public void RealHeaderTrees(string required, string source, string std, int architecture)
    {
        string[] includeDirectories = SystemIncludeDirectories();
        if (!File.Exists("/usr/include/" + required) && !Directory.Exists("/usr/include/" + required))
            Assert.Inconclusive("/usr/include/" + required + " is not installed here.");

        using var tree = new TempTree();
        tree.Write("src/k.cu", source);
        var request = new IncludeScanRequest
        {
            SourcePath = tree.P("src/k.cu"),
            IncludeDirectories = includeDirectories,
            // What a host compiler would predefine: without them glibc stops at once.
            Defines = [new("__x86_64__", "1"), new("__LP64__", "1"), new("__SIZE_TYPE__", "unsigned long"),
                new("__PTRDIFF_TYPE__", "long"), new("__CHAR_BIT__", "8")],
            LanguageStandard = std["-std=".Length..],
            Architectures = [architecture],
        };

        var outcome = OracleComparison.Check(TestContext, tree, request, compiles: false, std, "-default-device", "-arch=compute_" + architecture);
        if (outcome.Run.Opened.Count < 50)
            Assert.Inconclusive("NVRTC stopped after " + outcome.Run.Opened.Count + " files: too early to compare. Log:\n" + outcome.Run.Log);
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
    }

    /// <summary>
    /// The CUDA toolkit's own libcu++ (CCCL), where a toolkit is installed ($CUDA_PATH, /usr/local/cuda), compiled
    /// by the NVRTC the build finds: headers NVIDIA ships for NVRTC, so the compile succeeds and every file it read
    /// must be listed. Inconclusive without a toolkit (Debian's packages put libcu++ in /usr/include instead: above).
    /// </summary>
    [TestMethod]
    public void ToolkitLibcuxx()
    {
        // CUDA 12 keeps libcu++ in include/, CUDA 13 in include/cccl/ (measured with 13.0), beside the toolkit's headers.
        string[]? includes = new[] { Environment.GetEnvironmentVariable("CUDA_PATH"), "/usr/local/cuda" }
            .Where(root => !string.IsNullOrEmpty(root))
            .Select(root => Path.Combine(root!, "include"))
            .SelectMany(include => new[] { [include], new[] { include, Path.Combine(include, "cccl") } })
            .FirstOrDefault(directories => File.Exists(Path.Combine(directories[^1], "cuda", "std", "atomic")));
        if (includes == null)
            Assert.Inconclusive("No CUDA toolkit with libcu++ at $CUDA_PATH or /usr/local/cuda (include/ or include/cccl/).");

        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <cuda/std/atomic>\n#include <cuda/std/tuple>\n#include <cuda/std/complex>\n#include <cuda/std/chrono>\n" +
            "extern \"C\" __global__ void k(int* p) { cuda::std::atomic_ref<int> a(*p); a.fetch_add(1); }\n");
        var request = new IncludeScanRequest
        {
            SourcePath = tree.P("src/k.cu"),
            IncludeDirectories = includes,
            LanguageStandard = "c++17",
            Architectures = [OracleComparison.PortableArchitecture],
        };

        var outcome = OracleComparison.Check(TestContext, tree, request, compiles: true, "-std=c++17");
        Assert.IsGreaterThan(20, outcome.Run.Opened.Count, "NVRTC read libcu++'s headers");
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
    }

    private static string[] SystemIncludeDirectories()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/usr/include/c++"))
            Assert.Inconclusive("No GCC C++ headers under /usr/include/c++.");
        // The newest GCC whose three include folders are all there.
        foreach (string version in Directory.GetDirectories("/usr/include/c++").Select(d => Path.GetFileName(d)).OrderByDescending(v => int.TryParse(v, out int n) ? n : 0))
        {
            string[] directories =
            [
                "/usr/include/c++/" + version, $"/usr/include/{Triplet}/c++/{version}", "/usr/include",
                "/usr/include/" + Triplet, $"/usr/lib/gcc/{Triplet}/{version}/include",
            ];
            if (directories.All(Directory.Exists))
                return directories;
        }
        Assert.Inconclusive("No complete set of GCC include folders for " + Triplet + ".");
        return [];
    }
}
