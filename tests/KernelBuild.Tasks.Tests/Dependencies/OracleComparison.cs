using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>Scans a tree and compiles it with the oracle; fails on any file NVRTC opened that the scan
/// did not list, and reports the scan's precision.</summary>
internal static class OracleComparison
{
    public sealed record Outcome(IncludeScanResult Scan, OracleRun Run, double Precision);

    /// <param name="extraOptions">NVRTC options the scan does not take (e.g. -std): the scan must cover
    /// every setting of them.</param>
    public static Outcome Check(TestContext context, TempTree tree, IncludeScanRequest request, bool compiles, params string[] extraOptions)
    {
        // The scan knows the -std and -arch of the compile, as the build tells it (KernelCompiler.ScanRequestFor).
        string? std = extraOptions.LastOrDefault(o => o.StartsWith("-std=", StringComparison.Ordinal));
        if (request.LanguageStandard == "" && std != null)
            request.LanguageStandard = std["-std=".Length..];
        string arch = extraOptions.LastOrDefault(o => o.StartsWith("-arch=", StringComparison.Ordinal)) ?? PortableArchitectureOption;
        if (request.Architectures.Count == 0)
            request.Architectures = [int.Parse(arch[(arch.IndexOf('_') + 1)..])];
        // ... and the version of the NVRTC it loaded, which is the one the oracle runs.
        request.NvrtcVersion ??= InstalledNvrtcVersion();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IncludeScanResult scan = IncludeScanner.Scan(request);
        clock.Stop();
        // NVRTC takes one -arch: an -arch among the extra options replaces the default one.
        IEnumerable<string> options = Options(request).Where(o => !o.StartsWith("-arch=", StringComparison.Ordinal) || !extraOptions.Any(e => e.StartsWith("-arch=", StringComparison.Ordinal)));
        OracleRun run = NvrtcOracle.Run(request.SourcePath, options.Concat(extraOptions), [tree.Root, .. request.IncludeDirectories]);

        // The tree must do what the test means it to: a compile expected to succeed that fails (or the
        // reverse) would make the comparison prove nothing.
        Assert.AreEqual(compiles ? 0 : 1, run.ExitCode, "NVRTC's result was not the expected one. Log:" + Environment.NewLine + run.Log);

        var listed = new HashSet<string>(scan.Files.Select(f => f.Path), StringComparer.Ordinal);
        string[] missed = run.Opened.Where(o => !listed.Contains(o.Resolved)).Select(o => o.Requested + " -> " + o.Resolved).Distinct().ToArray();
        if (missed.Length > 0)
        {
            Assert.Fail("NVRTC opened files the scanner did not list:" + Environment.NewLine + TestPaths.Describe(missed) +
                Environment.NewLine + "Listed:" + Environment.NewLine + TestPaths.Describe(listed));
        }

        // Everything listed is what the type promises: normalized, hashed from the file's bytes.
        foreach (ScannedFile file in scan.Files)
        {
            Assert.IsTrue(TestPaths.IsNormalized(file.Path), "Not normalized: " + file.Path);
            Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.Path))), file.Sha256, file.Path);
        }
        Assert.AreEqual(request.SourcePath, scan.Files[0].Path, "The source comes first.");

        var openedResolved = new HashSet<string>(run.Opened.Select(o => o.Resolved), StringComparer.Ordinal);
        int useful = scan.Files.Count(f => openedResolved.Contains(TestPaths.FullyResolve(f.Path)));
        double precision = (double)useful / scan.Files.Count;
        string label = context.TestName + (extraOptions.Length > 0 ? " (" + string.Join(" ", extraOptions) + ")" : "");
        string report = $"precision {label}: {useful}/{scan.Files.Count} = {precision:0.00} " +
            $"(NVRTC opened {openedResolved.Count} distinct files; scan listed {scan.Files.Count}, {scan.AbsentProbes.Count} absent probes; " +
            $"cold scan {clock.Elapsed.TotalMilliseconds:0} ms, " +
            (ScanSession.LastAttempts == 0 ? $"flow walk of {ScanSession.LastFlowSteps} directives)" :
                $"{ScanSession.LastAttempts} order-independent round(s); flow walk abandoned: {ScanSession.LastFlowFallback ?? "switched off"})");
        context.WriteLine(report);
        Console.WriteLine(report);
        return new Outcome(scan, run, precision);
    }

    private static Version? InstalledNvrtcVersion()
    {
        try
        {
            return KernelBuild.Tasks.Compiler.NvrtcLibrary.Load(KernelBuild.Tasks.Compiler.NvrtcLocator.ForThisMachine().Locate(null)).Version;
        }
        catch (Exception e) when (e is not AssertFailedException)
        {
            return null; // no NVRTC: the oracle reports Inconclusive
        }
    }

    /// <summary>The architecture of a compile that names none: the lowest that every NVRTC from 11.0 to 13.x
    /// compiles for. NVRTC 13.0 refuses compute_52 and compute_70 ("invalid value for --gpu-architecture",
    /// measured), and these tests also run against NVRTC 13 on a GPU machine.</summary>
    public const int PortableArchitecture = 75;

    public static string PortableArchitectureOption { get; } = "-arch=compute_" + PortableArchitecture;

    /// <summary>Inconclusive unless the installed NVRTC is a version where the behaviour a test expects was
    /// measured (<see cref="NvrtcPreprocessorBehaviour"/>): elsewhere the scan lists both readings by design.</summary>
    public static void RequireMeasured(Func<NvrtcPreprocessorBehaviour, bool> behaviour, string what)
    {
        Version? version = InstalledNvrtcVersion();
        if (version == null || !behaviour(NvrtcPreprocessorBehaviour.For(version)))
            Assert.Inconclusive($"{what}: not measured with NVRTC {version?.ToString() ?? "(none found)"}, so the scan keeps both readings there.");
    }

    public static IEnumerable<string> Options(IncludeScanRequest request)
    {
        yield return PortableArchitectureOption;
        foreach (string directory in request.IncludeDirectories)
            yield return "-I" + directory;
        foreach (KeyValuePair<string, string?> define in request.Defines)
            yield return define.Value == null ? "-U" + define.Key : "-D" + define.Key + "=" + define.Value;
        foreach (string preInclude in request.PreIncludes)
            yield return "--pre-include=" + preInclude;
        if (request.NoSourceInclude)
            yield return "-no-source-include";
    }

    public static void AssertListed(IncludeScanResult scan, string path) =>
        Assert.IsTrue(scan.Files.Any(f => f.Path == path), "Not listed: " + path + Environment.NewLine + TestPaths.Describe(scan.Files.Select(f => f.Path)));

    public static void AssertNotListed(IncludeScanResult scan, string path) =>
        Assert.IsFalse(scan.Files.Any(f => f.Path == path), "Listed, but never opened by NVRTC: " + path);

    public static void AssertAbsentProbe(IncludeScanResult scan, string path) =>
        Assert.IsTrue(scan.AbsentProbes.Contains(path), "Not among the absent probes: " + path + Environment.NewLine + TestPaths.Describe(scan.AbsentProbes));
}
