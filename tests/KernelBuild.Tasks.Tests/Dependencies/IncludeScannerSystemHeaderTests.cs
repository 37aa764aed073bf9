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
    [DataRow("thrust/device_vector.h", "#include <thrust/device_vector.h>\n#include <thrust/sort.h>\n#include <cub/cub.cuh>\n", "-std=c++17")]
    [DataRow("cuda/std/atomic", "#include <cuda/std/atomic>\n#include <cuda/std/tuple>\n#include <cuda/std/chrono>\n#include <cuda/barrier>\n", "-std=c++17")]
    [DataRow("c++", "#include <vector>\n#include <algorithm>\n#include <cstdio>\n#include <atomic>\n", "-std=c++03")]
    public void RealHeaderTrees(string required, string source, string std)
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
            Architectures = [52],
        };

        var outcome = OracleComparison.Check(TestContext, tree, request, compiles: false, std, "-default-device");
        if (outcome.Run.Opened.Count < 50)
            Assert.Inconclusive("NVRTC stopped after " + outcome.Run.Opened.Count + " files: too early to compare. Log:\n" + outcome.Run.Log);
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
