using System.Collections.Concurrent;
using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>The compile task's pipeline: kernels compile on lanes while the task writes earlier ones, in order.</summary>
[TestClass]
public sealed class ResultsInOrderTests
{
    [TestMethod]
    public void ResultsComeInItemOrder_WhenLaterItemsFinishFirst()
    {
        // Item 0 finishes last: the consumer must still get 0 first, and the others must not wait for it.
        using var firstMayFinish = new ManualResetEventSlim();
        var finished = new ConcurrentQueue<int>();
        using var work = new ResultsInOrder<string>(5, 2, i =>
        {
            if (i == 0) firstMayFinish.Wait();
            finished.Enqueue(i);
            if (finished.Count == 4) firstMayFinish.Set();
            return "item " + i;
        }, (i, e) => "failed " + i);

        string[] taken = Enumerable.Range(0, 5).Select(work.Take).ToArray();

        CollectionAssert.AreEqual(Enumerable.Range(0, 5).Select(i => "item " + i).ToArray(), taken);
        Assert.AreEqual(0, finished.Last(), "item 0 was held until the other four had finished");
    }

    [TestMethod]
    public void WorkThatThrows_GivesTheFailedResult_AndTheOtherItemsStillRun()
    {
        using var work = new ResultsInOrder<string>(4, 2,
            i => i == 1 ? throw new InvalidOperationException("boom") : "item " + i,
            (i, e) => "failed " + i + ": " + e.Message);

        CollectionAssert.AreEqual(new[] { "item 0", "failed 1: boom", "item 2", "item 3" }, Enumerable.Range(0, 4).Select(work.Take).ToArray());
    }

    [TestMethod]
    public void RunsOnAtMostTheGivenNumberOfThreads_AndDisposeWaitsForThem()
    {
        int running = 0, most = 0, done = 0;
        var work = new ResultsInOrder<string>(12, 3, i =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(20);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref done);
            return "item " + i;
        }, (i, e) => "failed");

        Assert.AreEqual("item 0", work.Take(0));
        work.Dispose();

        Assert.AreEqual(12, Volatile.Read(ref done), "Dispose returned before every item had run");
        Assert.IsTrue(most >= 2 && most <= 3, "more than one item at once, and at most three: " + most);
    }

    [TestMethod]
    public void NoItems_StartsNothing()
    {
        using var work = new ResultsInOrder<string>(0, 4, i => throw new AssertFailedException("no item to run"), (i, e) => "failed");

        Assert.AreEqual(0, work.Count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
