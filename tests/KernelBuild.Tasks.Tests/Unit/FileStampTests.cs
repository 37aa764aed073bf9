using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The stamp recorded next to a content hash must describe the bytes that were hashed. A file changed too recently
/// for its times to show a further write is recorded as unverified, which no stat ever equals.
/// </summary>
[TestClass]
public sealed class FileStampTests
{
    [TestMethod]
    public void AFileJustWrittenIsRecordedAsUnverified()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "just now");
            FileStamp stamp = FileStamp.BeforeRead(path);
            Assert.IsTrue(stamp.IsUnverified, "a file written a moment ago could be written again within the same time-stamp tick");
            Assert.AreNotEqual(stamp, FileStamp.Of(path));
            Assert.AreNotEqual(stamp, FileStamp.BeforeRead(path), "two unverified stamps of the same file are not equal either");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AFileUnchangedForLongerThanTheGranularityIsRecordedAsIs()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "a while ago");
            Thread.Sleep(TimeSpan.FromSeconds(2.2));
            FileStamp stamp = FileStamp.BeforeRead(path);
            Assert.IsFalse(stamp.IsUnverified);
            Assert.AreEqual(stamp, FileStamp.Of(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AFileWithTimesInTheFutureIsUnverified()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(1)); // clock skew, an archive from another machine
            Assert.IsTrue(FileStamp.BeforeRead(path).IsUnverified);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AnUnverifiedStampSurvivesTheStateFileRoundTrip()
    {
        var unverified = new FileStamp(true, 12, 34, 56, 78).Unverified();
        var state = new BuildState();
        state.Files["/h.cuh"] = new TrackedFile("/h.cuh", unverified, "00");

        FileStamp read = BuildStateFile.Parse(BuildStateFile.Serialize(state))!.Files["/h.cuh"].Stamp;

        Assert.IsTrue(read.IsUnverified);
        Assert.AreEqual(12, read.Size);
    }
}
