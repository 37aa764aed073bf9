using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;
using KernelBuild.Tasks.Tests.Dependencies;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The staleness check with its stats taken ahead on a second thread (<see cref="RecordedFileStats"/>) must say
/// exactly what it says when it stats each file itself: the same reason, and the same refreshed stamps.
/// </summary>
[TestClass]
public sealed class RecordedFileStatsTests
{
    private const string Kernel = "k/a.cu";

    /// <summary>Each change made to the tree after it was recorded, before the check.</summary>
    private static readonly Dictionary<string, Action<TempTree>> s_changes = new()
    {
        ["nothing"] = _ => { },
        ["a header's bytes"] = t => t.Write("include/h.cuh", "#define STEP 2\n"),
        ["a header touched only"] = t => File.SetLastWriteTimeUtc(t.P("include/h.cuh"), DateTime.UtcNow.AddMinutes(-5)),
        ["a header deleted"] = t => File.Delete(t.P("include/h.cuh")),
        ["an absent probe created"] = t => t.Write("k/h.cuh", "#define STEP 3\n"),
        ["an image deleted"] = t => File.Delete(t.P("obj/k/a.compute_80.ptx")),
        ["an image edited"] = t => t.Write("obj/k/a.compute_80.ptx", "// edited\n"),
    };

    [TestMethod]
    [DataRow("nothing", null)]
    [DataRow("a header's bytes", "/include/h.cuh changed")]
    [DataRow("a header touched only", null)]
    [DataRow("a header deleted", "/include/h.cuh was deleted or renamed")]
    [DataRow("an absent probe created", "/k/h.cuh was created and may shadow the header used before")]
    [DataRow("an image deleted", "output k/a.compute_80.ptx is missing")]
    [DataRow("an image edited", "output k/a.compute_80.ptx was modified")]
    public void TheCheckSaysTheSameWithStatsTakenAhead(string change, string? reasonEnd)
    {
        using var tree = new TempTree();
        WriteRecordedTree(tree);
        BuildState recordedForSerialCheck = Record(tree);
        BuildState recordedForPrefetchedCheck = Record(tree);
        s_changes[change](tree);

        var serial = new StalenessChecker(recordedForSerialCheck, tree.P("obj"));
        var prefetched = new StalenessChecker(recordedForPrefetchedCheck, tree.P("obj"), RecordedFileStats.Start(recordedForPrefetchedCheck, tree.P("obj")));
        string? serialReason = Check(serial);
        string? prefetchedReason = Check(prefetched);

        Assert.AreEqual(serialReason, prefetchedReason, change);
        Assert.AreEqual(serial.RefreshedStamps, prefetched.RefreshedStamps, change);
        if (reasonEnd == null) Assert.IsNull(prefetchedReason, change);
        else StringAssert.EndsWith(prefetchedReason, reasonEnd, change);
        Assert.AreEqual(Fields(recordedForSerialCheck.Files[tree.P("include/h.cuh")].Stamp), Fields(recordedForPrefetchedCheck.Files[tree.P("include/h.cuh")].Stamp),
            change + ": a refreshed stamp must be the same either way");
        Assert.AreEqual(serial.DependencyExists(tree.P("include/h.cuh")), prefetched.DependencyExists(tree.P("include/h.cuh")), change);
    }

    [TestMethod]
    public void AFileTheStateDoesNotRecordIsStatedWhenAsked()
    {
        using var tree = new TempTree();
        WriteRecordedTree(tree);
        BuildState recorded = Record(tree);
        RecordedFileStats stats = RecordedFileStats.Start(recorded, tree.P("obj"));
        stats.Wait();
        string later = tree.Write("include/later.cuh", "#pragma once\n");

        Assert.IsTrue(stats.DependencyStamp(later).Exists, "a path the thread never saw is stat'ed on the caller's thread");
        Assert.IsFalse(stats.DependencyStamp(tree.P("include/never.cuh")).Exists);
        Assert.IsFalse(stats.ProbeExists(tree.P("k/later.cuh")));
    }

    /// <summary>Field by field: an unverified stamp equals no stamp, not even itself.</summary>
    private static (bool, long, long, long, long) Fields(FileStamp stamp) => (stamp.Exists, stamp.Size, stamp.ModifiedTicks, stamp.ChangedTicks, stamp.Inode);

    private static string? Check(StalenessChecker checker) =>
        checker.Check(Kernel, "fingerprint", ["k/a.compute_80.ptx"], stateProblem: null, compilerChanged: false);

    private static void WriteRecordedTree(TempTree tree)
    {
        tree.Write(Kernel, "#include \"h.cuh\"\nextern \"C\" __global__ void a() {}\n");
        tree.Write("include/h.cuh", "#define STEP 1\n");
        tree.Write("obj/k/a.compute_80.ptx", "// ptx\n");
        tree.Write("obj/k/a.cu.d", "a: b\n");
        tree.Write("obj/k/a.cu.signatures", "\n");
    }

    /// <summary>The state a build would have written for the tree as it is now: one kernel, its header, three outputs.</summary>
    private static BuildState Record(TempTree tree)
    {
        var state = new BuildState();
        var kernel = new KernelRecord { RelativePath = Kernel, Fingerprint = "fingerprint" };
        foreach (string dependency in new[] { tree.P(Kernel), tree.P("include/h.cuh") })
        {
            state.Files[dependency] = new TrackedFile(dependency, FileStamp.Of(dependency), ContentHash.OfFile(dependency)!);
            kernel.Dependencies.Add(dependency);
        }
        kernel.AbsentProbes.Add(tree.P("k/h.cuh"));
        kernel.Outputs.Add(Output(tree, "k/a.compute_80.ptx", OutputKind.Ptx));
        kernel.Outputs.Add(Output(tree, "k/a.cu.d", OutputKind.DependencyFile));
        kernel.Outputs.Add(Output(tree, "k/a.cu.signatures", OutputKind.Signatures));
        state.Kernels[Kernel] = kernel;
        return state;
    }

    private static OutputRecord Output(TempTree tree, string relativePath, OutputKind kind)
    {
        string path = tree.P("obj/" + relativePath);
        return new OutputRecord { RelativePath = relativePath, Kind = kind, Stamp = FileStamp.Of(path), Sha256 = ContentHash.OfFile(path)! };
    }
}
