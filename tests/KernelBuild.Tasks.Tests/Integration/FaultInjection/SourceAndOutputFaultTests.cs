using static KernelBuild.Tasks.Tests.Integration.FaultInjection.FaultInjectionTests;

namespace KernelBuild.Tasks.Tests.Integration.FaultInjection;

/// <summary>
/// A kernel that cannot be read and an output that cannot be written are build errors (KB1005, KB4001) that say
/// which path and what to do, never MSB4018 with a stack trace. Tests run as root here, where permissions do not
/// stop writes: a file standing where a folder must be, a folder standing where a file must be, and (where the
/// file system has it) the immutable attribute do.
/// </summary>
[TestClass]
public sealed class SourceAndOutputFaultTests
{
    private const string Architectures = "<CudaArchitectures>compute_52</CudaArchitectures>";

    [TestMethod]
    public void DanglingSymlinkKernelIsItsOwnErrorAndTheOthersAreBuilt()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures);
        project.Write("good.cu", Kernel("good"));
        string target = project.PathOf(Path.Combine("elsewhere", "linked.cu"));
        string link = project.PathOf("linked.cu");
        File.CreateSymbolicLink(link, target);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        AssertNoCrash(run);
        StringAssert.Contains(run.Output, $"error KB1005: CUDA kernel '{link}' is a symbolic link to '{target}', which does not exist");
        Assert.IsTrue(File.Exists(project.OutputOf("good.compute_52.ptx")), "the other kernel is still built:\n" + run);

        project.Write(Path.Combine("elsewhere", "linked.cu"), Kernel("linked"));
        BuildRun repaired = project.Build("-v:d");

        Assert.IsTrue(repaired.Succeeded, repaired.ToString());
        StringAssert.Contains(repaired.Output, "Compiling CUDA kernel linked.cu");
        Assert.IsFalse(repaired.Output.Contains("Compiling CUDA kernel good.cu"), "good.cu was current:\n" + repaired);
    }

    [TestMethod]
    public void FolderNamedAsAKernelIsItsOwnError()
    {
        // The source check takes one statx for a regular file; a folder must still be KB1005, not a failed read.
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures, "<CudaKernel Include=\"folder.cu\" />");
        project.Write("good.cu", Kernel("good"));
        string folder = project.PathOf("folder.cu");
        Directory.CreateDirectory(folder);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        AssertNoCrash(run);
        StringAssert.Contains(run.Output, $"error KB1005: CUDA kernel '{folder}' does not exist");
        Assert.IsTrue(File.Exists(project.OutputOf("good.compute_52.ptx")), "the other kernel is still built:\n" + run);
    }

    [TestMethod]
    public void FileWhereAnOutputFolderMustBeIsItsKernelsError()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures);
        project.Write("top.cu", Kernel("top"));
        project.Write(Path.Combine("sub", "inner.cu"), Kernel("inner"));
        string blocker = project.OutputOf("sub");
        Directory.CreateDirectory(project.OutputFolder);
        File.WriteAllText(blocker, "in the way\n");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        AssertNoCrash(run);
        string error = ErrorLine(run, project.PathOf(Path.Combine("sub", "inner.cu")), "KB4001");
        StringAssert.Contains(error, $"'{blocker}' is a file, but it must be a folder to hold");
        Assert.IsFalse(error.Contains("already exists"), error);
        Assert.IsTrue(File.Exists(project.OutputOf("top.compute_52.ptx")), "the other kernel is still built:\n" + run);
    }

    /// <summary>
    /// The compiled kernels' files are written several at a time after the last compile: one kernel whose files cannot
    /// be written fails alone, the others are recorded, and the next build compiles that kernel and only it.
    /// </summary>
    [TestMethod]
    public void AKernelWhoseFilesCannotBeWrittenFailsAloneAndIsTheOnlyOneCompiledNextBuild()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures);
        string[] others = ["a.cu", "b.cu", "c.cu", "e.cu", "f.cu"];
        foreach (string kernel in others) project.Write(kernel, Kernel(Path.GetFileNameWithoutExtension(kernel)));
        project.Write(Path.Combine("d", "blocked.cu"), Kernel("blocked"));
        string blocker = project.OutputOf("d");
        Directory.CreateDirectory(project.OutputFolder);
        File.WriteAllText(blocker, "in the way\n");

        BuildRun failed = project.Build();

        Assert.IsFalse(failed.Succeeded, failed.ToString());
        AssertNoCrash(failed);
        StringAssert.Contains(ErrorLine(failed, project.PathOf(Path.Combine("d", "blocked.cu")), "KB4001"), $"'{blocker}' is a file");
        foreach (string kernel in others)
        {
            string image = project.OutputOf(Path.ChangeExtension(kernel, ".compute_52.ptx"));
            Assert.IsTrue(File.Exists(image), kernel + " is still built:\n" + failed);
        }

        File.Delete(blocker);
        BuildRun again = project.Build();

        Assert.IsTrue(again.Succeeded, again.ToString());
        CollectionAssert.AreEqual(new[] { "d/blocked.cu" }, again.Compiled, again.ToString());
        Assert.IsTrue(File.Exists(project.OutputOf(Path.Combine("d", "blocked.compute_52.ptx"))), again.ToString());
    }

    [TestMethod]
    public void FolderWhereTheOptionsCacheMustBeIsAnErrorNamingIt()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures);
        project.Write("k.cu", Kernel("k"));
        string cache = project.OutputOf("KernelBuild.options.cache");
        Directory.CreateDirectory(cache);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        AssertNoCrash(run);
        string error = ErrorLine(run, cache, "KB4001");
        StringAssert.Contains(error, $"'{cache}' is a folder, but it is a file that must be written there");
        Assert.IsFalse(error.Contains("already exists"), error);
    }

    [TestMethod]
    public void FolderWhereTheStampMustBeIsAnErrorNamingIt()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures);
        project.Write("k.cu", Kernel("k"));
        string stamp = project.OutputOf("KernelBuild.stamp");
        Directory.CreateDirectory(stamp);

        BuildRun run = project.Build();

        // A folder left in the stamp's place would pass for a current stamp; it must stop the build instead.
        Assert.IsFalse(run.Succeeded, run.ToString());
        AssertNoCrash(run);
        StringAssert.Contains(ErrorLine(run, stamp, "KB4001"), $"'{stamp}' is a folder, but it is a file that must be deleted there");
    }

    [TestMethod]
    public void RemovedKernelWhoseOutputCannotBeDeletedIsRetriedNextBuild()
    {
        Requirements.Nvrtc();
        using var project = new ThrowawayProject(Architectures);
        project.Write("kept.cu", Kernel("kept"));
        project.Write("dropped.cu", Kernel("dropped"));
        Assert.IsTrue(project.Build().Succeeded);
        File.Delete(project.PathOf("dropped.cu"));
        string image = project.OutputOf("dropped.compute_52.ptx");
        File.Delete(image);
        Directory.CreateDirectory(image);

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        AssertNoCrash(run);
        StringAssert.Contains(ErrorLine(run, image, "KB4001"), $"'{image}' is a folder");

        Directory.Delete(image);
        BuildRun retried = project.Build();

        Assert.IsTrue(retried.Succeeded, retried.ToString());
        StringAssert.Contains(retried.Output, "Removed outputs of deleted CUDA kernel dropped.cu", "the record was kept for another try");
        Assert.IsFalse(File.Exists(project.OutputOf("dropped.cu.d")), "its .d file is gone too");
    }

    [TestMethod]
    public void ImmutableOutputFolderIsAnErrorNamingTheFile()
    {
        Requirements.Nvrtc();
        Requirements.Tool("chattr");
        using var project = new ThrowawayProject(Architectures);
        project.Write("k.cu", Kernel("k"));
        Assert.IsTrue(project.Build().Succeeded);
        project.Write("k.cu", Kernel("k") + "// edited\n");
        if (Chattr("+i", project.OutputFolder) != 0) Assert.Inconclusive("this file system has no immutable attribute");
        try
        {
            BuildRun run = project.Build();

            Assert.IsFalse(run.Succeeded, run.ToString());
            AssertNoCrash(run);
            string stamp = project.OutputOf("KernelBuild.stamp");
            StringAssert.Contains(ErrorLine(run, stamp, "KB4001"), $"Could not delete '{stamp}'");
        }
        finally
        {
            Chattr("-i", project.OutputFolder);
        }
    }

    private static int Chattr(string flag, string path) =>
        ExternalTool.Run("chattr", [flag, path], Path.GetTempPath(), TimeSpan.FromSeconds(30)).ExitCode;
}
