using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>A KernelBuild error of one kernel (not an NVRTC diagnostic): its KB code and its text, worded for the user.</summary>
    internal sealed class KernelFault
    {
        public KernelFault(string code, string message)
        {
            Code = code;
            Message = message;
        }

        public string Code { get; }
        public string Message { get; }
        /// <summary>Where the fault is, when it is in one file (the kernel's source when null).</summary>
        public string? File { get; set; }
        public int Line { get; set; }
    }

    /// <summary>What compiling one kernel gave: images, entry points, dependencies, diagnostics.</summary>
    internal sealed class KernelCompileResult
    {
        public KernelCompileResult(KernelCompileSettings settings) => Settings = settings;

        /// <summary>A kernel that failed with one error and produced nothing.</summary>
        public static KernelCompileResult Failed(KernelCompileSettings settings, KernelFault fault)
        {
            var result = new KernelCompileResult(settings);
            result.Faults.Add(fault);
            return result;
        }

        public KernelCompileSettings Settings { get; }
        public bool Succeeded { get; set; }
        public List<NvrtcDiagnostic> Diagnostics { get; } = new List<NvrtcDiagnostic>();
        /// <summary>NVRTC API failures that are not source diagnostics (invalid options), already worded for the user.</summary>
        public List<string> Errors { get; } = new List<string>();
        /// <summary>Errors of this kernel with their own KB code (NVRTC failed, the source could not be read).</summary>
        public List<KernelFault> Faults { get; } = new List<KernelFault>();
        public IncludeScanResult? Dependencies { get; set; }
        /// <summary>One image per architecture of <see cref="Settings"/> when the compile succeeded.</summary>
        public Dictionary<TargetArchitecture, byte[]> Images { get; } = new Dictionary<TargetArchitecture, byte[]>();
        public List<string> EntryPoints { get; set; } = new List<string>();
        /// <summary>Each entry point's C++ signature, for the typed launchers (docs/launchers.md).</summary>
        public List<EntrySignature> Signatures { get; set; } = new List<EntrySignature>();
        /// <summary>
        /// The signatures file's entry lines as a remote cache stored them or a compile worker sent them; null after a
        /// compile in this process, where <see cref="Signatures"/> holds them (a restored or received kernel's holds only
        /// the entries that got no launcher, for their warnings).
        /// </summary>
        public string? SignatureEntries { get; set; }
        /// <summary>The signature file's entry lines: as restored or received, or formatted from <see cref="Signatures"/>.</summary>
        public string SignatureEntryLines => SignatureEntries ?? KernelSignatureFile.FormatEntries(Signatures);
        public TimeSpan Elapsed { get; set; }
        /// <summary>The include scan's share of <see cref="Elapsed"/> (it runs before the compile, on the same thread).</summary>
        public TimeSpan ScanElapsed { get; set; }
        /// <summary>What reading the signatures added to <see cref="Elapsed"/> after the compile (the separate probe, if any).</summary>
        public TimeSpan SignatureElapsed { get; set; }
        /// <summary>Entry points whose types the kernel's own compile did not give, so the separate probe was compiled for them.</summary>
        public int SeparatelyProbed { get; set; }
    }

    /// <summary>
    /// Compiles one kernel for all its architectures. The include scan runs first, so the hashes we record are
    /// of the bytes as they were before NVRTC read them: an edit racing with the build makes the kernel stale
    /// next time rather than hiding behind a hash of the newer bytes.
    /// </summary>
    internal static class KernelCompiler
    {
        /// <summary>
        /// Compiles one kernel with <paramref name="nvrtc"/> on the calling thread; whatever goes wrong with it becomes
        /// this kernel's error, worded for the user, so that the other kernels still compile. Both ends of a lane run
        /// this: the task's process, and a compile worker (src/NvrtcWorker).
        /// </summary>
        public static KernelCompileResult CompileOrFail(NvrtcLibrary nvrtc, KernelCompileSettings settings, IncludeScanCache? scanCache)
        {
            try
            {
                return Compile(nvrtc, settings, scanCache);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return KernelCompileResult.Failed(settings, new KernelFault(KbErrors.SourceUnreadable,
                    "Could not read a file of CUDA kernel " + settings.SourcePath + ": " + e.Message + " Check that the kernel and the headers it includes exist and are readable."));
            }
            catch (Exception e)
            {
                return FailedUnexpectedly(settings, e);
            }
        }

        /// <summary>The result of a kernel on which KernelBuild itself failed (a bug), worded for the user.</summary>
        public static KernelCompileResult FailedUnexpectedly(KernelCompileSettings kernel, Exception e) =>
            KernelCompileResult.Failed(kernel, new KernelFault(KbErrors.KernelFailedUnexpectedly,
                "KernelBuild failed on CUDA kernel " + kernel.SourcePath + " (" + e.GetType().Name + ": " + e.Message + "). This is a bug in KernelBuild: please report it with this message. The other kernels were still compiled."));

        private static KernelCompileResult Compile(NvrtcLibrary nvrtc, KernelCompileSettings settings, IncludeScanCache? scanCache)
        {
            string compilerName = nvrtc.DisplayName;
            var stopwatch = Stopwatch.StartNew();
            var result = new KernelCompileResult(settings);

            IncludeScanRequest scanRequest = ScanRequestFor(settings);
            scanRequest.NvrtcVersion = nvrtc.Version;
            result.Dependencies = IncludeScanner.Scan(scanRequest, scanCache);
            result.ScanElapsed = stopwatch.Elapsed;

            var ptxByUnit = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var cubinByUnit = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            // Read once for the launchers: the entry names to ask the compile about, then the declarations' names and lines.
            string? sourceText = settings.ReadSignatures ? TryReadText(settings.SourcePath) : null;
            SignatureSuffix? suffix = SuffixFor(settings, sourceText);
            IReadOnlyDictionary<string, string> loweredNames = new Dictionary<string, string>();
            bool failed = false;
            foreach (TargetArchitecture unit in CompileUnits(settings.Architectures))
            {
                NvrtcCompileOutput output = CompileUnit(nvrtc, settings, unit, ref suffix);
                AddDiagnostics(result, NvrtcLogParser.Parse(output.Log), suffix);
                if (output.ApiError != null)
                {
                    result.Errors.Add(output.ApiError + (output.Log.Length > 0 ? " (" + output.Log.Trim() + ")" : ""));
                }
                KernelFault? fault = FaultOf(output, settings.SourcePath, unit);
                if (fault != null)
                {
                    result.Faults.Add(fault);
                }
                if (!output.Succeeded)
                {
                    failed = true;
                    break; // the same source error would be reported once per architecture
                }
                if (ptxByUnit.Count == 0) loweredNames = output.LoweredNames;
                ptxByUnit[unit.CompileKey] = output.Ptx!;
                if (output.Cubin != null) cubinByUnit[unit.CompileKey] = output.Cubin;
            }

            if (!failed)
            {
                foreach (TargetArchitecture architecture in settings.Architectures)
                {
                    Dictionary<string, byte[]> images = architecture.IsCubin ? cubinByUnit : ptxByUnit;
                    if (!images.TryGetValue(architecture.CompileKey, out byte[]? bytes))
                    {
                        result.Errors.Add(compilerName + " produced no " + architecture.Extension + " for " + architecture.Name + ".");
                        failed = true;
                        continue;
                    }
                    result.Images[architecture] = bytes;
                }
                // The first unit's PTX: the probe's types are read from it (types that differ per architecture would
                // need a launcher per architecture; docs/launchers.md).
                string firstPtx = Encoding.UTF8.GetString(ptxByUnit[CompileUnits(settings.Architectures).First().CompileKey]);
                result.EntryPoints = PtxEntryPoints.Find(firstPtx).Where(e => !SignatureSuffix.IsProbeEntry(e)).ToList();
                result.Faults.AddRange(InstantiationFaults(settings, loweredNames, result.EntryPoints));
                if (!failed && settings.ReadSignatures)
                {
                    var probe = Stopwatch.StartNew();
                    Dictionary<string, CudaFunctionType> known = suffix?.TypesByEntryPoint(firstPtx, loweredNames) ?? new Dictionary<string, CudaFunctionType>();
                    SignatureProbe.AddTypesFromMangledNames(result.EntryPoints, known);
                    result.Signatures = SignatureProbe.Extract(nvrtc, settings, CompileUnits(settings.Architectures).First(), result.EntryPoints, firstPtx, known, sourceText);
                    result.SeparatelyProbed = result.EntryPoints.Count(e => !known.ContainsKey(e));
                    result.SignatureElapsed = probe.Elapsed;
                }
            }

            result.Succeeded = !failed && !result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) && result.Faults.Count == 0;
            if (!result.Succeeded)
            {
                result.Faults.AddRange(ByteOrderMarkFaults(result.Dependencies, settings.SourcePath));
            }
            result.Elapsed = stopwatch.Elapsed;
            return result;
        }

        /// <summary>
        /// What the compile appends for the launchers and the listed instantiations; null when nothing. Names are guessed
        /// only when signatures are read (with launchers off, only the instantiations are compiled).
        /// </summary>
        private static SignatureSuffix? SuffixFor(KernelCompileSettings settings, string? sourceText)
        {
            List<string> guessed = sourceText != null ? ExternCKernelFinder.Find(sourceText) : new List<string>();
            return SignatureSuffix.Create(guessed, settings.Instantiations);
        }

        /// <summary>The kernel's text; null when it cannot be read (the compile then reports why).</summary>
        private static string? TryReadText(string path)
        {
            try
            {
                return System.IO.File.ReadAllText(path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>
        /// One compile unit, with the signature suffix. A guessed name that does not compile (a kernel in an <c>#if 0</c>
        /// group, a name that is a macro) is dropped and the unit compiled again, so a wrong guess costs time, never
        /// the build; the dropped names get the separate probe. Errors at an instantiation's line are the user's.
        /// </summary>
        private static NvrtcCompileOutput CompileUnit(NvrtcLibrary nvrtc, KernelCompileSettings settings, TargetArchitecture unit, ref SignatureSuffix? suffix)
        {
            while (true)
            {
                var request = new NvrtcCompileRequest(settings.SourcePath, NvrtcOptionsBuilder.Build(settings, unit))
                {
                    SourceSuffix = suffix?.Text ?? "",
                    NameExpressions = suffix?.Instantiations ?? new string[0],
                };
                NvrtcCompileOutput output = nvrtc.CompileFile(request);
                if (output.Succeeded || suffix == null || !suffix.TryRepair(NvrtcLogParser.Parse(output.Log), out suffix)) return output;
            }
        }

        /// <summary>
        /// NVRTC's diagnostics for the user: those in the user's files as they are; those at an instantiation's line
        /// become one KB5002 naming the instantiation; the rest of the appended text's (and NVRTC's name map's) are dropped.
        /// </summary>
        private static void AddDiagnostics(KernelCompileResult result, List<NvrtcDiagnostic> diagnostics, SignatureSuffix? suffix)
        {
            foreach (NvrtcDiagnostic diagnostic in diagnostics)
            {
                if (!SignatureSuffix.IsOwnDiagnostic(diagnostic))
                {
                    result.Diagnostics.Add(diagnostic);
                    continue;
                }
                string? name = suffix?.NameAt(diagnostic);
                if (diagnostic.Severity == DiagnosticSeverity.Error && name != null && suffix!.Instantiations.Contains(name))
                {
                    result.Faults.Add(InstantiationFault(result.Settings, name, "NVRTC: " + diagnostic.Message));
                }
            }
        }

        /// <summary>An instantiation that compiled but is not a kernel (a __device__ function or variable template).</summary>
        private static IEnumerable<KernelFault> InstantiationFaults(KernelCompileSettings settings, IReadOnlyDictionary<string, string> loweredNames, List<string> entryPoints)
        {
            foreach (string instantiation in settings.Instantiations)
            {
                if (loweredNames.TryGetValue(instantiation, out string? lowered) && !entryPoints.Contains(lowered))
                {
                    yield return InstantiationFault(settings, instantiation, "it names no __global__ function (its lowered name " + lowered + " is not an entry point of the PTX).");
                }
            }
        }

        private static KernelFault InstantiationFault(KernelCompileSettings settings, string instantiation, string why) =>
            new KernelFault(KbErrors.InvalidInstantiation,
                "The instantiation '" + instantiation + "' listed in the Instantiations metadata of CUDA kernel " + settings.RelativePath + " could not be compiled: " + why
                + " List instantiations of __global__ function templates declared in the kernel's source, as C++ names with template arguments (e.g. scale<float>;ns::scale<double>), separated by semicolons.");

        /// <summary>
        /// NVRTC 11.8 rejects a UTF-8 byte-order mark ("#" not expected here), which Windows editors like to write. The
        /// kernel's own source is handed to NVRTC without it (NvrtcLibrary); a header NVRTC opens itself, so when a
        /// compile failed, each header that starts with one gets an error that names the mark. Read only on failure.
        /// </summary>
        private static IEnumerable<KernelFault> ByteOrderMarkFaults(IncludeScanResult? dependencies, string source)
        {
            foreach (ScannedFile file in dependencies?.Files ?? (IReadOnlyList<ScannedFile>)new ScannedFile[0])
            {
                if (file.Path != source && StartsWithByteOrderMark(file.Path))
                {
                    yield return new KernelFault(KbErrors.ByteOrderMark,
                        "This file starts with a UTF-8 byte-order mark, which NVRTC rejects (NVRTC's error about it is above). Save the file as UTF-8 without a byte-order mark (\"signature\").")
                    { File = file.Path, Line = 1 };
                }
            }
        }

        private static bool StartsWithByteOrderMark(string path)
        {
            try
            {
                using var stream = new System.IO.FileStream(path, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite);
                var head = new byte[3];
                return stream.Read(head, 0, 3) == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF;
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static KernelFault? FaultOf(NvrtcCompileOutput output, string source, TargetArchitecture unit)
        {
            if (output.ReadFailure != null)
            {
                return new KernelFault(KbErrors.SourceUnreadable,
                    "Could not read CUDA kernel " + source + ": " + output.ReadFailure + " Check that the file exists and is readable.");
            }
            if (output.NvrtcFailure is NvrtcException e)
            {
                return new KernelFault(KbErrors.NvrtcFailed,
                    "NVRTC failed while compiling " + source + " for " + unit.Name + ": " + e.EntryPoint + " returned " + e.NvrtcMessage + " (nvrtcResult " + (int)e.Result + ")."
                    + " This is not an error in the source. Build again; if it persists, reinstall NVRTC or point NvrtcPath at another copy, and check that the machine has free memory.");
            }
            return null;
        }

        /// <summary>
        /// One NVRTC compile per compute capability: <c>-arch=sm_XX</c> yields both the cubin and the PTX,
        /// so <c>compute_80;sm_80</c> costs one compile, not two.
        /// </summary>
        internal static IEnumerable<TargetArchitecture> CompileUnits(IEnumerable<TargetArchitecture> architectures) =>
            architectures
                .GroupBy(a => a.CompileKey)
                .OrderBy(g => g.First().Number).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.FirstOrDefault(a => a.IsCubin) ?? g.First());

        /// <summary>The include search NVRTC will do for these options, as the scanner needs it.</summary>
        internal static IncludeScanRequest ScanRequestFor(KernelCompileSettings settings) => new IncludeScanRequest
        {
            SourcePath = settings.SourcePath,
            IncludeDirectories = settings.Options.SearchDirectories.ToList(),
            Defines = settings.Options.MacroOperations.ToList(),
            PreIncludes = settings.Options.PreIncludes.ToList(),
            NoSourceInclude = settings.Options.NoSourceInclude,
            LanguageStandard = settings.Options.EffectiveLanguageStandard,
            Architectures = settings.Architectures.Select(a => a.Number).Distinct().ToList(),
        };
    }
}
