using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>NVRTC's result codes, the failure that carries them across the worker pipe, and AtomicFile's reasons.</summary>
[TestClass]
public sealed class NvrtcFailureTests
{
    /// <summary>nvrtc.h's names; NVRTC 11.8 knows the first twelve, later versions add the rest.</summary>
    private static readonly string[] s_headerNames =
    [
        "NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE", "NVRTC_ERROR_INVALID_INPUT",
        "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION", "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION", "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
        "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID", "NVRTC_ERROR_INTERNAL_ERROR", "NVRTC_ERROR_TIME_FILE_WRITE_FAILED",
        "NVRTC_ERROR_NO_PCH_CREATE_ATTEMPTED", "NVRTC_ERROR_PCH_CREATE_HEAP_EXHAUSTED", "NVRTC_ERROR_PCH_CREATE", "NVRTC_ERROR_CANCELLED",
    ];

    [TestMethod]
    public void ResultsAreNamedAsInNvrtcHeader()
    {
        // The enum crosses the native boundary as is: each member must have its header's value.
        NvrtcResult[] results = Enum.GetValues<NvrtcResult>();
        Assert.AreEqual(s_headerNames.Length, results.Length);
        foreach (NvrtcResult result in results)
        {
            string expected = s_headerNames[(int)result].Replace("NVRTC_ERROR_", "").Replace("NVRTC_", "").Replace("_", "");
            Assert.AreEqual(expected, result.ToString().ToUpperInvariant(), $"value {(int)result}");
        }
    }

    [TestMethod]
    public void RealNvrtcNamesEachResultItKnows()
    {
        Requirements.Nvrtc();
        var api = new Interop.Nvrtc(NativeLibraryLoader.TryLoad(NvrtcLibrary.Load(NvrtcLocator.ForThisMachine().Locate(null)).Path, out _));

        for (int value = 0; value <= (int)NvrtcResult.InternalError; value++)
        {
            Assert.AreEqual(s_headerNames[value], api.ErrorString((NvrtcResult)value), $"nvrtcGetErrorString({value})");
        }
    }

    [TestMethod]
    public void FailureCrossesTheWorkerPipeWhole()
    {
        // A worker turns a failed NVRTC call into the kernel's KB2003 error itself; the task logs what it receives.
        var settings = new KernelCompileSettings { SourcePath = "/src/k.cu", RelativePath = "k.cu" };
        var failure = new NvrtcException(NvrtcResult.OutOfMemory, "nvrtcCompileProgram", "NVRTC_ERROR_OUT_OF_MEMORY");
        KernelCompileResult failed = KernelCompileResult.Failed(settings, new KernelFault(KbErrors.NvrtcFailed, "NVRTC failed while compiling /src/k.cu: " + failure.Message));

        KernelCompileResult read = WorkerProtocolTests.RoundTrip(failed);

        Assert.IsFalse(read.Succeeded);
        KernelFault fault = read.Faults.Single();
        Assert.AreEqual(KbErrors.NvrtcFailed, fault.Code);
        Assert.AreEqual("NVRTC failed while compiling /src/k.cu: nvrtcCompileProgram failed: NVRTC_ERROR_OUT_OF_MEMORY (nvrtcResult 1)", fault.Message);
        Assert.IsNull(fault.File, "reported at the kernel's source");
    }

    [TestMethod]
    public void WritingWhereAFolderStandsSaysSo()
    {
        string root = TemporaryFolder();
        string path = Path.Combine(root, "out.ptx");
        Directory.CreateDirectory(path);

        var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.WriteIfChanged(path, [1]));

        Assert.AreEqual($"'{path}' is a folder, but it is a file that must be written there. Delete or rename the folder.", e.Message);
        Assert.ThrowsExactly<IOException>(() => AtomicFile.DeleteIfExists(path), "a folder must not pass for a deleted file");
        Assert.IsTrue(Directory.Exists(path), "nothing of the user's is removed");
        Directory.Delete(root, true);
    }

    [TestMethod]
    public void WritingBelowAFileSaysWhichFileIsInTheWay()
    {
        string root = TemporaryFolder();
        string blocker = Path.Combine(root, "kernels");
        File.WriteAllText(blocker, "x");
        string path = Path.Combine(blocker, "deeper", "k.ptx");

        var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, [1]));

        Assert.AreEqual($"'{blocker}' is a file, but it must be a folder to hold '{path}'. Delete or rename that file.", e.Message);
        Assert.AreEqual("x", File.ReadAllText(blocker));
        Directory.Delete(root, true);
    }

    [TestMethod]
    public void DeletingAMissingFileIsNotAnError()
    {
        string root = TemporaryFolder();
        AtomicFile.DeleteIfExists(Path.Combine(root, "absent.stamp"));
        AtomicFile.DeleteIfExists(Path.Combine(root, "absent-folder", "absent.stamp"));
        string present = Path.Combine(root, "present.stamp");
        File.WriteAllText(present, "");
        AtomicFile.DeleteIfExists(present);
        Assert.IsFalse(File.Exists(present));
        Directory.Delete(root, true);
    }

    private static string TemporaryFolder()
    {
        string root = Path.Combine(Path.GetTempPath(), "kb-atomic-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }
}
