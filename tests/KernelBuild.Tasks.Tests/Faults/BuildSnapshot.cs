using System.Text;
using System.Text.RegularExpressions;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// What a build left behind, for comparing a build that recovered from a fault with a clean build in the same
/// folder: every file under the kernel output folder, byte for byte, every resource embedded in the assembly, and
/// every entry of the kernel bundle beside it when there is one.
/// The state file records file times and inodes, which differ between any two builds; only those fields are
/// dropped from it (sizes, hashes, paths, kernels and entry points are compared). Temporary files of atomic writes
/// that a killed build left are listed apart (<see cref="TemporaryFiles"/>): a test of recovery compares what the
/// build uses, and a separate test asks for the litter to be gone. The up-to-date record is left out: it holds only
/// stamps and hashes of the files compared here, and whether it exists depends on whether the last build compiled.
/// </summary>
internal sealed class BuildSnapshot
{
    private const string StateFile = "KernelBuild.state";
    private const string UpToDateRecord = "KernelBuild.uptodate";

    private static readonly Regex s_temporaryFile = new(@"\.tmp-[0-9a-f]{8}$");

    private BuildSnapshot(SortedDictionary<string, byte[]> entries, List<string> temporaryFiles)
    {
        Entries = entries;
        TemporaryFiles = temporaryFiles;
    }

    /// <summary>Keys: "out:" + path under the output folder, "resource:" + resource name, or "beside:" + entry of the
    /// kernel bundle beside the assembly.</summary>
    public SortedDictionary<string, byte[]> Entries { get; }

    /// <summary>Paths under the output folder of `x.tmp-1234abcd` files (AtomicFile's temporary files).</summary>
    public List<string> TemporaryFiles { get; }

    public static BuildSnapshot Of(ThrowawayProject project) => Of(project.OutputFolder, project.AssemblyPath);

    public static BuildSnapshot Of(string outputFolder, string assemblyPath)
    {
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var temporaryFiles = new List<string>();
        foreach (string file in Directory.EnumerateFiles(outputFolder, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(outputFolder, file).Replace('\\', '/');
            if (s_temporaryFile.IsMatch(relative))
            {
                temporaryFiles.Add(relative);
                continue;
            }
            if (relative == UpToDateRecord) continue;
            byte[] bytes = File.ReadAllBytes(file);
            entries["out:" + relative] = relative == StateFile ? WithoutFileTimes(bytes) : bytes;
        }
        foreach (var (name, bytes) in AssemblyResources.KernelBuildResources(assemblyPath))
        {
            entries["resource:" + name] = bytes;
        }
        // EmbedCudaKernels=false: the bundle copied beside the assembly, opened, as the runtime reads it.
        string besideAssembly = ThrowawayProject.BundleBeside(assemblyPath);
        if (File.Exists(besideAssembly))
        {
            foreach (var (name, bytes) in AssemblyResources.BundleEntries(File.ReadAllBytes(besideAssembly)))
            {
                entries["beside:" + name] = bytes;
            }
        }
        return new BuildSnapshot(entries, temporaryFiles);
    }

    /// <summary>Images only (PTX and cubins), by path under the output folder.</summary>
    public IEnumerable<KeyValuePair<string, byte[]>> Images =>
        Entries.Where(e => e.Key.StartsWith("out:", StringComparison.Ordinal) && (e.Key.EndsWith(".ptx") || e.Key.EndsWith(".cubin")));

    /// <summary>Every difference, one line each; empty when equal.</summary>
    public List<string> DifferencesFrom(BuildSnapshot expected)
    {
        var differences = new List<string>();
        foreach (string key in expected.Entries.Keys.Union(Entries.Keys).Order(StringComparer.Ordinal))
        {
            bool inExpected = expected.Entries.TryGetValue(key, out byte[]? want);
            bool inActual = Entries.TryGetValue(key, out byte[]? got);
            if (!inActual) differences.Add(key + " is missing");
            else if (!inExpected) differences.Add(key + " should not exist");
            else if (!want!.AsSpan().SequenceEqual(got)) differences.Add(key + " differs" + TextDiff(want!, got!));
        }
        return differences;
    }

    public void AssertEquals(BuildSnapshot clean, string context)
    {
        List<string> differences = DifferencesFrom(clean);
        Assert.AreEqual(0, differences.Count, context + ": differs from a clean build:\n  " + string.Join("\n  ", differences));
    }

    /// <summary>Sizes for binary files; for text, the first line that differs.</summary>
    private static string TextDiff(byte[] want, byte[] got)
    {
        if (want.Contains((byte)0) || got.Contains((byte)0)) return $" ({want.Length} vs {got.Length} bytes)";
        string[] clean = Encoding.UTF8.GetString(want).Split('\n'), actual = Encoding.UTF8.GetString(got).Split('\n');
        int line = Enumerable.Range(0, Math.Max(clean.Length, actual.Length))
            .First(i => i >= clean.Length || i >= actual.Length || clean[i] != actual[i]);
        return $" at line {line + 1}: clean `{(line < clean.Length ? clean[line].Trim() : "(end)")}`, this `{(line < actual.Length ? actual[line].Trim() : "(end)")}`";
    }

    /// <summary>Drops mtime, ctime and inode from `file`, `output`, `manifest`, `signatureindex` and `bundle` lines and the checksum line (docs/formats.md).</summary>
    private static byte[] WithoutFileTimes(byte[] state)
    {
        var lines = Encoding.UTF8.GetString(state).Split('\n').Select(line =>
        {
            string[] f = line.Split('\t');
            return f[0] switch
            {
                "file" when f.Length == 7 => string.Join('\t', f[0], f[1], f[5], f[6]),
                "output" when f.Length == 9 => string.Join('\t', f[0], f[1], f[2], f[3], f[7], f[8]),
                "manifest" when f.Length == 7 => string.Join('\t', f[0], f[1], f[5], f[6]),
                "signatureindex" when f.Length == 7 => string.Join('\t', f[0], f[1], f[5], f[6]),
                "bundle" when f.Length == 7 => string.Join('\t', f[0], f[1], f[5], f[6]),
                "end" => "end",
                _ => line,
            };
        });
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    /// <summary>The kernels a `-v:n` build log says it compiled, sorted.</summary>
    public static List<string> Compiled(string log) => BuildRun.CompiledIn(log);
}
