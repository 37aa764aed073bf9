using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>The scanner on its own (no NVRTC needed): lexing, search rules, probes, computed includes.</summary>
[TestClass]
public sealed class IncludeScannerTests
{
    private static IncludeScanResult Scan(TempTree tree, string source = "src/k.cu", string[]? includes = null,
        (string, string)[]? defines = null, string[]? preIncludes = null, bool noSourceInclude = false, IncludeScanCache? cache = null,
        bool orderIndependent = false) =>
        IncludeScanner.Scan(new IncludeScanRequest
        {
            SourcePath = tree.P(source),
            IncludeDirectories = (includes ?? []).Select(tree.P).ToArray(),
            Defines = (defines ?? []).Select(d => new KeyValuePair<string, string?>(d.Item1, d.Item2)).ToArray(),
            PreIncludes = preIncludes ?? [],
            NoSourceInclude = noSourceInclude,
            OrderIndependentOnly = orderIndependent,
        }, cache);

    private static string[] Listed(IncludeScanResult result, TempTree tree) =>
        result.Files.Select(f => f.Path.StartsWith(tree.Root + "/", StringComparison.Ordinal) ? f.Path[(tree.Root.Length + 1)..] : f.Path).ToArray();

    // Compared as text so that a failure shows both lists whole.
    private static void AssertSequence(string[] expected, string[] actual) =>
        Assert.AreEqual(string.Join(", ", expected), string.Join(", ", actual), "Actual: " + string.Join(", ", actual));

    private static void AssertSet(string[] expected, string[] actual) =>
        Assert.AreEqual(string.Join(", ", expected.Order(StringComparer.Ordinal)), string.Join(", ", actual.Order(StringComparer.Ordinal)), "Actual: " + string.Join(", ", actual));

    private static void RequireSymlinks()
    {
        if (OperatingSystem.IsWindows())
            Assert.Inconclusive("Symbolic-link resolution is measured on Unix only.");
    }

    [TestMethod]
    public void CommentsAndLiteralsHideDirectives()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "/* #include \"c1.h\"\n #include \"c2.h\" */\n" +
            "// #include \"c3.h\"\n" +
            "// continued \\\n#include \"c4.h\"\n" +
            "const char* a = \"/* not a comment\"; \n#include \"s1.h\"\n" +
            "const char* b = \"\\\" /*\"; char c = '\"'; char d = '/*';\n#include \"s2.h\"\n" +
            "int n = 1'000; const char* e = \"/*\";\n#include \"s3.h\"\n" +
            "int m = 0x1'2'3; /* */\n#include \"s4.h\"\n" +
            "const char* r = R\"x(\n#include \"r1.h\"\n)\" )x\";\n#include \"s5.h\"\n" +
            "const char* u = u8R\"(\n#include \"r2.h\"\n)\"; const char* w = L\"/*\";\n#include \"s6.h\"\n" +
            "#include \"s7.h\" /* a comment that\n  #include \"c5.h\"\n spans lines */\n" +
            "#error don't stop here\n#include \"s8.h\"\n");
        foreach (string name in new[] { "c1", "c2", "c3", "c4", "c5", "r1", "r2", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8" })
            tree.Write($"src/{name}.h", "");

        IncludeScanResult result = Scan(tree);
        // r1.h and r2.h sit in raw strings, which do not exist before C++11: NVRTC then includes them.
        AssertSequence(new[] { "src/k.cu", "src/s1.h", "src/s2.h", "src/s3.h", "src/s4.h", "src/s5.h", "src/s6.h", "src/s7.h", "src/s8.h", "src/r1.h", "src/r2.h" }, Listed(result, tree));
        Assert.IsEmpty(result.AbsentProbes);
        Assert.IsTrue(result.Complete);
    }

    [TestMethod]
    public void DirectivesOfEveryDialectAreUnited()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "int n = 1'000; /* '\n#include \"no_separators.h\"\n */\n" +     // C++11: '000; /* ' is a character literal
            "const char* r = R\"(\n#include \"no_raw.h\"\n)\";\n" +           // C++03: no raw strings
            "const char* q = R\"(\n)\"; /*\n#include \"cpp03_only.h\"\n*/\n" + // C++11 on: in a comment
            "int m = 1'0'; /*\n#include \"cpp14_only.h\"\n*/\n" +               // before C++14: in a comment
            "/*\n#include \"never.h\"\n*/\n");
        foreach (string name in new[] { "no_separators", "no_raw", "cpp03_only", "cpp14_only", "never" })
            tree.Write($"src/{name}.h", "");

        string[] listed = Listed(Scan(tree), tree);
        AssertSet(new[] { "src/k.cu", "src/no_separators.h", "src/no_raw.h", "src/cpp03_only.h", "src/cpp14_only.h" }, listed);
    }

    [TestMethod]
    public void LineContinuationsCommentsInsideDirectivesAndEdgLineStarts()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#inc\\\nlude \"a.h\"\n" +
            "#include \\\r\n \"b.h\"\n" +
            "  # /* c */ include /* c */ \"c.h\" // c\n" +
            "/* c */ #include \"d.h\"\n" +
            "int x; /*\n*/ #include \"e.h\"\n" +
            "int y; /* c */ #include \"not_a_directive.h\"\n" +
            "%:include \"f.h\"\n" +
            "#include \"g.h\"\r\n" +
            "# /* spans\n lines */ include \"h.h\"\n" +
            "#include \"a//b.h\"\n" +
            "// c\r#include \"cr_is_not_a_newline.h\"\n");
        foreach (string name in new[] { "a", "b", "c", "d", "e", "f", "g", "h", "not_a_directive", "cr_is_not_a_newline" })
            tree.Write($"src/{name}.h", "");
        tree.Write("src/a/b.h", "");

        IncludeScanResult result = Scan(tree);
        AssertSequence(new[] { "src/k.cu", "src/a.h", "src/b.h", "src/c.h", "src/d.h", "src/e.h", "src/f.h", "src/g.h", "src/h.h", "src/a/b.h" }, Listed(result, tree));
    }

    [TestMethod]
    public void LiteralConditionsAreDecidedAndUnknownOnesKeepEveryBranch()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#undef X\n#undef Y\n#undef Z\n" + // touched by a file: their state at each #if is not certain
            "#if 0\n#include \"dead1.h\"\n#if X\n#include \"dead2.h\"\n#else\n#include \"dead3.h\"\n#endif\n#elif Y\n#include \"elif.h\"\n#else\n#include \"else.h\"\n#endif\n" +
            "#if 1\n#include \"one.h\"\n#elif 0\n#include \"dead4.h\"\n#else\n#include \"else2.h\"\n#endif\n" +
            "#ifdef Z\n#include \"ifdef.h\"\n#endif\n" +
            "#if 00\n#include \"zero_zero.h\"\n#endif\n" +
            "#if 0\n#define HDR \"dead5.h\"\n#endif\n#define HDR \"live.h\"\n#include HDR\n");
        foreach (string name in new[] { "dead1", "dead2", "dead3", "dead4", "dead5", "elif", "else", "one", "else2", "ifdef", "zero_zero", "live" })
            tree.Write($"src/{name}.h", "");

        // The order-independent scan: X, Y and Z are touched by a file, so conditions on them keep every branch.
        string[] listed = Listed(Scan(tree, orderIndependent: true), tree);
        AssertSequence(new[] { "src/k.cu", "src/elif.h", "src/else.h", "src/one.h", "src/ifdef.h", "src/live.h" }, listed);
        // The flow-sensitive walk: at each #if they are certainly undefined (#undef'd above it).
        AssertSequence(new[] { "src/k.cu", "src/else.h", "src/one.h", "src/live.h" }, Listed(Scan(tree), tree));
    }

    [TestMethod]
    public void AbsentProbesRecordEveryPathThatCouldShadow()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"h.cuh\"\n#include <missing.cuh>\n#include \"noext\"\n");
        tree.Write("inc2/h.cuh", "");
        tree.Dir("inc1");

        IncludeScanResult first = Scan(tree, includes: ["inc1", "inc2"]);
        CollectionAssert.AreEqual(new[]
        {
            tree.P("src/h.cuh"), tree.P("inc1/h.cuh"),
            tree.P("inc1/missing.cuh"), tree.P("inc2/missing.cuh"),
            tree.P("src/noext"), tree.P("src/noext.stdh"), tree.P("inc1/noext"), tree.P("inc1/noext.stdh"), tree.P("inc2/noext"), tree.P("inc2/noext.stdh"),
        }, first.AbsentProbes.ToArray());
        Assert.IsFalse(first.AbsentProbes.Contains(tree.P("inc2/h.cuh")));

        // A header created at one of those probes now shadows the one found before.
        tree.Write("inc1/h.cuh", "");
        IncludeScanResult second = Scan(tree, includes: ["inc1", "inc2"]);
        CollectionAssert.Contains(Listed(second, tree), "inc1/h.cuh");
        CollectionAssert.DoesNotContain(Listed(second, tree), "inc2/h.cuh");
    }

    [TestMethod]
    public void SearchRulesForAnglesNoSourceIncludeAndPreIncludes()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <a.h>\n#include \"sub/b.h\"\n");
        tree.Write("src/a.h", "");
        tree.Write("inc/a.h", "");
        tree.Write("src/sub/b.h", "#include \"c.h\"\n");
        tree.Write("src/sub/c.h", "");
        tree.Write("inc/c.h", "");
        tree.Write("inc/sub/b.h", "#include \"c.h\"\n");
        tree.Write("inc/pre.h", "");
        tree.Write("src/pre.h", "");

        string[] normal = Listed(Scan(tree, includes: ["inc"], preIncludes: ["pre.h"]), tree);
        AssertSequence(new[] { "src/k.cu", "inc/pre.h", "inc/a.h", "src/sub/b.h", "src/sub/c.h" }, normal);

        IncludeScanResult noSource = Scan(tree, includes: ["inc"], noSourceInclude: true);
        AssertSequence(new[] { "src/k.cu", "inc/a.h", "inc/sub/b.h", "inc/c.h" }, Listed(noSource, tree));
        CollectionAssert.DoesNotContain(noSource.AbsentProbes.ToArray(), tree.P("src/sub/b.h"));
    }

    [TestMethod]
    public void IncludeNextListsEveryLaterMatch()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include <n.h>\n");
        tree.Write("inc1/n.h", "#include_next <n.h>\n");
        tree.Write("inc2/n.h", "");
        tree.Write("inc3/n.h", "");
        tree.Write("inc1/sub/n.h", "#include_next <n.h>\n");
        AssertSequence(new[] { "src/k.cu", "inc1/n.h", "inc2/n.h", "inc3/n.h" },
            Listed(Scan(tree, includes: ["inc1", "inc2", "inc3"], orderIndependent: true), tree));

        // The flow walk knows inc1 holds the including file, so the search goes on in inc2, and stops at the first match.
        AssertSequence(new[] { "src/k.cu", "inc1/n.h", "inc2/n.h" }, Listed(Scan(tree, includes: ["inc1", "inc2", "inc3"]), tree));

        // With nested -I directories it cannot tell which one found inc1/sub/n.h: every later match from the first.
        tree.Write("src/k.cu", "#include <n.h>\n");
        tree.Write("inc1/n.h", "");
        AssertSequence(new[] { "src/k.cu", "inc1/sub/n.h", "inc1/n.h", "inc2/n.h", "inc3/n.h" },
            Listed(Scan(tree, includes: ["inc1/sub", "inc1", "inc2", "inc3"]), tree));
    }

    [TestMethod]
    public void ComputedIncludesUseEveryKnownDefinition()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#include FIRST\n" +          // -D; first.h defines SECOND, known only once first.h is read
            "#include SECOND\n" +
            "#include LATER\n" +          // defined in a header found later
            "#include ANGLED\n" +
            "#ifdef FAST\n#define IMPL \"fast.h\"\n#else\n#define IMPL \"slow.h\"\n#endif\n#include IMPL\n" + // FAST: never defined
            "#include \"defs.h\"\n");
        tree.Write("src/first.h", "#define SECOND \"second.h\"\n");
        tree.Write("src/second.h", "");
        tree.Write("src/defs.h", "#define LATER \"later.h\"\n#define DIR cfg\n#define ANGLED <DIR/angled.h>\n");
        tree.Write("src/later.h", "");
        tree.Write("src/fast.h", "");
        tree.Write("src/slow.h", "");
        tree.Write("inc/cfg/angled.h", "");
        tree.Write("inc/DIR/angled.h", ""); // DIR may be undefined where ANGLED is used: a superset keeps both

        IncludeScanResult result = Scan(tree, includes: ["inc"], defines: [("FIRST", "\"first.h\"")]);
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
        Assert.IsEmpty(result.Warnings);
        CollectionAssert.AreEquivalent(
            new[] { "src/k.cu", "src/first.h", "src/second.h", "src/later.h", "inc/cfg/angled.h", "inc/DIR/angled.h", "src/slow.h", "src/defs.h" },
            Listed(result, tree));
    }

    [TestMethod]
    [DataRow("#include __NEVER_DEFINED\n", "may be predefined by NVRTC")]
    [DataRow("#define CAT __a ## b\n#include CAT\n", "'__ab' has no definition")]
    [DataRow("#include NOT_A_HEADER_NAME\n", "does not expand to a \"name\" or <name>")]
    [DataRow("#define C __COUNTER__\n#include C\n", "__COUNTER__")]
    public void UnresolvableComputedIncludeWarnsAndIsIncomplete(string text, string reason)
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "// line 1\n#define CONTINUED \\\n  1\n" + text);
        IncludeScanResult result = Scan(tree);
        Assert.IsFalse(result.Complete);
        Assert.HasCount(1, result.Warnings);
        ScanDiagnostic warning = result.Warnings[0];
        Assert.AreEqual(tree.P("src/k.cu"), warning.File);
        Assert.AreEqual(text.Split('\n').TakeWhile(l => !l.Contains("include")).Count() + 4, warning.Line, "Physical line, counting the continuation.");
        Assert.Contains(reason, warning.Message);
        Assert.StartsWith(tree.P("src/k.cu") + "(", warning.ToString());
    }

    [TestMethod]
    public void FunctionLikeMacrosResolve()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#define STR(x) #x\n#define XSTR(x) STR(x)\n#define CAT(a, b) CAT_I(a, b)\n#define CAT_I(a, b) a ## b\n" +
            "#include XSTR(NAME)\n" +                                    // stringized after expansion (or "NAME", undefined)
            "#include XSTR(CAT(pasted, _impl).h)\n" +                   // pasted, then stringized
            "#include STR(unexpanded.h)\n" +                            // '#' takes the argument as written
            "#define FIRST(a, ...) a\n#define PICK(...) FIRST(__VA_ARGS__)\n#include PICK(\"variadic.h\", \"not.h\")\n" +
            "#define OPT(a, ...) XSTR(a ## __VA_OPT__(_more).h)\n#include OPT(opt)\n#include OPT(opt, x)\n" +
            "#define GNU(fmt, args...) PICK(fmt, ## args)\n#include GNU(\"gnu.h\")\n" +
            "#define self self\n#include XSTR(self.h)\n" +               // painted blue: self expands once
            "#define ANGLE(d) <d/angled.h>\n#include ANGLE(cfg)\n" +
            "#define EMPTY()\n#define DEFER(m) m EMPTY()\n#define EXPAND(x) x\n#include EXPAND(DEFER(XSTR)(deferred.h))\n" +
            "#define FILE_ITSELF __FILE__\n#if 0\n#endif\n#include _Pragma(\"once\") \"pragma.h\"\n");
        tree.Write("src/cfg.h", "#define NAME stringized.h\n");
        foreach (string name in new[] { "stringized", "pasted_impl", "variadic", "opt", "opt_more", "gnu", "self", "deferred", "pragma" })
            tree.Write($"src/{name}.h", "");
        tree.Write("src/unexpanded.h", "#include \"cfg.h\"\n");
        tree.Write("inc/cfg/angled.h", "");

        // Order-independent: NAME has its later definition (from cfg.h) at the first #include too.
        IncludeScanResult result = Scan(tree, includes: ["inc"], orderIndependent: true);
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
        CollectionAssert.Contains(result.AbsentProbes.ToArray(), tree.P("src/NAME"));
        AssertSet(["src/k.cu", "src/stringized.h", "src/pasted_impl.h", "src/unexpanded.h", "src/cfg.h", "src/variadic.h", "src/opt.h",
            "src/opt_more.h", "src/gnu.h", "src/self.h", "inc/cfg/angled.h", "src/deferred.h", "src/pragma.h"], Listed(result, tree));

        // In NVRTC's order NAME is not yet defined there, and "NAME" is no file: with an NVRTC whose behaviour is
        // not known it may be a built-in header, so the walk gives way to the order-independent scan.
        result = Scan(tree, includes: ["inc"]);
        StringAssert.Contains(ScanSession.LastFlowFallback, "'NAME' is not on disk");
        AssertSet(["src/k.cu", "src/stringized.h", "src/pasted_impl.h", "src/unexpanded.h", "src/cfg.h", "src/variadic.h", "src/opt.h",
            "src/opt_more.h", "src/gnu.h", "src/self.h", "inc/cfg/angled.h", "src/deferred.h", "src/pragma.h"], Listed(result, tree));
    }

    [TestMethod]
    public void FileLineAndCommandLineFunctionLikeMacros()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"self_including.h\"\n#include HDR(cmd)\n");
        tree.Write("src/self_including.h", "#ifndef AGAIN\n#define AGAIN\n#include __FILE__\n#endif\n#define STR(x) #x\n#define XSTR(x) STR(x)\n" +
            "#define CAT(a, b) CAT_I(a, b)\n#define CAT_I(a, b) a ## b\n#include XSTR(CAT(line, __LINE__).h)\n");
        tree.Write("src/line9.h", "");
        tree.Write("src/cmd.h", "");

        IncludeScanResult result = Scan(tree, defines: [("HDR(n)", "XSTR(n.h)")]);
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
        AssertSet(["src/k.cu", "src/self_including.h", "src/line9.h", "src/cmd.h"], Listed(result, tree));
    }

    [TestMethod]
    public void MacroStatesAreConsistentWithinOneDirective()
    {
        using var tree = new TempTree();
        // D has two definitions; one line uses it twice, and both uses see the same one at a time.
        tree.Write("src/k.cu", "#define STR(x) #x\n#define XSTR(x) STR(x)\n#define D a\n#include XSTR(D/D.h)\n#undef D\n#define D b\n");
        tree.Write("src/a/a.h", "");
        tree.Write("src/b/b.h", "");
        tree.Write("src/a/b.h", "");

        IncludeScanResult result = Scan(tree, orderIndependent: true);
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
        CollectionAssert.Contains(Listed(result, tree), "src/a/a.h");
        CollectionAssert.Contains(Listed(result, tree), "src/b/b.h");
        CollectionAssert.DoesNotContain(Listed(result, tree), "src/a/b.h");

        // In order, D is "a" at the #include: the later definition does not count.
        result = Scan(tree);
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
        AssertSet(["src/k.cu", "src/a/a.h"], Listed(result, tree));
    }

    [TestMethod]
    public void HasIncludeThroughMacros()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu",
            "#include \"wrap.h\"\n" +
            "#if MY_HAS(<angled.h>)\n#endif\n" +               // a wrapper defined in another header
            "#if FORWARD_HAS(\"forwarded.h\")\n#endif\n" +      // a wrapper of a wrapper
            "#if HAS_CONFIG\n#endif\n" +                        // a wrapper called in a #define body
            "#define NAME_MACRO \"via_macro.h\"\n#if MY_HAS(NAME_MACRO)\n#endif\n" +
            "#if VARIADIC_HAS(\"variadic.h\")\n#endif\n" +
            "#if UNKNOWN_WRAPPER(\"heuristic.h\")\n#endif\n" +  // its definition is nowhere to be seen
            "#define LOG(s) printf(\"%d\", s)\n");               // a string argument of a non-wrapper: no probe
        tree.Write("src/wrap.h",
            "#define MY_HAS(x) __has_include(x)\n#define FORWARD_HAS(y) MY_HAS(y)\n" +
            "#define HAS_CONFIG MY_HAS(\"config.h\")\n#define VARIADIC_HAS(...) __has_include(__VA_ARGS__)\n");
        foreach (string name in new[] { "forwarded", "config", "via_macro", "variadic" })
            tree.Write($"src/{name}.h", "");
        tree.Write("inc/angled.h", "");

        IncludeScanResult result = Scan(tree, includes: ["inc"]);
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
        AssertSet(["src/k.cu", "src/wrap.h", "inc/angled.h", "src/forwarded.h", "src/config.h", "src/via_macro.h", "src/variadic.h"], Listed(result, tree));
        CollectionAssert.Contains(result.AbsentProbes.ToArray(), tree.P("src/heuristic.h"));
        Assert.IsFalse(result.AbsentProbes.Any(p => p.Contains("%d")), "printf is no wrapper.");
    }

    [TestMethod]
    public void HasIncludeOfAComputedMacroParameterIsIncomplete()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#define HAS_IN_DIR(d) __has_include(<d/x.h>)\n#if HAS_IN_DIR(cfg)\n#endif\n");
        IncludeScanResult result = Scan(tree);
        Assert.IsFalse(result.Complete);
        Assert.Contains("macro parameter", result.Warnings.Single().Message);
        Assert.AreEqual(1, result.Warnings.Single().Line);
    }

    [TestMethod]
    public void ResolvableComputedIncludeIsComplete()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include HDR\n");
        tree.Write("src/h.h", "");
        IncludeScanResult result = Scan(tree, defines: [("HDR", "\"h.h\"")]);
        Assert.IsTrue(result.Complete);
        Assert.IsEmpty(result.Warnings);
        AssertSequence(new[] { "src/k.cu", "src/h.h" }, Listed(result, tree));
    }

    [TestMethod]
    public void CyclesGuardsAndSpellingsAreVisitedOnce()
    {
        using var tree = new TempTree();
        tree.Write("src/k.cu", "#include \"a.cuh\"\n#include \"./a.cuh\"\n#include \"sub/../b.cuh\"\n");
        tree.Write("src/a.cuh", "#pragma once\n#include \"b.cuh\"\n");
        tree.Write("src/b.cuh", "#ifndef B\n#define B\n#include \"a.cuh\"\n#endif\n");
        tree.Dir("src/sub");
        var cache = new IncludeScanCache();
        IncludeScanResult result = Scan(tree, cache: cache);
        AssertSequence(new[] { "src/k.cu", "src/a.cuh", "src/b.cuh" }, Listed(result, tree));
        Assert.AreEqual(3, cache.FilesRead);
    }

    [TestMethod]
    public void HashesAreOfTheBytesAndTheSourceComesFirst()
    {
        using var tree = new TempTree();
        tree.WriteBytes("src/k.cu", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("#include \"h.h\"\n")]);
        tree.WriteBytes("src/h.h", [0x00, 0xFF, 0x0A, 0x23]);
        IncludeScanResult result = Scan(tree);
        Assert.HasCount(2, result.Files);
        Assert.AreEqual(tree.P("src/k.cu"), result.Files[0].Path);
        foreach (ScannedFile file in result.Files)
            Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.Path))), file.Sha256);
    }

    [TestMethod]
    public void SharedCacheReadsEachFileOnceAndNoticesChanges()
    {
        using var tree = new TempTree();
        tree.Write("src/k1.cu", "#include \"common.h\"\n");
        tree.Write("src/k2.cu", "#include \"common.h\"\n");
        tree.Write("src/common.h", "#include \"a.h\"\n");
        tree.Write("src/a.h", "");
        tree.Write("src/b.h", "");
        var cache = new IncludeScanCache();

        Scan(tree, "src/k1.cu", cache: cache);
        Scan(tree, "src/k2.cu", cache: cache);
        Assert.AreEqual(4, cache.FilesRead, "k1, k2, common.h and a.h, each once.");

        tree.Write("src/common.h", "#include \"a.h\"\n#include \"b.h\"\n");
        File.SetLastWriteTimeUtc(tree.P("src/common.h"), DateTime.UtcNow.AddMinutes(1));
        IncludeScanResult rescanned = Scan(tree, "src/k1.cu", cache: cache);
        CollectionAssert.Contains(Listed(rescanned, tree), "src/b.h");
        Assert.AreEqual(tree.P("src/common.h"), rescanned.Files[1].Path);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tree.P("src/common.h")))), rescanned.Files[1].Sha256);
    }

    [TestMethod]
    public void SymlinkedHeaderListsTheLinkAndItsTarget()
    {
        RequireSymlinks();
        using var tree = new TempTree();
        tree.Write("real/one.h", "#include \"beside.h\"\n");
        tree.Write("real/two.h", "");
        tree.Write("src/beside.h", ""); // quoted includes of a linked header are found beside the link
        tree.Link("src/h.h", "real/one.h");
        tree.Write("src/k.cu", "#include \"h.h\"\n");

        IncludeScanResult before = Scan(tree);
        AssertSequence(new[] { "src/k.cu", "src/h.h", "real/one.h", "src/beside.h" }, Listed(before, tree));

        // Retargeting the link shows in the link path's hash.
        File.Delete(tree.P("src/h.h"));
        tree.Link("src/h.h", "real/two.h");
        IncludeScanResult after = Scan(tree);
        Assert.AreNotEqual(before.Files[1].Sha256, after.Files[1].Sha256);
        AssertSequence(new[] { "src/k.cu", "src/h.h", "real/two.h" }, Listed(after, tree));
    }

    [TestMethod]
    public void DotDotThroughASymlinkedDirectoryFollowsTheLink()
    {
        RequireSymlinks();
        using var tree = new TempTree();
        tree.Write("real/deep/inner.h", "#include \"../up.h\"\n");
        tree.Write("real/up.h", "");
        tree.Write("real/x.h", "");
        tree.Write("src/x.h", "");  // what a lexical "link/../x.h" would wrongly give
        tree.Write("src/up.h", "");
        tree.Link("src/link", "real/deep");
        tree.Write("src/k.cu", "#include \"link/../x.h\"\n#include \"link/inner.h\"\n#include \"nowhere/../x.h\"\n");

        IncludeScanResult result = Scan(tree);
        AssertSequence(new[] { "src/k.cu", "real/x.h", "src/link/inner.h", "real/deep/inner.h", "real/up.h" }, Listed(result, tree));
        // Where "link/.." leads depends on the link's target, which no listed path records.
        Assert.IsFalse(result.Complete);
        Assert.AreEqual(tree.P("src/link") + "/..", result.Warnings.Single().Message.Split('\'')[1]);
        foreach (ScannedFile file in result.Files)
            Assert.IsTrue(TestPaths.IsNormalized(file.Path), file.Path);
        // "nowhere/../x.h" does not open: the OS needs "nowhere" to exist, so that is the probe; src/x.h
        // (what a lexical collapse gives) exists and must not be recorded, or every build would rebuild.
        CollectionAssert.AreEqual(new[] { tree.P("src/nowhere/") }, result.AbsentProbes.ToArray());
        Assert.IsFalse(IncludeScanner.AbsentProbeNowExists(tree.P("src/nowhere/")));
        tree.Dir("src/nowhere");
        Assert.IsTrue(IncludeScanner.AbsentProbeNowExists(tree.P("src/nowhere/")));
        CollectionAssert.Contains(Listed(Scan(tree), tree), "src/x.h");
    }

    [TestMethod]
    public void DanglingSymlinkIsAnAbsentProbe()
    {
        RequireSymlinks();
        using var tree = new TempTree();
        tree.Write("inc2/h.h", "");
        tree.Write("gone.h", "");
        tree.Link("inc1/h.h", "gone.h");
        File.Delete(tree.P("gone.h")); // NVRTC's open fails with ENOENT and it searches on
        tree.Write("src/k.cu", "#include <h.h>\n");

        IncludeScanResult result = Scan(tree, includes: ["inc1", "inc2"]);
        Assert.IsTrue(result.Complete);
        AssertSequence(["src/k.cu", "inc2/h.h"], Listed(result, tree));
        AssertSequence([tree.P("inc1/h.h")], result.AbsentProbes.ToArray());
        Assert.IsFalse(IncludeScanner.AbsentProbeNowExists(tree.P("inc1/h.h")), "A dangling link is no file.");
        tree.Write("gone.h", "");
        Assert.IsTrue(IncludeScanner.AbsentProbeNowExists(tree.P("inc1/h.h")));
    }

    [TestMethod]
    public void DotDotBelowASymlinkedRootKeepsTheLink()
    {
        RequireSymlinks();
        using var tree = new TempTree();
        tree.Write("real/proj/src/k.cu", "#include \"../common/x.h\"\n#include \"./../common/../common/y.h\"\n");
        tree.Write("real/proj/common/x.h", "");
        tree.Write("real/proj/common/y.h", "");
        tree.Link("proj", "real/proj"); // e.g. a checkout reached through a link

        IncludeScanResult result = Scan(tree, source: "proj/src/k.cu");
        // "src/.." and "common/.." leave real directories: collapsed lexically, the link "proj" kept, so
        // retargeting it changes the listed paths' bytes. No warning: nothing untrackable.
        AssertSequence(["proj/src/k.cu", "real/proj/src/k.cu", "proj/common/x.h", "real/proj/common/x.h", "proj/common/y.h", "real/proj/common/y.h"], Listed(result, tree));
        Assert.IsTrue(result.Complete, string.Join("\n", result.Warnings));
    }

    [TestMethod]
    public void SymlinkLoopEndsWhereTheOsGivesUp()
    {
        RequireSymlinks();
        using var tree = new TempTree();
        tree.Link("src/loop", "src");
        tree.Write("src/k.cu", "#include \"h.h\"\n");
        tree.Write("src/h.h", "#include \"loop/h.h\"\n"); // src/loop/h.h, src/loop/loop/h.h, ... until ELOOP

        IncludeScanResult result = Scan(tree);
        Assert.IsTrue(result.Files.Count is > 3 and < 100, result.Files.Count.ToString());
        Assert.IsTrue(result.AbsentProbes.Single().EndsWith("/loop/h.h", StringComparison.Ordinal));
    }

    [TestMethod]
    public void SymlinkLoopsThatBranchAreCutOffAndMarkedIncomplete()
    {
        RequireSymlinks();
        using var tree = new TempTree();
        tree.Link("src/a", "src");
        tree.Link("src/b", "src");
        tree.Write("src/k.cu", "#include \"h.h\"\n");
        tree.Write("src/h.h", "#include \"a/h.h\"\n#include \"b/h.h\"\n"); // 2^40 spellings before ELOOP

        IncludeScanResult result = Scan(tree);
        Assert.IsFalse(result.Complete);
        Assert.Contains("symbolic-link loop", result.Warnings[0].Message);
        Assert.IsTrue(result.Files.Count < 200, result.Files.Count.ToString());
    }

    [TestMethod]
    public void RelativePathsAreRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => IncludeScanner.Scan(new IncludeScanRequest { SourcePath = "k.cu" }));
        Assert.ThrowsExactly<ArgumentException>(() => IncludeScanner.Scan(new IncludeScanRequest
        {
            SourcePath = Path.Combine(Path.GetTempPath(), "k.cu"),
            IncludeDirectories = ["inc"],
        }));
    }
}
