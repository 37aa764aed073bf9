using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;
using KernelBuild.Tasks.Tests.Dependencies;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The up-to-date record answers "up to date" in place of the full check, so it may hold only where the full
/// check finds nothing stale. It holds after a header is only touched (the common case worth keeping fast), and
/// sends every other difference, a touched output included, to the full check, which knows what it means.
/// </summary>
[TestClass]
public sealed class UpToDateRecordTests
{
    [TestMethod]
    [DataRow("nothing", true, false)]
    [DataRow("a header's bytes", false, false)]
    [DataRow("a header touched only", true, true)]
    [DataRow("a header deleted", false, false)]
    [DataRow("an absent probe created", false, false)]
    [DataRow("an image deleted", false, false)]
    [DataRow("an image edited", false, false)]
    [DataRow("an image touched only", false, false)]
    public void TheRecordHoldsOnlyWhereTheFullCheckFindsNothingStale(string change, bool holds, bool touched)
    {
        using var tree = new TempTree();
        RecordedTree.Write(tree);
        BuildState recorded = RecordedTree.Record(tree);
        UpToDateRecord record = ThroughTheFile(RecordOf(recorded, tree));
        RecordedTree.Changes[change](tree);

        string? difference = record.FirstDifference(record.StartStats(), out bool wasTouched);
        string? fullCheck = RecordedTree.Check(new StalenessChecker(recorded, tree.P("obj")));

        Assert.AreEqual(holds, difference == null, $"{change}: {difference}");
        // Files written less than two seconds ago always count as touched (FileStamp.BeforeRead: their stamp cannot
        // vouch for their bytes yet), so only a real touch is asserted here; SettledFilesAreNotTouched covers the rest.
        if (touched) Assert.IsTrue(wasTouched, change);
        if (difference == null) Assert.IsNull(fullCheck, $"{change}: the record held where the full check says: {fullCheck}");
        if (touched)
        {
            // Saved and read again, the record holds without the touch counting again once the stamp is settled.
            UpToDateRecord again = ThroughTheFile(record);
            Assert.IsNull(again.FirstDifference(again.StartStats(), out _), change + ": the refreshed record must still hold");
        }
    }

    [TestMethod]
    public void SettledFilesAreNotTouched()
    {
        using var tree = new TempTree();
        RecordedTree.Write(tree);
        ThrowawayProject.WaitPastTimestampGranularity();
        UpToDateRecord record = ThroughTheFile(RecordOf(RecordedTree.Record(tree), tree));

        Assert.IsNull(record.FirstDifference(record.StartStats(), out bool touched));
        Assert.IsFalse(touched, "nothing changed: the record is not written again");
    }

    [TestMethod]
    public void EachFileSharedByKernelsIsRecordedOnce()
    {
        using var tree = new TempTree();
        RecordedTree.Write(tree);
        BuildState state = RecordedTree.Record(tree);
        KernelRecord first = state.Kernels[RecordedTree.Kernel];
        var second = new KernelRecord { RelativePath = "k/b.cu", Fingerprint = "f" };
        second.Dependencies.AddRange(first.Dependencies);
        second.AbsentProbes.AddRange(first.AbsentProbes);
        state.Kernels[second.RelativePath] = second;

        var record = new UpToDateRecord();
        foreach (KernelRecord kernel in state.Kernels.Values) record.AddKernel(kernel, state, tree.P("obj"));

        Assert.AreEqual(2, record.Dependencies.Count);
        Assert.AreEqual(1, record.AbsentProbes.Count);
        Assert.AreEqual(3, record.Files.Count, "the first kernel's three outputs");
    }

    [TestMethod]
    public void ADependencyReplacedByAFolderOrMadeUnreadableDoesNotHold()
    {
        using var tree = new TempTree();
        RecordedTree.Write(tree);
        UpToDateRecord record = RecordOf(RecordedTree.Record(tree), tree);
        File.Delete(tree.P("include/h.cuh"));
        Directory.CreateDirectory(tree.P("include/h.cuh"));

        Assert.IsNotNull(record.FirstDifference(record.StartStats(), out _));
    }

    private static UpToDateRecord RecordOf(BuildState state, TempTree tree)
    {
        var record = new UpToDateRecord { TaskVersion = "task", Inputs = "inputs", CompilerPath = "/nvrtc", KernelCount = 1 };
        foreach (KernelRecord kernel in state.Kernels.Values) record.AddKernel(kernel, state, tree.P("obj"));
        return record;
    }

    /// <summary>Written and read back, as the next build reads it.</summary>
    private static UpToDateRecord ThroughTheFile(UpToDateRecord record) =>
        UpToDateRecordFile.Parse(UpToDateRecordFile.Bytes(record)) ?? throw new AssertFailedException("the record did not read back");
}
