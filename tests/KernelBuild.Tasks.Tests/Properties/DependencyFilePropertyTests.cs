// Property tests of the .d format: DependencyFile.Parse reads back what DependencyFile.Format writes, for arbitrary
// path strings, and GNU make (the format's reference reader) reads the same names.
// Cases per property: see PropertyRuns (KERNELBUILD_PROPERTY_ITERATIONS for a long run); a failure prints the shrunk
// case and the seed to replay it.
using CsCheck;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Tests.Properties;

[TestClass]
public sealed class DependencyFilePropertyTests
{
    // Pieces rather than single chars, so that a surrogate pair stays whole (a file system never gives .NET a lone
    // surrogate) and runs of backslashes and escapable characters meet often.
    private static readonly string[] s_anyPieces =
    [
        "a", "Z", "0", ".", "/", "-", "_", " ", "  ", "#", "$", "$$", ":", "\\", "\\\\", "\\ ", "\\#", "\\:", "\\$",
        "%", ";", "|", "=", "(", ")", "*", "?", "[", "]", "~", "'", "\"", "&", "!", "@", "é", "中", "\U0001F600", "\u00A0", "\v", "\f",
    ];

    // What GNU make reads back as written: make gives ';', '|', '=', '(' ')', wildcards, a leading '~' and '%'
    // meanings no escape removes (docs/formats.md), so the oracle leaves them out.
    private static readonly string[] s_makePieces =
    [
        "a", "Z", "0", ".", "/", "-", "_", " ", "  ", "#", "$", "$$", ":", "\\", "\\\\", "\\ ", "\\#", "\\:", "\\$",
        "'", "\"", "!", "@", "é", "中", "\U0001F600", "{", "}", ",", "+",
    ];

    private static Gen<string> PathOf(string[] pieces) =>
        Gen.OneOf(pieces).Array[1, 10].Select(parts => string.Concat(parts))
            // A trailing backslash or space is refused (docs/formats.md); the refusal has its own property.
            .Select(path => path.EndsWith('\\') || path.EndsWith(' ') ? path + "x" : path);

    private static readonly Gen<(string Target, string[] Dependencies)> s_anyRule =
        Gen.Select(PathOf(s_anyPieces), PathOf(s_anyPieces).Array[0, 6]);

    [TestMethod]
    public void ParseReadsWhatFormatWrites()
    {
        s_anyRule.Sample(rule =>
        {
            string text = DependencyFile.Format(rule.Target, rule.Dependencies);
            DependencyRule read = DependencyFile.Parse(text);
            Assert.AreEqual(rule.Target, read.Target, text);
            CollectionAssert.AreEqual(rule.Dependencies, read.Dependencies.ToArray(), text);
        }, iter: PropertyRuns.Iterations(2000), threads: 1);
    }

    [TestMethod]
    public void FormatRefusesWhatMakeCannotHold()
    {
        Gen<string> unrepresentable = Gen.Select(PathOf(s_anyPieces), Gen.OneOf("\n", "\r", "\0", "\r\n", "\t"), PathOf(s_anyPieces), Gen.OneOf("", "\\", " "))
            .Select((before, breaker, after, end) => end.Length > 0 ? before + end : before + breaker + after);
        unrepresentable.Sample(path =>
        {
            Assert.IsNotNull(DependencyFile.Unrepresentable(path));
            var refused = Assert.Throws<UnrepresentablePathException>(() => DependencyFile.Format("/o/k.ptx", ["/s/k.cu", path]));
            StringAssert.Contains(refused.Message, "cannot be written to a Make dependency file");
        }, iter: PropertyRuns.Iterations(500), threads: 1);
    }

    [TestMethod]
    public void ParseOfArbitraryTextReturnsARuleOrFormatException()
    {
        // Parse is for our own files, but a damaged one must fail as FormatException, not as a crash.
        Gen.OneOf(s_anyPieces.Concat(["\n", "\\\n", "\r\n", "\0", "\t", "\\\t"]).ToArray()).Array[0, 30].Select(parts => string.Concat(parts)).Sample(text =>
        {
            try
            {
                DependencyRule rule = DependencyFile.Parse(text);
                Assert.IsNotNull(rule.Target);
            }
            catch (FormatException)
            {
            }
        }, iter: PropertyRuns.Iterations(2000), threads: 1);
    }

    [TestMethod]
    public void GnuMakeReadsTheNamesFormatWrites()
    {
        Requirements.Tool("make");
        // One make process per iteration reads a few dozen generated .d files.
        Gen<(string Target, string[] Dependencies)[]> rules = Gen.Select(PathOf(s_makePieces), PathOf(s_makePieces).Array[1, 4]).Array[30];
        rules.Sample(AssertMakeReads, iter: PropertyRuns.Scaled(1, 200), threads: 1,
            print: cases => string.Join("\n", cases.Select((c, n) => DependencyFile.Format(Rooted(c.Target, n, 0), c.Dependencies))));
    }

    private static void AssertMakeReads((string Target, string[] Dependencies)[] cases)
    {
        string work = Directory.CreateTempSubdirectory("kb-make-props-").FullName;
        try
        {
            var makefile = new System.Text.StringBuilder("all:");
            var expected = new List<string>();
            for (int n = 0; n < cases.Length; n++)
            {
                // Rooted in a folder that does not exist, distinct per case and position: make lists a name once.
                string target = Rooted(cases[n].Target, n, 0);
                string[] dependencies = cases[n].Dependencies.Select((d, i) => Rooted(d, n, i + 1)).ToArray();
                File.WriteAllText(Path.Combine(work, $"{n}.d"), DependencyFile.Format(target, dependencies));
                makefile.Append(' ').Append(DependencyFile.Escape(target));
                expected.AddRange(dependencies.Select(d => "DEP:[" + d + "]"));
                expected.Add("TARGET:[" + target + "]");
            }
            // Each prerequisite is "made" by the match-anything rule, which prints its one name: unlike $^, no
            // ambiguity when a name holds a space. The target's own rule comes from its .d file plus the line below.
            makefile.Append("\n.PHONY: all\n");
            for (int n = 0; n < cases.Length; n++) makefile.Append($"include {n}.d\n");
            makefile.Append("%::\n\t@:$(info DEP:[$@])\n");
            for (int n = 0; n < cases.Length; n++) makefile.Append(DependencyFile.Escape(Rooted(cases[n].Target, n, 0))).Append(":\n\t@:$(info TARGET:[$@])\n");
            File.WriteAllText(Path.Combine(work, "Makefile"), makefile.ToString());

            var result = ExternalTool.Run("make", ["-f", "Makefile"], work, TimeSpan.FromMinutes(1));

            Assert.AreEqual(0, result.ExitCode, result.Output);
            string[] printed = result.Output.Split('\n').Where(l => l.StartsWith("DEP:[") || l.StartsWith("TARGET:[")).ToArray();
            int differ = Enumerable.Range(0, expected.Count).FirstOrDefault(i => i >= printed.Length || printed[i] != expected[i], -1);
            if (differ >= 0)
            {
                int rule = expected.Take(differ + 1).Count(l => l.StartsWith("TARGET:[")) - (expected[differ].StartsWith("TARGET:[") ? 1 : 0);
                Assert.Fail($"make read {(differ < printed.Length ? printed[differ] : "nothing")} where {expected[differ]} was written, in\n" +
                    File.ReadAllText(Path.Combine(work, $"{rule}.d")));
            }
            Assert.AreEqual(expected.Count, printed.Length, result.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Rooted(string name, int rule, int position) => $"/kb-no-such-folder/{rule}-{position}/{name}";

    [TestMethod]
    public void ParseKnowsMakeEscapes()
    {
        // Fixed cases of make's rules, measured with GNU make 4.3: runs of backslashes are halved before a quoted
        // blank, '#' or ':', and kept elsewhere.
        DependencyRule rule = DependencyFile.Parse("t\\:1: \\\n  a\\ b \\\n  c\\\\\\#d \\\n  e\\f $$g\\\\ h # comment\n\n");
        Assert.AreEqual("t:1", rule.Target);
        CollectionAssert.AreEqual(new[] { "a b", "c\\#d", "e\\f", "$g\\", "h" }, rule.Dependencies.ToArray());
        Assert.Throws<FormatException>(() => DependencyFile.Parse("a b: c\n"), "one target");
        Assert.Throws<FormatException>(() => DependencyFile.Parse("a: $(X)\n"), "a variable");
        Assert.Throws<FormatException>(() => DependencyFile.Parse("a: b\nc: d\n"), "a second rule");
    }
}
