// Fuzz tests of the include scanner: on "directive soup" (random includes, macros, conditionals, comments, splices,
// literals and junk bytes, in a few files that include each other) it never throws and always finishes in time, and
// it lists the same files whether or not its cache is warm. Cases per property: see PropertyRuns
// (KERNELBUILD_PROPERTY_ITERATIONS for a long run); a failure prints the shrunk files and the seed to replay it.
using System.Text;
using CsCheck;
using KernelBuild.Tasks.Scanning;
using KernelBuild.Tasks.Tests.Dependencies;

namespace KernelBuild.Tasks.Tests.Properties;

[TestClass]
public sealed class IncludeScannerPropertyTests
{
    private static readonly TimeSpan s_scanLimit = TimeSpan.FromSeconds(5);

    // The tree every case writes: the source, headers beside it, in a subfolder and in the -I folder.
    private static readonly string[] s_fileNames = ["src/k.cu", "src/f0.h", "src/f1.h", "src/sub/f2.h", "inc/f3.h", "inc/sub/f2.h"];

    private static readonly string[] s_headers = ["f0.h", "f1.h", "sub/f2.h", "f3.h", "../src/f0.h", "missing.h", "sub/../f1.h", "", "f1.h\\\n"];
    private static readonly string[] s_macros = ["M", "N", "F", "__has_include", "defined", "__FILE__", "__CUDA_ARCH__", "__cplusplus", "__VA_ARGS__"];

    // {F} a header name, {M} and {N} macro names.
    private static readonly string[] s_directives =
    [
        "#include \"{F}\"", "#include <{F}>", "#include {M}", "#include {M}({N})", "#include_next <{F}>", "# include \"{F}\"",
        "%:include \"{F}\"", "#include \"{F}", "#include <{F}", "#include", "#import \"{F}\"",
        "#define {M} \"{F}\"", "#define {M} <{F}>", "#define {M} {N}", "#define {M} {M}", "#define {M}({N}) {N}",
        "#define {M}(x) #x", "#define {M}(x) {M}(x)", "#define {M} {N} ## {N}", "#define {M} < {N} / {F} >", "#define {M}",
        "#define {M}(", "#define {M} {N} {N} {M}", "#define {M} {N} {F}", "#include {M} {N}", "#undef {M}", "#if 0", "#if 1", "#if {M}", "#ifdef {M}", "#ifndef {M}", "#elif {M}", "#else", "#endif",
        "#if __has_include(\"{F}\")", "#if __has_include(<{F}>)", "#if __has_include({M})", "#elif defined({M}) && __has_include(\"{F}\")",
        "#define {M} __has_include(\"{F}\")", "#if {M}(\"{F}\")", "#pragma once", "#pragma", "#", "#error {F}", "#line 1 \"{F}\"",
        // The expander and the condition evaluator: stringizing, pasting, variadic macros, arithmetic.
        "#define {M}(x) {N}(x)", "#define {M}(x, ...) {N}(__VA_ARGS__ x)", "#define {M}(x, ...) x __VA_OPT__(, {N})", "#define {M}(a, b) a ## b",
        "#define {M}(x) <x/{F}>", "#define {M}(x) {M}", "#define {M}(...) #__VA_ARGS__", "#define {M} {N}({M})", "#define {M}(x) x(x)",
        "#include {M}({N}, {F})", "#include {M}({N})({N})", "#include {M}(\"{F}\")", "#include_next {M}",
        "#if {M} == 1", "#if {M} > 500 && defined({N})", "#if ({M} + 1) / ({N} - 1)", "#if {M} ? {N} : 1 << 70", "#elif !defined {M}",
        "#elifdef {M}", "#elifndef {N}", "#if -1 < 0u", "#if 'a' == 97", "#if 0x{M}", "#if {M}(1, 2)", "#if __cplusplus >= 201103L",
        "#if __CUDA_ARCH__ >= 700", "#ifdef __CUDA_ARCH__", "#if defined", "#if (", "#if 1 +", "#undef {N}",
    ];

    private static readonly string[] s_fragments =
    [
        "/*", "*/", "//", "\\\n", "\\", "\"", "'", "R\"x(", ")x\"", "u8R\"(", ")\"", "\n", "\r\n", "\r", " ", "\t", "#", "##",
        "(", ")", "<", ">", ",", "x", "1'0", "\0", "é", "\uFFFF", "??/", "%:", "__VA_ARGS__", "...",
    ];

    private static readonly Gen<string> s_directive =
        Gen.Select(Gen.OneOf(s_directives), Gen.OneOf(s_headers), Gen.OneOf(s_macros), Gen.OneOf(s_macros))
            .Select((template, header, macro, other) => template.Replace("{F}", header).Replace("{M}", macro).Replace("{N}", other));

    // A line is a whole directive, a run of fragments, or both, with junk bytes (invalid UTF-8) now and then.
    private static readonly Gen<byte[]> s_line = Gen.Frequency(
        (4, s_directive.Select(d => Encoding.UTF8.GetBytes(d + "\n"))),
        (2, Gen.Select(Gen.OneOf(s_fragments).Array[1, 6], s_directive).Select((f, d) => Encoding.UTF8.GetBytes(string.Concat(f) + d + "\n"))),
        (2, Gen.OneOf(s_fragments).Array[1, 8].Select(f => Encoding.UTF8.GetBytes(string.Concat(f)))),
        (1, Gen.Byte.Array[1, 6]));

    private static readonly Gen<byte[]> s_file = s_line.Array[0, 16].Select(lines => lines.SelectMany(l => l).ToArray());

    private sealed record Case(byte[][] Files, (string, string)[] Defines, string[] PreIncludes, bool NoSourceInclude, string Standard, int Architecture)
    {
        public override string ToString()
        {
            var text = new StringBuilder();
            text.AppendLine($"defines: {string.Join(", ", Defines)}; pre-includes: {string.Join(", ", PreIncludes)}; no-source-include: {NoSourceInclude}; " +
                $"std: {Standard}; arch: {Architecture}");
            for (int i = 0; i < Files.Length; i++)
                text.AppendLine($"--- {s_fileNames[i]}").AppendLine(Encoding.UTF8.GetString(Files[i]).Replace("\0", "\\0"));
            return text.ToString();
        }
    }

    private static readonly Gen<Case> s_case = Gen.Select(
        s_file.Array[s_fileNames.Length],
        Gen.Select(Gen.OneOf(s_macros), Gen.OneOf("1", "\"f0.h\"", "<f3.h>", "M", "")).Array[0, 2],
        Gen.OneOf("f3.h", "missing.h", "sub/f2.h").Array[0, 1],
        Gen.Bool,
        Gen.OneOf("", "c++11", "c++17"),
        Gen.OneOf(52, 80),
        (files, defines, preIncludes, noSourceInclude, standard, architecture) => new Case(files, defines, preIncludes, noSourceInclude, standard, architecture));

    [TestMethod]
    public void SoupNeverCrashesOrHangsTheScanner()
    {
        int reachedHeaders = 0, gaveUp = 0;
        s_case.Sample(c =>
        {
            using var tree = Write(c);
            var cache = new IncludeScanCache();
            IncludeScanResult cold = ScanWithin(tree, c, cache);
            IncludeScanResult warm = ScanWithin(tree, c, cache);
            Assert.AreEqual(Listed(cold), Listed(warm), "a warm cache changed what was listed");
            Assert.AreEqual(tree.P("src/k.cu"), cold.Files[0].Path, "the source comes first");
            if (cold.Files.Count > 2) reachedHeaders++;
            if (!cold.Complete) gaveUp++;
        }, iter: PropertyRuns.Iterations(100), threads: 1, print: c => c.ToString());

        // The soup must reach the scanner's deeper paths, not only fail to parse: some cases follow includes
        // several files deep, some hit computed includes it cannot resolve.
        Assert.IsTrue(reachedHeaders > 0 && gaveUp > 0, $"weak generator: {reachedHeaders} cases listed headers, {gaveUp} gave up");
    }

    [TestMethod]
    public void SoupNeverHidesAFileNvrtcOpens()
    {
        // NVRTC itself is the oracle: on a sample of soups (a compile costs far more than a scan), every file it
        // opened is listed, unless the scan said it is incomplete (the kernel is then rebuilt every time).
        int compared = 0, opened = 0;
        s_case.Sample(c =>
        {
            using var tree = Write(c);
            IncludeScanResult scan = ScanWithin(tree, c, null);
            var options = new List<string> { "-arch=compute_" + c.Architecture, "-I" + tree.P("inc") };
            if (c.Standard.Length > 0)
                options.Add("-std=" + c.Standard);
            options.AddRange(c.Defines.Select(d => "-D" + d.Item1 + "=" + d.Item2));
            options.AddRange(c.PreIncludes.Select(p => "--pre-include=" + p));
            if (c.NoSourceInclude)
                options.Add("-no-source-include");
            OracleRun run = NvrtcOracle.Run(tree.P("src/k.cu"), options, [tree.Root]);
            if (!scan.Complete)
                return;
            compared++;
            var listed = new HashSet<string>(scan.Files.Select(f => TestPaths.FullyResolve(f.Path)));
            string[] missed = run.Opened.Where(o => !listed.Contains(o.Resolved)).Select(o => o.Requested).Distinct().ToArray();
            opened += run.Opened.Count;
            Assert.IsEmpty(missed, "NVRTC opened files the scan did not list: " + string.Join(", ", missed) + "\nLog:\n" + run.Log +
                "\nListed:\n" + Listed(scan) + "\nflow walk: " + (scan.FlowFallback ?? "finished"));
        }, iter: PropertyRuns.Scaled(40, 10), threads: 1, print: c => c.ToString());

        Assert.IsTrue(compared > 0 && opened > compared, $"weak generator: {compared} complete scans compared, {opened} opens");
    }

    private static TempTree Write(Case c)
    {
        var tree = new TempTree();
        for (int i = 0; i < s_fileNames.Length; i++) tree.WriteBytes(s_fileNames[i], c.Files[i]);
        return tree;
    }

    /// <summary>Scans on another thread and fails if it takes longer than <see cref="s_scanLimit"/> (a loop).</summary>
    private static IncludeScanResult ScanWithin(TempTree tree, Case c, IncludeScanCache? cache)
    {
        var request = new IncludeScanRequest
        {
            SourcePath = tree.P("src/k.cu"),
            IncludeDirectories = [tree.P("inc")],
            Defines = c.Defines.Select(d => new KeyValuePair<string, string?>(d.Item1, d.Item2)).ToArray(),
            PreIncludes = c.PreIncludes,
            NoSourceInclude = c.NoSourceInclude,
            LanguageStandard = c.Standard,
            Architectures = [c.Architecture],
        };
        Task<IncludeScanResult> scan = Task.Run(() => IncludeScanner.Scan(request, cache));
        if (!scan.Wait(s_scanLimit))
            Assert.Fail($"The scan did not finish within {s_scanLimit.TotalSeconds} s.");
        return scan.Result;
    }

    private static string Listed(IncludeScanResult result) =>
        string.Join("\n", result.Files.Select(f => f.Path)) + "\nprobes:\n" + string.Join("\n", result.AbsentProbes) + "\ncomplete: " + result.Complete;
}
