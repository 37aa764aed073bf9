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
    [TestMethod]
    [DataRow("nothing", null)]
    [DataRow("a header's bytes", "/include/h.cuh changed")]
    [DataRow("a header touched only", null)]
    [DataRow("a header deleted", "/include/h.cuh was deleted or renamed")]
    [DataRow("an absent probe created", "/k/h.cuh was created and may shadow the header used before")]
    [DataRow("an image deleted", "output k/a.compute_80.ptx is missing")]
    [DataRow("an image edited", "output k/a.compute_80.ptx was modified")]
    [DataRow("an image touched only", null)]
    public void TheCheckSaysTheSameWithStatsTakenAhead(string change, string? reasonEnd)
    {
        using var tree = new TempTree();
        RecordedTree.Write(tree);
        BuildState recordedForSerialCheck = RecordedTree.Record(tree);
        BuildState recordedForPrefetchedCheck = RecordedTree.Record(tree);
        RecordedTree.Changes[change](tree);

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
        RecordedTree.Write(tree);
        BuildState recorded = RecordedTree.Record(tree);
        RecordedFileStats stats = RecordedFileStats.Start(recorded, tree.P("obj"));
        stats.Wait();
        string later = tree.Write("include/later.cuh", "#pragma once\n");

        Assert.IsTrue(stats.DependencyStamp(later).Exists, "a path the thread never saw is stat'ed on the caller's thread");
        Assert.IsFalse(stats.DependencyStamp(tree.P("include/never.cuh")).Exists);
        Assert.IsFalse(stats.ProbeExists(tree.P("k/later.cuh")));
    }

    /// <summary>Field by field: an unverified stamp equals no stamp, not even itself.</summary>
    private static (bool, long, long, long, long) Fields(FileStamp stamp) => (stamp.Exists, stamp.Size, stamp.ModifiedTicks, stamp.ChangedTicks, stamp.Inode);

    private static string? Check(StalenessChecker checker) => RecordedTree.Check(checker);
}
