using KernelBuild.Runtime;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Packaging;

/// <summary>
/// eng/gpu-check.sh packs the GPU checks for a machine without the .NET SDK; the folder's run.sh runs them there
/// (docs/runtime.md, "Checking on a GPU"). Packed and run here with the packed .NET runtime: on a machine with a
/// GPU every check must pass; without one exactly the checks that need a GPU must fail, and the rest pass.
/// </summary>
[TestClass]
[TestCategory("Package")]
public sealed class GpuCheckTests
{
    private static readonly string[] s_gpuChecks =
    [
        "runtime tests (GPU tests included)",
        "Increment sample, step() = 1",
        "Increment sample rebuilt after step.cuh changed to 7",
        "PackageReference sample",
    ];

    [TestMethod]
    public void PackedChecksRunWithThePackedRuntimeAndFailExactlyWhereAGpuIsMissing()
    {
        string folder = Path.Combine(Path.GetTempPath(), "kb-gpu-check-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var (packExit, packOutput) = Run(Path.Combine(ThrowawayProject.RepositoryRoot, "eng", "gpu-check.sh"), folder);
            Assert.AreEqual(0, packExit, packOutput);
            foreach (string file in new[] { "run.sh", "apps.tar.xz", "dotnet-runtime.tar.xz" })
                Assert.IsTrue(File.Exists(Path.Combine(folder, file)), file + " is packed");

            string results = Path.Combine(folder, "results");
            var (runExit, runOutput) = Run(Path.Combine(folder, "run.sh"), results);

            StringAssert.Contains(File.ReadAllText(Path.Combine(results, "environment.txt")), "dotnet: " + Path.Combine(folder, "dotnet", "dotnet"));
            StringAssert.Contains(runOutput, "--- passed: task tests against this machine's NVRTC");
            Assert.IsTrue(File.Exists(Path.Combine(results, "runtime.trx")) && File.Exists(Path.Combine(results, "tasks.trx")), runOutput);
            // The second build of the sample was incremental after the header edit: its kernel adds 7.
            StringAssert.Contains(File.ReadAllText(Path.Combine(results, "increment-1.log")), "The compiled increment adds 1 ");
            StringAssert.Contains(File.ReadAllText(Path.Combine(results, "increment-7.log")), "The compiled increment adds 7 ");
            StringAssert.Contains(File.ReadAllText(Path.Combine(results, "runtime-tests.log")), "failed: 0");

            string[] failed = runOutput.Split('\n').Where(line => line.StartsWith("FAILED: ", StringComparison.Ordinal))
                .Select(line => line["FAILED: ".Length..].Trim()).ToArray();
            if (HasGpu())
            {
                Assert.AreEqual(0, runExit, runOutput);
            }
            else
            {
                Assert.AreEqual(1, runExit, runOutput);
                CollectionAssert.AreEquivalent(s_gpuChecks, failed, runOutput);
                StringAssert.Contains(File.ReadAllText(Path.Combine(results, "increment-1.log")), "No GPU to run it on");
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>What the runtime itself says: a driver and a device it can open (a driver alone is not a GPU).</summary>
    private static bool HasGpu()
    {
        try
        {
            using CudaGpu gpu = CudaGpu.OpenDefault();
            return true;
        }
        catch (CudaUnavailableException)
        {
            return false;
        }
    }

    private static (int ExitCode, string Output) Run(string script, string argument) =>
        ExternalTool.Run("bash", [script, argument], ThrowawayProject.RepositoryRoot, TimeSpan.FromMinutes(20), new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
            ["KERNELBUILD_GPU_CHECK_PACKED_RUNTIME"] = "1",
        });
}
