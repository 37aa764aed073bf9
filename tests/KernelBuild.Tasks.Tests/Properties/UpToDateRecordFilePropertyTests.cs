// Property tests of KernelBuild.uptodate, as of KernelBuild.state (BuildStateFilePropertyTests, whose generators and
// damage these share): write -> read gives the same record; the reader never throws, whatever the bytes; a damaged
// file reads as no record or as the same record, never as another one, which could answer "up to date" wrongly.
using System.Text;
using System.Text.Json;
using CsCheck;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;
using static KernelBuild.Tasks.Tests.Properties.BuildStateFilePropertyTests;

namespace KernelBuild.Tasks.Tests.Properties;

[TestClass]
public sealed class UpToDateRecordFilePropertyTests
{
    // Values that end their line may hold tabs; those followed by another field may not (AnyField). The header
    // values are never empty: a record without them is no record.
    private static readonly Gen<string> s_name = AnyPath.Where(p => p.Length > 0);

    private static readonly Gen<RecordedWarning> s_warning =
        Gen.Select(AnyField, AnyField, Gen.Int[0, int.MaxValue], AnyPath, (code, file, line, message) => new RecordedWarning(code, file, line, message));

    private static readonly Gen<UpToDateRecord> s_record =
        Gen.Select(s_name, s_name, s_name, Gen.Int[0, int.MaxValue],
            Gen.Select(AnyField, AnyField, AnyPath).Array[0, 4], s_warning.Array[0, 2],
            Gen.Select(AnyPath, AnyStamp, AnyField).Array[0, 5],
            Gen.Select(AnyPath, AnyStamp).Array[0, 5])
        .Select(AnyPath.Array[0, 4], (r, probes) =>
        {
            var (task, inputs, compiler, kernels, images, warnings, dependencies, files) = r;
            var record = new UpToDateRecord { TaskVersion = task, Inputs = inputs, CompilerPath = compiler, KernelCount = kernels };
            record.Images.AddRange(images.Select(i => new RecordedImage(i.Item1, i.Item2, i.Item3)));
            record.Warnings.AddRange(warnings);
            record.Dependencies.AddRange(dependencies.Select(d => new TrackedFile(d.Item1, d.Item2, d.Item3)));
            record.Files.AddRange(files.Select(f => new StampedFile(f.Item1, f.Item2)));
            record.AbsentProbes.AddRange(probes);
            return record;
        });

    [TestMethod]
    public void ReadGivesBackWhatWasWritten()
    {
        s_record.Sample(record =>
        {
            UpToDateRecord? read = UpToDateRecordFile.Parse(UpToDateRecordFile.Bytes(record));
            Assert.IsNotNull(read, "a record the writer accepted did not read back");
            Assert.AreEqual(Describe(record), Describe(read));
        }, iter: PropertyRuns.Iterations(500), threads: 1, print: Describe);
    }

    [TestMethod]
    public void ArbitraryBytesReadAsNoRecordOrARecord()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            UpToDateRecord? read = UpToDateRecordFile.Parse(bytes);
            if (read != null) Assert.AreEqual(Describe(read), Describe(UpToDateRecordFile.Parse(UpToDateRecordFile.Bytes(read))!));
        }, iter: PropertyRuns.Iterations(500), threads: 1);
    }

    private static readonly string[] s_kinds = ["task", "inputs", "kernels", "compiler", "image", "warning", "file", "stamped", "probe", "end", "", "x"];
    private static readonly string[] s_values = ["", "0", "1", "-1", "99999999999999999999", "a", " ", "\t", "é", "5 6"];

    [TestMethod]
    public void LinesWithAValidChecksumNeverCrashTheReader()
    {
        Gen<string> line = Gen.Select(Gen.OneOf(s_kinds), Gen.OneOf(s_values).Array[0, 7])
            .Select((kind, fields) => kind + string.Concat(fields.Select(f => "\t" + f)) + "\n");
        line.Array[0, 12].Sample(lines =>
        {
            byte[] body = Encoding.UTF8.GetBytes("KernelBuild up-to-date 1\n" + string.Concat(lines));
            byte[] file = body.Concat(Encoding.ASCII.GetBytes(RecordText.ChecksumLine(body, body.Length))).ToArray();
            UpToDateRecord? read = UpToDateRecordFile.Parse(file);
            if (read != null) Assert.AreEqual(Describe(read), Describe(UpToDateRecordFile.Parse(UpToDateRecordFile.Bytes(read))!), "what was read writes and reads back");
        }, iter: PropertyRuns.Iterations(3000), threads: 1, print: lines => string.Concat(lines));
    }

    [TestMethod]
    public void ADamagedFileReadsAsNoRecordOrAsTheSameRecord()
    {
        Gen.Select(s_record, Gen.Enum<Damage>(), Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Byte).Sample(c =>
        {
            var (record, damage, at, other, value) = c;
            UpToDateRecord? read = UpToDateRecordFile.Parse(Damaged(UpToDateRecordFile.Bytes(record), damage, at, other, value));
            if (read != null) Assert.AreEqual(Describe(record), Describe(read), "a damaged file read as another record");
        }, iter: PropertyRuns.Iterations(400), threads: 1, print: c => $"{c.Item2} at {c.Item3}/{c.Item4} value {c.Item5} of\n{Describe(c.Item1)}");
    }

    [TestMethod]
    public void AMissingFileIsNoRecord() =>
        Assert.IsNull(UpToDateRecordFile.TryRead(Path.Combine(Path.GetTempPath(), "kb-no-record-" + Guid.NewGuid().ToString("N"))));

    [TestMethod]
    public void AStateIsNoRecordAndARecordIsNoState()
    {
        var record = new UpToDateRecord { TaskVersion = "t", Inputs = "i", CompilerPath = "/c", KernelCount = 1 };
        byte[] recordBytes = UpToDateRecordFile.Bytes(record);
        Assert.IsNull(BuildStateFile.Parse(recordBytes));
        Assert.IsNull(UpToDateRecordFile.Parse(Encoding.UTF8.GetBytes(BuildStateFile.Serialize(new BuildState()))));
    }

    /// <summary>Every value of the record, in order, written independently of the format under test.</summary>
    private static string Describe(UpToDateRecord record)
    {
        var text = new StringBuilder();
        void Line(params object?[] values) => text.AppendLine(JsonSerializer.Serialize(values));
        Line("header", record.TaskVersion, record.Inputs, record.CompilerPath, record.KernelCount);
        foreach (RecordedImage image in record.Images) Line("image", image.Architecture, image.ResourceName, image.RelativePath);
        // A warning's text loses its tabs and line breaks (they become spaces): the record shows it, never parses it.
        foreach (RecordedWarning warning in record.Warnings) Line("warning", OneField(warning.Code), OneField(warning.File), warning.Line, OneField(warning.Message));
        foreach (TrackedFile file in record.Dependencies) Line("dependency", file.Path, Stamp(file.Stamp), file.Sha256);
        foreach (StampedFile file in record.Files) Line("file", file.Path, Stamp(file.Stamp));
        foreach (string probe in record.AbsentProbes) Line("probe", probe);
        return text.ToString();
    }

    private static string OneField(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
