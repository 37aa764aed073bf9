// Property tests of KernelBuild.state: write -> read gives the same state for arbitrary values the format can hold;
// the writer refuses the rest; the reader never throws, whatever the bytes, and a damaged file never reads as a
// different state. Cases per property: see PropertyRuns (KERNELBUILD_PROPERTY_ITERATIONS for a long run); a failure
// prints the shrunk case and the seed to replay it.
using System.Text;
using System.Text.Json;
using CsCheck;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Tests.Properties;

[TestClass]
public sealed class BuildStateFilePropertyTests
{
    // Pieces keep surrogate pairs whole: paths come from the file system, which never gives .NET a lone surrogate.
    private static readonly string[] s_pathPieces =
    [
        "/", "a", "Z", "0", ".", " ", "\t", "\\", "#", "$", ":", ",", "\r", "é", "中", "\U0001F600", "\u00A0", "end", "file", "\t1\t",
    ];

    internal static readonly Gen<string> AnyPath = Gen.OneOf(s_pathPieces).Array[0, 8].Select(parts => string.Concat(parts));

    // Values followed by another field on their line (hashes, architectures): no tab.
    internal static readonly Gen<string> AnyField = Gen.OneOf(s_pathPieces.Where(p => !p.Contains('\t')).ToArray()).Array[0, 5].Select(parts => string.Concat(parts));

    // Exists is always true: the format stores no flag, and reads back a missing file's stamp as an existing, empty
    // file's, which differs from FileStamp.Missing, so a dependency deleted since the compile still reads as changed.
    internal static readonly Gen<FileStamp> AnyStamp =
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Long, Gen.Long, Gen.Long, (size, modified, changed, inode) => new FileStamp(true, size, modified, changed, inode));

    private static readonly Gen<CompilerRecord?> s_compiler =
        Gen.Select(AnyField, AnyPath, Gen.Int[0, 1000].Array[0, 4], AnyPath.Array[0, 3], Gen.Bool).Select((identity, name, architectures, files, present) =>
        {
            if (!present) return null;
            var compiler = new CompilerRecord { Identity = identity, Name = name };
            compiler.SupportedArchitectures.AddRange(architectures);
            compiler.Files.AddRange(files);
            return (CompilerRecord?)compiler;
        });

    private static readonly Gen<OutputRecord> s_output =
        Gen.Select(AnyField, Gen.OneOf(Enum.GetValues<OutputKind>()), AnyStamp, AnyField, AnyPath, (architecture, kind, stamp, sha, path) =>
            new OutputRecord { Architecture = architecture, Kind = kind, Stamp = stamp, Sha256 = sha, RelativePath = path });

    // Dependencies are positions into the state's files, taken modulo their count once the files are known.
    private static readonly Gen<(string Path, string Fingerprint, bool Complete, string[] Entries, OutputRecord[] Outputs, int[] Dependencies, string[] Probes)> s_kernel =
        Gen.Select(AnyPath, AnyField, Gen.Bool, AnyPath.Array[0, 3], s_output.Array[0, 3], Gen.Int[0, 100].Array[0, 5], AnyPath.Array[0, 4]);

    private static readonly Gen<BuildState> s_state =
        Gen.Select(s_compiler, Gen.Select(AnyPath, AnyStamp, AnyField).Array[0, 6], s_kernel.Array[0, 4]).Select((compiler, files, kernels) =>
        {
            var state = new BuildState { Compiler = compiler };
            foreach (var (path, stamp, sha) in files) state.Files[path] = new TrackedFile(path, stamp, sha);
            string[] paths = state.Files.Keys.ToArray();
            foreach (var k in kernels)
            {
                var kernel = new KernelRecord { RelativePath = k.Path, Fingerprint = k.Fingerprint, Complete = k.Complete };
                kernel.EntryPoints.AddRange(k.Entries);
                kernel.Outputs.AddRange(k.Outputs);
                if (paths.Length > 0) kernel.Dependencies.AddRange(k.Dependencies.Select(i => paths[i % paths.Length]));
                kernel.AbsentProbes.AddRange(k.Probes);
                state.Kernels[kernel.RelativePath] = kernel;
            }
            return state;
        });

    [TestMethod]
    public void ReadGivesBackWhatWasWritten()
    {
        s_state.Sample(state =>
        {
            BuildState? read = BuildStateFile.Parse(BuildStateFile.Serialize(state));
            Assert.IsNotNull(read, "a state the writer accepted did not read back");
            Assert.AreEqual(Describe(state), Describe(read));
        }, iter: PropertyRuns.Iterations(500), threads: 1, print: Describe);
    }

    [TestMethod]
    public void WriterRefusesWhatTheFormatCannotHold()
    {
        // A line break anywhere, or a tab in a value that is not last on its line, would shift the lines or fields.
        Gen<(BuildState, Action<BuildState, string>)> damaged = Gen.Select(s_state, Gen.OneOf<Action<BuildState, string>>(
            (state, bad) => state.Files["/x" + bad] = new TrackedFile("/x" + bad, new FileStamp(true, 1, 2, 3, 4), "00"),
            (state, bad) => state.Kernels["k" + bad] = new KernelRecord { RelativePath = "k" + bad },
            (state, bad) => state.Kernels["k"] = new KernelRecord { RelativePath = "k", Fingerprint = "f\t" + bad },
            (state, bad) => (state.Compiler ??= new CompilerRecord()).Files.Add("/nvrtc" + bad)));
        Gen.Select(damaged, Gen.OneOf("\n", "\r\n", "a\nb")).Sample(c =>
        {
            var ((state, damage), bad) = c;
            damage(state, bad);
            var refused = Assert.Throws<UnrepresentablePathException>(() => BuildStateFile.Serialize(state));
            StringAssert.Contains(refused.Message, "cannot be written to the state file");
        }, iter: PropertyRuns.Iterations(300), threads: 1);
    }

    [TestMethod]
    public void ArbitraryBytesReadAsNoStateOrAState()
    {
        string path = Path.Combine(Path.GetTempPath(), "kb-state-props-" + Guid.NewGuid().ToString("N"));
        try
        {
            Gen.Byte.Array[0, 300].Sample(bytes =>
            {
                File.WriteAllBytes(path, bytes);
                BuildState? state = BuildStateFile.TryRead(path, out string? problem);
                Assert.IsTrue(state != null || problem != null, "no state needs a reason");
            }, iter: PropertyRuns.Iterations(500), threads: 1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly string[] s_kinds = ["compiler", "compilerfile", "file", "probe", "kernel", "entry", "output", "deps", "absent", "end", "", "x"];
    // "cubin": an output line needs a kind the format knows to get past it to the stamp's fields.
    private static readonly string[] s_values = ["", "0", "1", "-1", "52", "99999999999999999999", "a", "1,2", ",", " ", "0 1", "7 x", "\t", "\t\t", "é", "cubin"];

    [TestMethod]
    public void LinesWithAValidChecksumNeverCrashTheReader()
    {
        // Random lines, then the checksum they need: this gets past the checksum to every field parser.
        Gen<string> line = Gen.Select(Gen.OneOf(s_kinds), Gen.OneOf(s_values).Array[0, 9])
            .Select((kind, fields) => kind + string.Concat(fields.Select(f => "\t" + f)) + "\n");
        line.Array[0, 12].Sample(lines =>
        {
            string body = "KernelBuild state 3\n" + string.Concat(lines);
            BuildState? state = BuildStateFile.Parse(body + BuildStateFile.ChecksumLine(body));
            if (state != null)
                Assert.AreEqual(Describe(state), Describe(BuildStateFile.Parse(BuildStateFile.Serialize(state))!), "what was read writes and reads back");
        }, iter: PropertyRuns.Iterations(3000), threads: 1, print: lines => string.Concat(lines));
    }

    [TestMethod]
    [DataRow("compiler\t1\t99999999999999999999\ta\n", DisplayName = "architecture out of range (threw OverflowException)")]
    [DataRow("kernel\tfp\n", DisplayName = "kernel line without its path (threw IndexOutOfRangeException)")]
    [DataRow("compiler\tid\n", DisplayName = "compiler line without its name (threw IndexOutOfRangeException)")]
    public void ShortOrOutOfRangeFieldsReadAsNoState(string lines)
    {
        // Shrunk cases of LinesWithAValidChecksumNeverCrashTheReader, kept as plain regression tests.
        string body = "KernelBuild state 3\n" + lines;
        Assert.IsNull(BuildStateFile.Parse(body + BuildStateFile.ChecksumLine(body)));
    }

    internal enum Damage { ChangeByte, Truncate, SwapLines, DropLine, RepeatLine }

    [TestMethod]
    public void ADamagedFileReadsAsNoStateOrAsTheSameState()
    {
        string path = Path.Combine(Path.GetTempPath(), "kb-state-props-" + Guid.NewGuid().ToString("N"));
        try
        {
            Gen.Select(s_state, Gen.Enum<Damage>(), Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Byte).Sample(c =>
            {
                var (state, damage, at, other, value) = c;
                byte[] written = Encoding.UTF8.GetBytes(BuildStateFile.Serialize(state));
                File.WriteAllBytes(path, Damaged(written, damage, at, other, value));
                BuildState? read = BuildStateFile.TryRead(path, out _);
                if (read != null) Assert.AreEqual(Describe(state), Describe(read), "a damaged file read as another state");
            }, iter: PropertyRuns.Iterations(400), threads: 1, print: c => $"{c.Item2} at {c.Item3}/{c.Item4} value {c.Item5} of\n{Describe(c.Item1)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static byte[] Damaged(byte[] bytes, Damage damage, int at, int other, byte value)
    {
        switch (damage)
        {
            case Damage.ChangeByte:
                byte[] changed = (byte[])bytes.Clone();
                changed[at % changed.Length] = value;
                return changed;
            case Damage.Truncate:
                return bytes[..(at % bytes.Length)];
            default:
                var lines = SplitLines(bytes);
                int i = at % lines.Count, j = other % lines.Count;
                if (damage == Damage.SwapLines) (lines[i], lines[j]) = (lines[j], lines[i]);
                else if (damage == Damage.DropLine) lines.RemoveAt(i);
                else lines.Insert(j, lines[i]);
                return lines.SelectMany(l => l).ToArray();
        }
    }

    private static List<byte[]> SplitLines(byte[] bytes)
    {
        var lines = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            lines.Add(bytes[start..(i + 1)]);
            start = i + 1;
        }
        if (start < bytes.Length) lines.Add(bytes[start..]);
        return lines;
    }

    /// <summary>Every value of the state, in a fixed order, written independently of the format under test.</summary>
    private static string Describe(BuildState state)
    {
        var text = new StringBuilder();
        void Line(params object?[] values) => text.AppendLine(JsonSerializer.Serialize(values));
        if (state.Compiler != null)
            Line("compiler", state.Compiler.Identity, state.Compiler.Name, state.Compiler.SupportedArchitectures, state.Compiler.Files);
        foreach (var (key, file) in state.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
            Line("file", key, file.Path, Stamp(file.Stamp), file.Sha256);
        foreach (var (key, kernel) in state.Kernels.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            Line("kernel", key, kernel.RelativePath, kernel.Fingerprint, kernel.Complete, kernel.EntryPoints, kernel.Dependencies, kernel.AbsentProbes);
            foreach (OutputRecord output in kernel.Outputs)
                Line("output", output.Architecture, output.Kind, Stamp(output.Stamp), output.Sha256, output.RelativePath);
        }
        return text.ToString();
    }

    internal static long[] Stamp(FileStamp stamp) => [stamp.Exists ? 1 : 0, stamp.Size, stamp.ModifiedTicks, stamp.ChangedTicks, stamp.Inode];
}
