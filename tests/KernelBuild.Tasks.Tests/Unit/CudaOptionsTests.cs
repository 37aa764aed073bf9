using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Scanning;
using KernelBuild.Tasks.Tests.Dependencies;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The one parser from MSBuild option strings to <see cref="CudaOptions"/>: every spelling NVRTC accepts
/// (measured with NVRTC 11.8) means the same thing to NVRTC and to the include scanner.
/// </summary>
[TestClass]
public sealed class CudaOptionsTests
{
    private static readonly TargetArchitecture s_ptx52 = TargetArchitecture.Ptx(52);

    private static CudaOptions Parse(string additional, string project = "/proj", string standard = "", string includes = "", string defines = "") =>
        CudaOptionsParser.Parse(standard, includes, defines, additional, project);

    /// <summary>The NVRTC arguments that come from AdditionalOptions alone.</summary>
    private static string[] Arguments(CudaOptions options) => options.NvrtcArguments(s_ptx52).Skip(1).ToArray();

    private static string Describe(CudaOptions options) =>
        string.Join(" | ", options.AdditionalOptions.Select(o => o.Kind + ":" + o.Value));

    [TestMethod]
    [DataRow("-DX", "-DX")]
    [DataRow("-D X", "-DX")]
    [DataRow("-D=X", "-D=X")]
    [DataRow("--define-macro=X", "--define-macro=X")]
    [DataRow("--define-macro X", "--define-macro=X")]
    public void EverySpellingOfADefineIsOneArgument(string text, string argument)
    {
        CudaOptions options = Parse(text);
        Assert.AreEqual("DefineMacro:X", Describe(options));
        CollectionAssert.AreEqual(new[] { argument }, Arguments(options));
    }

    [TestMethod]
    [DataRow("-UX", "-UX")]
    [DataRow("-U X", "-UX")]
    [DataRow("-U=X", "-U=X")]
    [DataRow("--undefine-macro=X", "--undefine-macro=X")]
    [DataRow("--undefine-macro X", "--undefine-macro=X")]
    public void EverySpellingOfAnUndefineIsOneArgument(string text, string argument)
    {
        CudaOptions options = Parse(text);
        Assert.AreEqual("UndefineMacro:X", Describe(options));
        CollectionAssert.AreEqual(new[] { argument }, Arguments(options));
    }

    [TestMethod]
    [DataRow("-Iinc", "-I/proj/inc")]
    [DataRow("-I inc", "-I/proj/inc")]
    [DataRow("-I=inc", "-I/proj/inc")]
    [DataRow("--include-path=inc", "--include-path=/proj/inc")]
    [DataRow("--include-path inc", "--include-path=/proj/inc")]
    [DataRow("-I/abs/inc", "-I/abs/inc")]
    public void EverySpellingOfAnIncludePathIsAbsolute(string text, string argument)
    {
        CudaOptions options = Parse(text);
        CollectionAssert.AreEqual(new[] { argument }, Arguments(options));
        CollectionAssert.AreEqual(new[] { argument.Substring(argument.IndexOf('/')) }, options.SearchDirectories.ToArray());
    }

    [TestMethod]
    [DataRow("\"-Ia dir\"", "-I/proj/a dir")]
    [DataRow("-I \"a dir\"", "-I/proj/a dir")]
    [DataRow("--include-path=\"a dir\"", "--include-path=/proj/a dir")]
    [DataRow("\"--include-path=a dir\"", "--include-path=/proj/a dir")]
    public void QuotedPathsWithSpacesStayOneArgument(string text, string argument) =>
        CollectionAssert.AreEqual(new[] { argument }, Arguments(Parse(text)));

    [TestMethod]
    [DataRow("-include common/pre.cuh", "-include=")]
    [DataRow("-include=common/pre.cuh", "-include=")]
    [DataRow("--pre-include=common/pre.cuh", "--pre-include=")]
    [DataRow("--pre-include common/pre.cuh", "--pre-include=")]
    public void EverySpellingOfAPreIncludeIsAbsolute(string text, string prefix)
    {
        using var tree = new TempTree();
        string pre = tree.Write("common/pre.cuh", "\n");
        CudaOptions options = Parse(text, tree.Root);
        CollectionAssert.AreEqual(new[] { prefix + pre }, Arguments(options));
        CollectionAssert.AreEqual(new[] { pre }, options.PreIncludes.ToArray());
    }

    [TestMethod]
    public void QuotedPreIncludeWithSpaces()
    {
        using var tree = new TempTree();
        string pre = tree.Write("my headers/pre.cuh", "\n");
        CollectionAssert.AreEqual(new[] { "-include=" + pre }, Arguments(Parse("-include \"my headers/pre.cuh\"", tree.Root)));
        CollectionAssert.AreEqual(new[] { "--pre-include=" + pre }, Arguments(Parse("\"--pre-include=my headers/pre.cuh\"", tree.Root)));
    }

    /// <summary>NVRTC looks in the current directory (the project folder under MSBuild) first, then on -I.</summary>
    [TestMethod]
    public void RelativePreIncludesAreLookedUpLikeNvrtcDoes()
    {
        using var tree = new TempTree();
        string onInclude = tree.Write("inc/only_on_i.cuh", "\n");
        string inProject = tree.Write("both.cuh", "\n");
        tree.Write("inc/both.cuh", "\n");
        CudaOptions options = Parse("-include only_on_i.cuh -include both.cuh --pre-include=missing/x.cuh", tree.Root, includes: "inc");
        CollectionAssert.AreEqual(new[] { onInclude, inProject, tree.P("missing/x.cuh") }, options.PreIncludes.ToArray());
    }

    /// <summary>The arguments feed the options fingerprint: what NVRTC accepted before keeps its exact bytes.</summary>
    [TestMethod]
    public void ArgumentsThatWorkedBeforeAreUnchanged()
    {
        CudaOptions options = CudaOptionsParser.Parse("c++17", "include;more/", "A;B=2",
            "--use_fast_math -I inc \"-DNAME=a b\" --include-path=../x;-Dy -UZ --define-macro=Z=3 -lineinfo " +
            "-no-source-include -include /abs/pre.cuh --pre-include=/abs/p2.cuh -default-device", "/p");
        CollectionAssert.AreEqual(
            new[]
            {
                "-arch=sm_80", "-std=c++17", "-I/p/include", "-I/p/more", "-DA", "-DB=2",
                "--use_fast_math", "-I/p/inc", "-DNAME=a b", "--include-path=/x", "-Dy", "-UZ", "--define-macro=Z=3", "-lineinfo",
                "-no-source-include", "-include=/abs/pre.cuh", "--pre-include=/abs/p2.cuh", "-default-device",
            },
            options.NvrtcArguments(Arch("sm_80")));
    }

    [TestMethod]
    public void MacroOperationsKeepCommandLineOrder()
    {
        CudaOptions options = Parse("-U A -D C=3 --undefine-macro B -DA", defines: "A;B=2");
        CollectionAssert.AreEqual(new[] { "A=1", "B=2", "A=-", "C=3", "B=-", "A=1" },
            options.MacroOperations.Select(m => m.Key + "=" + (m.Value ?? "-")).ToArray());
    }

    [TestMethod]
    public void ScanRequestFollowsTheOptions()
    {
        var settings = new KernelCompileSettings
        {
            SourcePath = "/p/a.cu",
            Options = CudaOptionsParser.Parse("", "inc", "HDR=\"x.cuh\";FLAG",
                "-I /p/extra -no-source-include --pre-include=/p/pre.cuh --define-macro=Z=3 -D W -U FLAG", "/p"),
        };
        IncludeScanRequest request = KernelCompiler.ScanRequestFor(settings);
        CollectionAssert.AreEqual(new[] { "/p/inc", "/p/extra" }, request.IncludeDirectories.ToArray());
        Assert.IsTrue(request.NoSourceInclude);
        CollectionAssert.AreEqual(new[] { "/p/pre.cuh" }, request.PreIncludes.ToArray());
        CollectionAssert.AreEqual(new[] { "HDR=\"x.cuh\"", "FLAG=1", "Z=3", "W=1", "FLAG=-" },
            request.Defines.Select(d => d.Key + "=" + (d.Value ?? "-")).ToArray());
    }

    [TestMethod]
    [DataRow("-I", "-I")]
    [DataRow("-lineinfo --pre-include", "--pre-include")]
    [DataRow("-include", "-include")]
    [DataRow("-D", "-D")]
    [DataRow("--undefine-macro", "--undefine-macro")]
    [DataRow("--include-path=", "--include-path=")]
    [DataRow("-I=", "-I=")]
    public void AnOptionWithoutItsValueIsAnError(string text, string option)
    {
        var error = Assert.Throws<CudaOptionsException>(() => Parse(text));
        StringAssert.StartsWith(error.Message, "'" + option + "'");
    }

    [TestMethod]
    [DataRow("-arch=sm_80")]
    [DataRow("-arch sm_80")]
    [DataRow("--gpu-architecture=compute_80")]
    public void AnArchitectureOptionIsAnError(string text)
    {
        var error = Assert.Throws<CudaOptionsException>(() => Parse(text));
        StringAssert.Contains(error.Message, "CudaArchitectures");
    }

    [TestMethod]
    public void AStandardInBothPlacesIsAnErrorButInOnePlaceIsKept()
    {
        var error = Assert.Throws<CudaOptionsException>(() => Parse("--std=c++14", standard: "c++17"));
        StringAssert.Contains(error.Message, "CudaLanguageStandard");
        CollectionAssert.AreEqual(new[] { "--std=c++14" }, Arguments(Parse("--std=c++14")));
        Assert.AreEqual("LanguageStandard:c++14", Describe(Parse("--std=c++14")));
    }

    /// <summary>The scanner's macro table is seeded like NVRTC's: a later -U cancels an earlier -D, not a later one.</summary>
    [TestMethod]
    public void CommandLineUndefineRemovesAnEarlierDefineFromTheScan()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#ifndef HDR\n#define HDR \"a.cuh\"\n#endif\n#include HDR\n");
        tree.Write("src/a.cuh", "\n");
        tree.Write("src/b.cuh", "\n");

        string[] Listed(params KeyValuePair<string, string?>[] defines) =>
            IncludeScanner.Scan(new IncludeScanRequest { SourcePath = tree.P("src/k.cu"), Defines = defines })
                .Files.Select(f => Path.GetFileName(f.Path)).ToArray();

        var defineB = new KeyValuePair<string, string?>("HDR", "\"b.cuh\"");
        var undefine = new KeyValuePair<string, string?>("HDR", null);
        CollectionAssert.AreEquivalent(new[] { "k.cu", "a.cuh" }, Listed(defineB, undefine));
        // HDR is then certainly defined, so the flow walk skips the #ifndef group and lists only what NVRTC opens.
        CollectionAssert.AreEquivalent(new[] { "k.cu", "b.cuh" }, Listed(undefine, defineB));
    }

    /// <summary>NVRTC reports a missing pre-include; the scan records its path, so creating it is a reason to rebuild.</summary>
    [TestMethod]
    public void AMissingPreIncludeIsAnAbsentProbe()
    {
        using var tree = new TempTree();
        tree.Write("k.cu", "\n");
        CudaOptions options = Parse("--pre-include=common/missing.cuh", tree.Root);
        IncludeScanResult scan = IncludeScanner.Scan(KernelCompiler.ScanRequestFor(new KernelCompileSettings { SourcePath = tree.P("k.cu"), Options = options }));
        CollectionAssert.Contains(scan.AbsentProbes.ToArray(), tree.P("common/missing.cuh"));
    }

    private static TargetArchitecture Arch(string name)
    {
        Assert.IsTrue(TargetArchitecture.TryParse(name, out var arch), name);
        return arch!;
    }
}
