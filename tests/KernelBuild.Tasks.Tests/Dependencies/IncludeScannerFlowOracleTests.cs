using System.Collections.Generic;
using System.Linq;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// What the flow-sensitive walk decides that the order-independent scan cannot, each checked against the real
/// NVRTC (a file it opens that the scan does not list fails the test). Each tree is also scanned order-independently,
/// to show the walk is what made the difference.
/// </summary>
[TestClass]
public sealed class IncludeScannerFlowOracleTests
{
    private const string Kernel = "extern \"C\" __global__ void k(int* p) { *p = VALUE; }\n";

    public TestContext TestContext { get; set; } = null!;

    private static IncludeScanRequest Request(TempTree tree, bool orderIndependent = false, params (string, string?)[] defines) => new()
    {
        SourcePath = tree.P("src/k.cu"),
        Defines = defines.Select(d => new KeyValuePair<string, string?>(d.Item1, d.Item2)).ToArray(),
        OrderIndependentOnly = orderIndependent,
    };

    private OracleComparison.Outcome CheckFlow(TempTree tree, bool compiles, params string[] options)
    {
        var outcome = OracleComparison.Check(TestContext, tree, Request(tree), compiles, options);
        Assert.IsNull(ScanSession.LastFlowFallback, "The walk gave up: " + ScanSession.LastFlowFallback);
        return outcome;
    }

    private void AssertOrderIndependentListsBoth(TempTree tree, string path, params string[] options)
    {
        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, orderIndependent: true), compiles: true, options);
        OracleComparison.AssertListed(outcome.Scan, tree.P(path));
    }

    [TestMethod]
    public void AGuardedHeaderReenteredIsSkipped()
    {
        using var tree = new TempTree();
        // user.cuh changes LIB_VERSION, then includes config.cuh again: its guard (a reserved name, as in real
        // libraries) skips the body, so LIB_VERSION stays 1. A walk that entered the body again would take v2.
        tree.Write("src/k.cu", "#include \"config.cuh\"\n#include \"once.cuh\"\n#include \"user.cuh\"\n#define VALUE (V + ONCE)\n" + Kernel);
        tree.Write("src/config.cuh", "#ifndef _LIB_CONFIG_CUH\n#define _LIB_CONFIG_CUH\n#define LIB_VERSION 2\n#endif\n");
        tree.Write("src/once.cuh", "#pragma once\n#define ONCE 1\n");
        tree.Write("src/user.cuh", "#undef LIB_VERSION\n#define LIB_VERSION 1\n#undef ONCE\n#define ONCE 2\n#include \"config.cuh\"\n#include \"once.cuh\"\n" +
            "#if LIB_VERSION >= 2\n#include \"v2.cuh\"\n#else\n#include \"v1.cuh\"\n#endif\n" +
            "#if ONCE == 1\n#include \"once_again.cuh\"\n#endif\n");
        tree.Write("src/v1.cuh", "#define V 1\n");
        tree.Write("src/v2.cuh", "#error NVRTC skips the guarded body\n");
        tree.Write("src/once_again.cuh", "#error NVRTC does not enter a #pragma once file twice\n");

        var outcome = CheckFlow(tree, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/v1.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/v2.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/once_again.cuh"));
        Assert.AreEqual(1.0, outcome.Precision);
        AssertOrderIndependentListsBoth(tree, "src/v2.cuh");
    }

    [TestMethod]
    public void AConfigurationMacroSetInOneHeaderDecidesAnother()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"lib/config.cuh\"\n#include \"lib/algo.cuh\"\n#define VALUE ALGO\n" + Kernel);
        tree.Write("src/lib/config.cuh", "#pragma once\n#ifndef LIB_STD_VER\n#  if __cplusplus >= 201703L\n#    define LIB_STD_VER 17\n" +
            "#  else\n#    define LIB_STD_VER 14\n#  endif\n#endif\n");
        tree.Write("src/lib/algo.cuh", "#include \"config.cuh\"\n#if LIB_STD_VER > 14\n#include \"algo17.cuh\"\n#else\n#include \"algo14.cuh\"\n#endif\n");
        tree.Write("src/lib/algo17.cuh", "#define ALGO 17\n");
        tree.Write("src/lib/algo14.cuh", "#define ALGO 14\n");

        foreach ((string std, string taken, string other) in new[] { ("-std=c++17", "algo17", "algo14"), ("-std=c++14", "algo14", "algo17") })
        {
            var outcome = CheckFlow(tree, compiles: true, std);
            OracleComparison.AssertListed(outcome.Scan, tree.P($"src/lib/{taken}.cuh"));
            OracleComparison.AssertNotListed(outcome.Scan, tree.P($"src/lib/{other}.cuh"));
            AssertOrderIndependentListsBoth(tree, $"src/lib/{other}.cuh", std);
        }
    }

    [TestMethod]
    public void AMacroUndefinedBetweenTwoIncludes()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#define USE_FAST 1\n#include \"a.cuh\"\n#undef USE_FAST\n#include \"b.cuh\"\n#define VALUE (A + B)\n" + Kernel);
        tree.Write("src/a.cuh", "#ifdef USE_FAST\n#include \"fast_a.cuh\"\n#else\n#include \"slow_a.cuh\"\n#endif\n");
        tree.Write("src/b.cuh", "#ifdef USE_FAST\n#include \"fast_b.cuh\"\n#else\n#include \"slow_b.cuh\"\n#endif\n");
        tree.Write("src/fast_a.cuh", "#define A 1\n");
        tree.Write("src/slow_a.cuh", "#error USE_FAST is defined here\n");
        tree.Write("src/fast_b.cuh", "#error USE_FAST is undefined here\n");
        tree.Write("src/slow_b.cuh", "#define B 2\n");

        var outcome = CheckFlow(tree, compiles: true);
        AssertSetEquals(tree, outcome.Scan, "src/k.cu", "src/a.cuh", "src/fast_a.cuh", "src/b.cuh", "src/slow_b.cuh");
        AssertOrderIndependentListsBoth(tree, "src/fast_b.cuh");
    }

    [TestMethod]
    public void AConditionOnAMergedStateStaysUnknown()
    {
        using var tree = new TempTree();
        // MODE depends on __has_include, which the walk does not decide: both branches are walked and at the
        // #endif MODE may be 1 or 2, so the #if in user.cuh keeps both of its branches (NVRTC takes mode1).
        tree.Write("src/k.cu", "#if __has_include(\"probe.cuh\")\n#define MODE 1\n#else\n#define MODE 2\n#endif\n" +
            "#include \"user.cuh\"\n#define VALUE USER\n" + Kernel);
        tree.Write("src/probe.cuh", "");
        tree.Write("src/user.cuh", "#if MODE == 1\n#include \"mode1.cuh\"\n#else\n#include \"mode2.cuh\"\n#endif\n#if MODE == 3\n#include \"mode3.cuh\"\n#endif\n");
        tree.Write("src/mode1.cuh", "#define USER 1\n");
        tree.Write("src/mode2.cuh", "#define USER 2\n");
        tree.Write("src/mode3.cuh", "#error MODE is never 3\n");

        var outcome = CheckFlow(tree, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/mode1.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/mode2.cuh")); // the price of the merge
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/mode3.cuh")); // false under every possible state
    }

    [TestMethod]
    public void AnErrorDirectiveEndsTheCompile()
    {
        OracleComparison.RequireMeasured(b => b.ErrorEndsTheCompile, "#error ending the compile");
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"before.cuh\"\n#ifdef BAD\n#error BAD is set\n#endif\n#include \"after.cuh\"\n#define VALUE 1\n" + Kernel);
        tree.Write("src/before.cuh", "");
        tree.Write("src/after.cuh", "");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree, false, ("BAD", "1")), compiles: false);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/before.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/after.cuh"));
        outcome = CheckFlow(tree, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/after.cuh"));
    }

    [TestMethod]
    public void PushAndPopMacroAreIgnoredByNvrtc118And130()
    {
        OracleComparison.RequireMeasured(b => b.IgnoresPushAndPopMacro, "push_macro and pop_macro being ignored");
        using var tree = new TempTree();
        // Measured: NVRTC 11.8 and 13.0 warn "unrecognized #pragma" and keep M at 2. A walk that restored M would miss two.cuh.
        tree.Write("src/k.cu", "#define M 1\n#pragma push_macro(\"M\")\n#undef M\n#define M 2\n#pragma pop_macro(\"M\")\n" +
            "#if M == 1\n#include \"one.cuh\"\n#else\n#include \"two.cuh\"\n#endif\n#define VALUE TWO\n" + Kernel);
        tree.Write("src/one.cuh", "#error M is 2\n");
        tree.Write("src/two.cuh", "#define TWO 2\n");

        var outcome = CheckFlow(tree, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/two.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/one.cuh"));
    }

    [TestMethod]
    public void PragmaOperatorOnceSkipsAReentry()
    {
        using var tree = new TempTree();
        // Measured: NVRTC 11.8 honours _Pragma("once") as it does #pragma once. A walk that entered p.cuh again
        // would set V back to 1 and take one.cuh.
        tree.Write("src/k.cu", "#include \"p.cuh\"\n#undef V\n#define V 2\n#include \"p.cuh\"\n" +
            "#if V == 1\n#include \"one.cuh\"\n#else\n#include \"two.cuh\"\n#endif\n#define VALUE TWO\n" + Kernel);
        tree.Write("src/p.cuh", "_Pragma(\"once\")\n#define V 1\n");
        tree.Write("src/one.cuh", "#error p.cuh is entered once\n");
        tree.Write("src/two.cuh", "#define TWO 2\n");

        var outcome = CheckFlow(tree, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/two.cuh"));
        OracleComparison.AssertNotListed(outcome.Scan, tree.P("src/one.cuh"));
    }

    [TestMethod]
    public void ElifdefIsAnUnknownDirectiveToNvrtc118()
    {
        using var tree = new TempTree();
        // Found by the directive-soup property test: NVRTC 11.8 does not know C++23's #elifndef. In a taken group it
        // is an error and the group goes on, so live.cuh is opened; in a skipped group it is ignored, so skipped.cuh
        // is not (read as C++23, both would flip). The scan reads the file both ways, as NVRTC 12 and 13 were not
        // measured, so it lists both, and the flow walk gives up on a file that reads differently.
        tree.Write("src/k.cu", "#if 1\n#elifndef NOT_DEFINED\n#include \"live.cuh\"\n#endif\n" +
            "#if 0\n#elifndef NOT_DEFINED\n#include \"skipped.cuh\"\n#endif\n#define VALUE 1\n" + Kernel);
        tree.Write("src/live.cuh", "");
        tree.Write("src/skipped.cuh", "");

        var outcome = OracleComparison.Check(TestContext, tree, Request(tree), compiles: false);
        StringAssert.Contains(outcome.Run.Log, "unrecognized preprocessing directive");
        Assert.IsTrue(outcome.Run.Opened.Any(o => o.Resolved == tree.P("src/live.cuh")), "NVRTC 11.8 reads on after the #elifndef");
        Assert.IsFalse(outcome.Run.Opened.Any(o => o.Resolved == tree.P("src/skipped.cuh")), "NVRTC 11.8 ignores it in a skipped group");
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/live.cuh"));
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/skipped.cuh")); // the C++23 reading
        Assert.IsTrue(outcome.Scan.Complete);
    }

    [TestMethod]
    public void HasIncludeInOrdinaryTextProbes()
    {
        using var tree = new TempTree();
        // Found by the directive-soup property test: NVRTC 11.8 evaluates __has_include outside #if lines too, and
        // opens the file it finds (here the value 1 becomes the kernel's result).
        tree.Write("src/k.cu", "__device__ int found = __has_include(\"probe.cuh\") + __has_include(<angled.cuh>);\n#define VALUE found\n" + Kernel);
        tree.Write("src/probe.cuh", "");

        var outcome = CheckFlow(tree, compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/probe.cuh"));
        outcome = OracleComparison.Check(TestContext, tree, Request(tree, orderIndependent: true), compiles: true);
        OracleComparison.AssertListed(outcome.Scan, tree.P("src/probe.cuh"));
    }

    private static void AssertSetEquals(TempTree tree, IncludeScanResult scan, params string[] expected) =>
        CollectionAssert.AreEquivalent(expected.Select(tree.P).ToArray(), scan.Files.Select(f => f.Path).ToArray(),
            "Listed: " + string.Join(", ", scan.Files.Select(f => f.Path)));
}
