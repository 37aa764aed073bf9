using System.Collections.Generic;
using System.Linq;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// The scanner against the real NVRTC: each test builds a throwaway tree, scans it, compiles it under
/// strace, and fails if NVRTC opened any file the scan did not list. Trees also use #error/#if checks so
/// that NVRTC itself confirms which header won where that matters.
/// </summary>
[TestClass]
public sealed class IncludeScannerOracleTests
{
    private const string Kernel = "extern \"C\" __global__ void k(int* p) { *p = VALUE; }\n";

    public TestContext TestContext { get; set; } = null!;

    private static IncludeScanRequest Request(TempTree tree, string source, string[]? includes = null,
        (string, string?)[]? defines = null, string[]? preIncludes = null, bool noSourceInclude = false) => new()
    {
        SourcePath = tree.P(source),
        IncludeDirectories = (includes ?? []).Select(tree.P).ToArray(),
        Defines = (defines ?? []).Select(d => new KeyValuePair<string, string?>(d.Item1, d.Item2)).ToArray(),
        PreIncludes = preIncludes ?? [],
        NoSourceInclude = noSourceInclude,
    };

    [TestMethod]
    public void NestedQuotedIncludesAreRelativeToEachHeader()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"a.cuh\"\n#if C_VALUE != 3\n#error wrong c.cuh\n#endif\n#define VALUE C_VALUE\n" + Kernel);
        tree.Write("src/a.cuh", "#include \"detail/b.cuh\"\n");
        tree.Write("src/detail/b.cuh", "#include \"c.cuh\"\n");
        tree.Write("src/detail/c.cuh", "#define C_VALUE 3\n");
        tree.Write("src/c.cuh", "#define C_VALUE 99\n"); // beside the source, but b.cuh's own folder wins

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/detail/c.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/c.cuh"));
        Assert.IsTrue(outcome.Scan.Complete);
    }

    [TestMethod]
    public void IncludeDirectoriesAreSearchedInOrderAndTheFirstSameNamedHeaderWins()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#include <common.cuh>\n#include \"only2.cuh\"\n#include \"local/user.cuh\"\n" +
            "#if !defined(COMMON_INC1) || defined(COMMON_INC2) || !defined(COMMON_LOCAL)\n#error wrong common.cuh\n#endif\n" +
            "#define VALUE ONLY2\n" + Kernel);
        tree.Write("inc1/common.cuh", "#define COMMON_INC1 1\n");
        tree.Write("inc2/common.cuh", "#define COMMON_INC2 1\n");
        tree.Write("inc2/only2.cuh", "#define ONLY2 2\n");
        tree.Write("src/local/user.cuh", "#include \"common.cuh\"\n"); // its own folder before -I
        tree.Write("src/local/common.cuh", "#define COMMON_LOCAL 1\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc1", "inc2"]), compiles: true);
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("inc2/common.cuh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("src/only2.cuh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("inc1/only2.cuh"));
    }

    [TestMethod]
    public void NoSourceIncludeDropsTheIncludingHeadersFolder()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"a.cuh\"\n#include <sub/h.cuh>\n#define VALUE 1\n" + Kernel);
        tree.Write("src/a.cuh", "#error the source folder must not be searched\n");
        tree.Write("inc/a.cuh", "\n");
        tree.Write("inc/sub/h.cuh", "#include \"rel.cuh\"\n"); // found beside h.cuh only without -no-source-include
        tree.Write("inc/sub/rel.cuh", "\n");

        var failing = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"], noSourceInclude: true), compiles: false);
        Assert.Contains("cannot open source file \"rel.cuh\"", failing.Run.Log);
        OracleComparison.AssertNotListed(failing.Scan, tree.P("src/a.cuh"));
        OracleComparison.AssertNotListed(failing.Scan, tree.P("inc/sub/rel.cuh"));
        OracleComparison.AssertAbsentProbe(failing.Scan, tree.P("inc/rel.cuh"));

        var passing = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc", "inc/sub"], noSourceInclude: true), compiles: true);
        OracleComparison.AssertListed(passing.Scan, tree.P("inc/sub/rel.cuh"));
    }

    [TestMethod]
    public void ComputedIncludesFromHeadersAndCommandLine()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#include \"config.cuh\"\n#include KERNEL_HEADER\n#include ANGLE_HEADER\n#include FROM_COMMAND_LINE\n#include CHAIN\n" +
            "#ifdef USE_FAST\n#define IMPL \"fast.cuh\"\n#else\n#define IMPL \"slow.cuh\"\n#endif\n#include IMPL\n" +
            "#define VALUE (IMPL_VALUE + KERNEL_VALUE + ANGLED + CMD + CHAINED)\n" + Kernel);
        tree.Write("src/config.cuh", "#define KERNEL_HEADER \"impl/kernel_impl.cuh\"\n#define ANGLE_HEADER <angled.cuh>\n#define CHAIN CHAIN2\n#define CHAIN2 \"chain.cuh\"\n");
        tree.Write("src/impl/kernel_impl.cuh", "#define KERNEL_VALUE 1\n");
        tree.Write("inc/angled.cuh", "#define ANGLED 1\n");
        tree.Write("src/cmd.cuh", "#define CMD 1\n");
        tree.Write("src/chain.cuh", "#define CHAINED 1\n");
        tree.Write("src/slow.cuh", "#define IMPL_VALUE 1\n");
        tree.Write("src/fast.cuh", "#define IMPL_VALUE 2\n");

        var outcome = OracleComparison.Check(TestContext, tree,
            Request(tree, "src/k.cu", ["inc"], defines: [("FROM_COMMAND_LINE", "\"cmd.cuh\"")]), compiles: true);
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/fast.cuh")); // USE_FAST is defined nowhere
    }

    private const string PpKit =
        "#define STR(x) #x\n#define XSTR(x) STR(x)\n#define CAT(a, b) CAT_I(a, b)\n#define CAT_I(a, b) a ## b\n";

    [TestMethod]
    public void ComputedIncludesThroughFunctionLikeMacros()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", PpKit +
            "#define NAME stringized.cuh\n#include XSTR(NAME)\n" +
            "#include XSTR(CAT(pasted, _impl).cuh)\n" +
            "#define FIRST(a, ...) a\n#define PICK(...) FIRST(__VA_ARGS__)\n#include PICK(\"variadic.cuh\", \"never.cuh\")\n" +
            "#define GNU(fmt, args...) PICK(fmt, ## args)\n#include GNU(\"gnu.cuh\")\n" +
            "#define ANGLE(d) <d/angled.cuh>\n#include ANGLE(cfg)\n" +
            "#define self self\n#include XSTR(self.cuh)\n" +
            "#define EMPTY()\n#define DEFER(m) m EMPTY()\n#define EXPAND(x) x\n#include EXPAND(DEFER(XSTR)(deferred.cuh))\n" +
            "#define VALUE (S + P + V + G + A + SELF + D)\n" + Kernel);
        tree.Write("src/stringized.cuh", "#define S 1\n");
        tree.Write("src/pasted_impl.cuh", "#define P 1\n");
        tree.Write("src/variadic.cuh", "#define V 1\n");
        tree.Write("src/never.cuh", "#error not this one\n");
        tree.Write("src/gnu.cuh", "#define G 1\n");
        tree.Write("inc/cfg/angled.cuh", "#define A 1\n");
        tree.Write("src/self.cuh", "#define SELF 1\n");
        tree.Write("src/deferred.cuh", "#define D 1\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"]), compiles: true);
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/never.cuh"));
    }

    [TestMethod]
    public void BoostPreprocessorStyleIterationWithADepthMacro()
    {
        using var tree = new TempTree();
        // Like BOOST_PP_ITERATE(): the header to include is computed from a depth macro that the iteration
        // files redefine; body.cuh includes itself one level deeper through the same macro.
        tree.Write("src/k.cu", "#include \"pp.cuh\"\n#define FILENAME_1 \"../body.cuh\"\n#include ITERATE()\n#define VALUE (B1 + B2 + LEAF)\n" + Kernel);
        tree.Write("src/pp.cuh", PpKit +
            "#define INC(x) CAT(INC_, x)\n#define INC_0 1\n#define INC_1 2\n#define INC_2 3\n#define DEPTH() 0\n" +
            "#define ITERATE() XSTR(CAT(iter/forward, INC(DEPTH())).cuh)\n");
        tree.Write("src/iter/forward1.cuh", "#undef DEPTH\n#define DEPTH() 1\n#include FILENAME_1\n#undef DEPTH\n#define DEPTH() 0\n");
        tree.Write("src/iter/forward2.cuh", "#undef DEPTH\n#define DEPTH() 2\n#include FILENAME_2\n#undef DEPTH\n#define DEPTH() 1\n");
        tree.Write("src/iter/forward3.cuh", "#error depth 3 is not reached\n");
        tree.Write("src/body.cuh",
            "#if DEPTH() == 1\n#define B1 1\n#define FILENAME_2 \"../body.cuh\"\n#include ITERATE()\n" +
            "#else\n#define B2 1\n#include \"leaf.cuh\"\n#endif\n");
        tree.Write("src/leaf.cuh", "#define LEAF 1\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
    }

    [TestMethod]
    public void MacrosRedefinedBetweenIncludes()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", PpKit +
            "#define HDR \"first.cuh\"\n#include HDR\n#undef HDR\n#define HDR \"second.cuh\"\n#include HDR\n" +
            "#define PART one\n#include XSTR(CAT(PART, _part.cuh))\n#undef PART\n#define PART two\n#include XSTR(CAT(PART, _part.cuh))\n" +
            "#define VALUE (F + S + ONE + TWO)\n" + Kernel);
        tree.Write("src/first.cuh", "#define F 1\n");
        tree.Write("src/second.cuh", "#define S 1\n");
        tree.Write("src/one_part.cuh", "#define ONE 1\n");
        tree.Write("src/two_part.cuh", "#define TWO 1\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
    }

    [TestMethod]
    public void IfdefOnCommandLineDefinesAndUndefines()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#ifdef ON\n#include \"on.cuh\"\n#endif\n#ifdef OFF\n#include \"off.cuh\"\n#else\n#include \"not_off.cuh\"\n#endif\n" +
            "#ifndef ON\n#include \"not_on.cuh\"\n#endif\n#define VALUE (ON_V + NOT_OFF_V)\n" + Kernel);
        tree.Write("src/on.cuh", "#define ON_V 1\n");
        tree.Write("src/off.cuh", "#error OFF is undefined\n");
        tree.Write("src/not_off.cuh", "#define NOT_OFF_V 1\n");
        tree.Write("src/not_on.cuh", "#error ON is defined\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", defines: [("ON", "1"), ("OFF", "1"), ("OFF", null)]), compiles: true);
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/off.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/not_on.cuh"));
        Assert.AreEqual(1.0, outcome.Precision);
    }

    [TestMethod]
    public void ADecisionOnANameThatAHeaderReadLaterDefinesIsRevisited()
    {
        using var tree = new TempTree();
        // The scan visits a.cuh (breadth first) before b.cuh, which defines LATE; NVRTC reads b.cuh first (through
        // x.cuh), so in a.cuh LATE is defined. The first round decides "#ifdef LATE" false; a second round must
        // see that b.cuh touches LATE and keep the branch.
        tree.Write("src/k.cu", "#include \"x.cuh\"\n#include \"a.cuh\"\n#define VALUE LATE_VALUE\n" + Kernel);
        tree.Write("src/x.cuh", "#include \"b.cuh\"\n");
        tree.Write("src/b.cuh", "#define LATE 1\n");
        tree.Write("src/a.cuh", "#ifdef LATE\n#include \"late.cuh\"\n#endif\n#ifdef NEVER\n#include \"never.cuh\"\n#endif\n");
        tree.Write("src/late.cuh", "#define LATE_VALUE 1\n");
        tree.Write("src/never.cuh", "#error NEVER is defined nowhere\n");

        IncludeScanRequest request = Request(tree, "src/k.cu");
        request.OrderIndependentOnly = true;
        var outcome = OracleComparison.Check(TestContext, tree, request, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/late.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/never.cuh"));
        Assert.AreEqual(2, ScanSession.LastAttempts, "a second round");

        // The flow-sensitive walk reads b.cuh before a.cuh, as NVRTC does, and needs no second round.
        outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/late.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/never.cuh"));
        Assert.AreEqual(0, ScanSession.LastAttempts, "the flow walk finished");
    }

    [TestMethod]
    public void CudaArchWithSeveralArchitectures()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#if __CUDA_ARCH__ >= 900\n#include \"sm90.cuh\"\n#elif __CUDA_ARCH__ >= 800\n#include \"sm80.cuh\"\n" +
            "#elif defined(__CUDA_ARCH__)\n#include \"sm75.cuh\"\n#else\n#include \"host.cuh\"\n#endif\n#define VALUE ARCH\n" + Kernel);
        tree.Write("src/sm90.cuh", "#define ARCH 90\n");
        tree.Write("src/sm80.cuh", "#define ARCH 80\n");
        tree.Write("src/sm75.cuh", "#define ARCH 75\n");
        tree.Write("src/host.cuh", "#error NVRTC compiles device code only\n");

        // One architecture: decided.
        var single = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true, "-arch=compute_80");
        Assert.AreEqual(1.0, single.Precision);

        // Several: one scan for all of them (__CUDA_ARCH__ unknown), each compile's files listed. These three
        // are the ones every NVRTC from 11.x to 13.x compiles for.
        int[] architectures = [75, 80, 90];
        var opened = new HashSet<string>();
        IncludeScanResult? scan = null;
        foreach (int arch in architectures)
        {
            IncludeScanRequest request = Request(tree, "src/k.cu");
            request.Architectures = architectures;
            var outcome = OracleComparison.Check(TestContext, tree, request, compiles: true, "-arch=compute_" + arch);
            opened.UnionWith(outcome.Run.Opened.Select(o => o.Resolved));
            scan = outcome.Scan;
        }
        OracleComparison.AssertNotListed(scan!, tree.P("src/host.cuh"));
        Assert.AreEqual(scan!.Files.Count, scan.Files.Count(f => opened.Contains(f.Path)), "every listed file is opened by one of the compiles");
    }

    [TestMethod]
    public void CplusplusWithSeveralStandards()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#if __cplusplus >= 201703L\n#include \"cpp17.cuh\"\n#elif __cplusplus >= 201402L\n#include \"cpp14.cuh\"\n" +
            "#elif __cplusplus >= 201103L\n#include \"cpp11.cuh\"\n#else\n#include \"cpp03.cuh\"\n#endif\n#define VALUE STD\n" + Kernel);
        foreach (string std in new[] { "17", "14", "11", "03" })
            tree.Write($"src/cpp{std}.cuh", $"#define STD {std}\n");

        foreach (string std in new[] { "c++03", "c++11", "c++14", "c++17" })
        {
            var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true, "-std=" + std);
            Assert.AreEqual(1.0, outcome.Precision, "only the header of " + std);
        }

        // Unknown -std (NVRTC's default, version not given): every branch.
        var unknown = IncludeScanner.Scan(Request(tree, "src/k.cu"));
        Assert.HasCount(5, unknown.Files);
    }

    [TestMethod]
    public void ComputedIncludeNext()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <n.cuh>\n#define VALUE (N1 + N2)\n" + Kernel);
        tree.Write("inc1/n.cuh", PpKit + "#define N1 1\n#include_next XSTR(n.cuh)\n");
        tree.Write("inc2/n.cuh", "#define N2 1\n");
        tree.Write("inc3/n.cuh", "#error the next one is in inc2\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc1", "inc2", "inc3"]), compiles: true);
        Assert.IsTrue(outcome.Scan.Complete, string.Join("\n", outcome.Scan.Warnings));
    }

    [TestMethod]
    public void IfZeroGroupsAreNotFollowedButOtherBranchesAre()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#if 0\n#include \"dead.cuh\"\n#include \"missing_dead.cuh\"\n#if 1\n#include \"dead2.cuh\"\n#else\n#include \"dead3.cuh\"\n#endif\n" +
            "#elif 1\n#include \"elif.cuh\"\n#endif\n" +
            "#if 0 /* off */\n#include \"dead4.cuh\"\n#else\n#include \"live.cuh\"\n#endif\n" +
            "#ifdef NOT_DEFINED\n#include \"undefined.cuh\"\n#endif\n" +
            "#if 1\n#elif 0\n#include \"dead5.cuh\"\n#endif\n" +
            "#define VALUE 1\n" + Kernel);
        foreach (string name in new[] { "dead", "dead2", "dead3", "dead4", "dead5" })
            tree.Write($"src/{name}.cuh", "#error never included\n");
        tree.Write("src/elif.cuh", "\n");
        tree.Write("src/live.cuh", "\n");
        tree.Write("src/undefined.cuh", "\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        foreach (string name in new[] { "dead", "dead2", "dead3", "dead4", "dead5" })
            OracleComparison.AssertNotListed(outcome.Scan, tree.P($"src/{name}.cuh"));
        Assert.IsFalse(outcome.Scan.AbsentProbes.Any(p => p.Contains("missing_dead")), "A #if 0 include was probed.");
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/undefined.cuh")); // NOT_DEFINED is defined nowhere
    }

    [TestMethod]
    public void PragmaOnceIncludeGuardsAndCyclesTerminate()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"a.cuh\"\n#include \"b.cuh\"\n#include \"./a.cuh\"\n#include \"sub/../b.cuh\"\n#define VALUE (A + B)\n" + Kernel);
        tree.Write("src/a.cuh", "#pragma once\n#include \"b.cuh\"\n#define A 1\n");
        tree.Write("src/b.cuh", "#ifndef B_CUH\n#define B_CUH\n#include \"a.cuh\"\n#define B 1\n#endif\n");
        tree.Dir("src/sub");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        Assert.HasCount(3, outcome.Scan.Files);
    }

    [TestMethod]
    public void DotDotAndAbsolutePaths()
    {
        using var tree = new TempTree();
        tree.Write("src/kernels/k.cu",
            "#include \"../common/x.cuh\"\n#include \"./local.cuh\"\n#include <y.cuh>\n#include \"" + tree.P("abs/abs.cuh") + "\"\n" +
            "#define VALUE (X + Y + ABS)\n" + Kernel);
        tree.Write("src/common/x.cuh", "#include \"../include/z.cuh\"\n#define X 1\n");
        tree.Write("src/kernels/local.cuh", "\n");
        tree.Write("src/include/y.cuh", "#define Y 1\n");
        tree.Write("src/include/z.cuh", "\n");
        tree.Write("abs/abs.cuh", "#define ABS 1\n");

        var request = Request(tree, "src/kernels/k.cu");
        request.IncludeDirectories = [tree.P("src/kernels/../include")];
        var outcome = OracleComparison.Check(TestContext, tree, request, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/include/z.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("abs/abs.cuh"));
    }

    [TestMethod]
    public void SymlinkedDirectoryWithDotDotAndSymlinkedHeader()
    {
        using var tree = new TempTree();
        tree.Write("real/deep/inner.cuh", "#include \"../x2.cuh\"\n#define INNER 1\n");
        tree.Write("real/x.cuh", "#define X 1\n");
        tree.Write("real/x2.cuh", "#define X2 1\n");
        tree.Write("real/target.cuh", "#define TARGET 1\n");
        tree.Write("src/x.cuh", "#error link/.. is not the source folder\n");
        tree.Write("src/x2.cuh", "#error link/.. is not the source folder\n");
        tree.Link("src/link", "real/deep");
        tree.Link("src/hlink.cuh", "real/target.cuh");
        tree.Write("src/k.cu", "#include \"link/../x.cuh\"\n#include \"link/inner.cuh\"\n#include \"hlink.cuh\"\n#define VALUE (X + X2 + INNER + TARGET)\n" + Kernel);

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("real/x.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/x.cuh"));
        // The path NVRTC opens (retargeting the link changes its bytes) and the link's target (editing it).
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/link/inner.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("real/deep/inner.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/hlink.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("real/target.cuh"));
        // "link/.." depends on the link's target, which no listed path records: rebuilt every time.
        Assert.IsFalse(outcome.Scan.Complete);
        Assert.HasCount(1, outcome.Scan.Warnings);
    }

    [TestMethod]
    public void HasIncludeProbes()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#if __has_include(\"present.cuh\")\n#include \"present.cuh\"\n#endif\n" +
            "#if __has_include(<absent.cuh>) || __has_include(\"absent2.cuh\")\n#error absent headers were found\n#endif\n" +
            "#if defined(__has_include) && __has_include(\"probed_only.cuh\")\n#define VALUE 1\n#else\n#define VALUE 0\n#endif\n" + Kernel);
        tree.Write("src/present.cuh", "\n");
        tree.Write("src/probed_only.cuh", "#error __has_include must not include\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"]), compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/probed_only.cuh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("inc/absent.cuh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("src/absent2.cuh"));
    }

    [TestMethod]
    [DataRow("#include __has_include(\"sub/probed.cuh\")\n")]
    [DataRow("#define HAS(x) __has_include(x)\n#include HAS(\"sub/probed.cuh\")\n")]
    public void HasIncludeInsideAComputedIncludeLineProbes(string header)
    {
        // NVRTC evaluates __has_include among an #include line's tokens, opening what it finds, before it refuses
        // the line ("expected a file name"): a fuzzed soup found it (CsCheck seed aVV8gnjWLW71).
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"sub/h.cuh\"\n#define VALUE 1\n" + Kernel);
        tree.Write("src/sub/h.cuh", header);
        tree.Write("inc/sub/probed.cuh", "\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"]), compiles: false);
        Assert.IsTrue(outcome.Run.Opened.Any(o => o.Resolved == tree.P("inc/sub/probed.cuh")), "NVRTC probed the header:\n" + outcome.Run.Log);
        OracleComparison.AssertListed(outcome.Scan, tree.P("inc/sub/probed.cuh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("src/sub/sub/probed.cuh"));
    }

    [TestMethod]
    public void HasIncludeThroughWrapperMacros()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#include \"config.cuh\"\n" +
            "#if MY_HAS(<fp16.cuh>)\n#include <fp16.cuh>\n#endif\n" +
            "#if HAS_CFG\n#define VALUE FP16\n#else\n#define VALUE 0\n#endif\n" +
            "#if FORWARD_HAS(\"forwarded.cuh\")\n#endif\n" + Kernel);
        tree.Write("src/config.cuh",
            "#define MY_HAS(x) __has_include(x)\n#define FORWARD_HAS(y) MY_HAS(y)\n#define HAS_CFG MY_HAS(\"cfg.cuh\")\n");
        tree.Write("inc/fp16.cuh", "#define FP16 1\n");
        tree.Write("src/cfg.cuh", "#error probed, never included\n");       // reached only through HAS_CFG's body
        tree.Write("src/forwarded.cuh", "#error probed, never included\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"]), compiles: true);
        Assert.IsTrue(outcome.Run.Opened.Any(o => o.Resolved == tree.P("src/cfg.cuh")), "NVRTC probes through macro bodies.");
        Assert.IsTrue(outcome.Scan.Complete);
    }

    [TestMethod]
    public void FailedCompileOnMissingHeaderIsStillCovered()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"a.cuh\"\n#include \"missing.cuh\"\n#define VALUE 1\n" + Kernel);
        tree.Write("src/a.cuh", "#include <b.cuh>\n");
        tree.Write("inc/b.cuh", "\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"]), compiles: false);
        Assert.Contains("cannot open source file \"missing.cuh\"", outcome.Run.Log);
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("src/missing.cuh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("inc/missing.cuh"));
    }

    [TestMethod]
    public void SuffixlessNamesAlsoTryStdh()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <vec>\n#include \"noext\"\n#define VALUE (VEC + NOEXT)\n" + Kernel);
        tree.Write("inc2/vec.stdh", "#define VEC 1\n"); // EDG's fallback for suffix-less standard headers
        tree.Write("src/noext", "#define NOEXT 1\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc1", "inc2"]), compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("inc2/vec.stdh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("inc1/vec.stdh"));
        OracleComparison.AssertAbsentProbe(outcome.Scan, tree.P("inc2/vec"));
    }

    [TestMethod]
    public void PreIncludesAreFoundOnIncludeDirectoriesOnly()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#define VALUE PRE\n" + Kernel);
        tree.Write("src/pre.cuh", "#error the source folder is not searched for pre-includes\n");
        tree.Write("inc/pre.cuh", "#include \"pre_rel.cuh\"\n");
        tree.Write("inc/pre_rel.cuh", "#define PRE 1\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc"], preIncludes: ["pre.cuh"]), compiles: true);
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/pre.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("inc/pre_rel.cuh"));
    }

    [TestMethod]
    public void IncludeNextContinuesAfterTheIncludingDirectory()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <wrap.cuh>\n#define VALUE (WRAPPED + INNER)\n" + Kernel);
        tree.Write("inc1/wrap.cuh", "#include_next <wrap.cuh>\n#define WRAPPED 1\n");
        tree.Write("inc2/wrap.cuh", "#define INNER 1\n");
        tree.Write("inc3/wrap.cuh", "#error not reached\n");

        // The order-independent scan lists every later match (a superset); the flow walk knows the including
        // file came from inc1, so the search goes on in inc2 and stops at the first match, as NVRTC's does.
        IncludeScanRequest request = Request(tree, "src/k.cu", ["inc1", "inc2", "inc3"]);
        request.OrderIndependentOnly = true;
        var outcome = OracleComparison.Check(TestContext, tree, request, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("inc3/wrap.cuh"));
        outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu", ["inc1", "inc2", "inc3"]), compiles: true);
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("inc3/wrap.cuh"));
    }

    [TestMethod]
    public void CommentsLiteralsContinuationsAndDialects()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "/* #include \"in_comment.cuh\" */\n" +
            "// #include \"in_line_comment.cuh\"\n" +
            "// a continued comment \\\n#include \"continued_comment.cuh\"\n" +
            "#inc\\\nlude \"spliced.cuh\"\n" +
            "%:include \"digraph.cuh\"\n" +
            "__device__ const char s1[] = \"/*\";\n#include \"after_string.cuh\"\n" +
            "__device__ const int n = 1'000; __device__ const char s2[] = \"*/ /*\";\n#include \"after_separator.cuh\"\n" +
            "__device__ const char s3[] = R\"raw(\n#include \"in_raw.cuh\"\n\" /* )\" )raw\";\n#include \"after_raw.cuh\"\n" +
            "__device__ int x; /*\n*/ #include \"after_comment.cuh\"\n" +
            "#include /* a comment */ \"commented_line.cuh\" // trailing\n" +
            "#define VALUE 1\n" + Kernel);
        foreach (string name in new[] { "in_comment", "in_line_comment", "continued_comment" })
            tree.Write($"src/{name}.cuh", "#error hidden from the preprocessor\n");
        foreach (string name in new[] { "in_raw", "spliced", "digraph", "after_string", "after_separator", "after_raw", "after_comment", "commented_line" })
            tree.Write($"src/{name}.cuh", "\n");

        // C++17: raw strings and digit separators; everything compiles.
        var modern = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: true, "-std=c++17");
        foreach (string name in new[] { "in_comment", "in_line_comment", "continued_comment" })
            OracleComparison.AssertNotListed(modern.Scan, tree.P($"src/{name}.cuh"));
        Assert.IsFalse(modern.Run.Opened.Any(o => o.Resolved == tree.P("src/in_raw.cuh")));

        // C++03 (this NVRTC's default): the raw string is an identifier and a broken literal, so the
        // #include inside it is real. The scan does not know -std and must cover both.
        var old = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: false, "-std=c++03");
        Assert.IsTrue(old.Run.Opened.Any(o => o.Resolved == tree.P("src/in_raw.cuh")), "NVRTC did not open in_raw.cuh in C++03 mode.");
    }

    [TestMethod]
    public void NulBytesInAHeaderAreSpace()
    {
        // NVRTC reports "invalid character in input line" for each NUL of a header and reads it as a blank, so a
        // directive after one is still a directive. (The kernel's own source is passed as a C string and would end
        // at its first NUL, which is why the NULs sit in a header here.)
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"nul.cuh\"\n#define VALUE 1\n" + Kernel);
        tree.WriteBytes("src/nul.cuh", System.Text.Encoding.ASCII.GetBytes(
            "\0#include \"leading.cuh\"\n#\0include \"after_hash.cuh\"\n  \0 # include \"spaced.cuh\"\n"));
        foreach (string name in new[] { "leading", "after_hash", "spaced" })
            tree.Write($"src/{name}.cuh", "\n");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, "src/k.cu"), compiles: false);
        Assert.Contains("invalid character in input line", outcome.Run.Log);
        foreach (string name in new[] { "leading", "after_hash", "spaced" })
            OracleComparison.AssertListed(outcome.Scan, tree.P($"src/{name}.cuh"));
    }
}
