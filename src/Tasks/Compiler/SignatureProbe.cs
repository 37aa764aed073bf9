using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// Asks NVRTC for the exact C++ type of each entry point of a kernel (docs/launchers.md). Most types come from the
    /// kernel's own compile (<see cref="SignatureSuffix"/>); for an entry point it did not cover (a C++-linkage kernel, a
    /// name declared in a header or by a macro), a second, small program includes the kernel and explicitly instantiates <c>__kernelbuild_signature&lt;i, decltype(&amp;entry)&gt;</c>, an empty
    /// kernel template, once per entry point; the front end mangles each instantiation's name with the entry point's
    /// function type as it resolved it (typedefs, macros, namespaces, const), and the PTX of that program lists those
    /// names. The argument layout comes from the kernel's own PTX (<see cref="PtxParameters"/>).
    /// </summary>
    internal static class SignatureProbe
    {
        public const string ProbeTemplate = "__kernelbuild_signature";

        /// <summary>The signatures of <paramref name="entryPoints"/>; never throws: a failure becomes each entry's <see cref="EntrySignature.Problem"/>.</summary>
        /// <param name="folded">The types the kernel's own compile already gave, by entry point: those need no probe.</param>
        /// <param name="source">The kernel's text, for parameter names and lines; null when it could not be read.</param>
        public static List<EntrySignature> Extract(NvrtcLibrary nvrtc, KernelCompileSettings settings, TargetArchitecture unit, IReadOnlyList<string> entryPoints, string kernelPtx,
            IReadOnlyDictionary<string, CudaFunctionType> folded, string? source)
        {
            List<EntrySignature> entries = entryPoints.Select(e => new EntrySignature { EntryPoint = e, CppName = e }).ToList();
            try
            {
                Dictionary<string, List<PtxParameter>> layouts = PtxParameters.Find(kernelPtx);
                NameEntries(entries);
                string? failure = null;
                Dictionary<int, CudaFunctionType> types = entries.Any(e => e.Problem == null && !folded.ContainsKey(e.EntryPoint))
                    ? CompileProbe(nvrtc, settings, unit, entries, folded, out failure)
                    : new Dictionary<int, CudaFunctionType>();
                for (int i = 0; i < entries.Count; i++)
                {
                    if (folded.TryGetValue(entries[i].EntryPoint, out CudaFunctionType? type)) types[i] = type;
                }
                for (int i = 0; i < entries.Count; i++)
                {
                    EntrySignature entry = entries[i];
                    if (entry.Problem != null) continue;
                    if (!types.TryGetValue(i, out CudaFunctionType? type))
                    {
                        entry.Problem = failure ?? "NVRTC did not report the type of " + entry.CppName;
                        continue;
                    }
                    if (!layouts.TryGetValue(entry.EntryPoint, out List<PtxParameter>? layout) || layout.Count != type.Parameters.Count)
                    {
                        entry.Problem = "the PTX parameter list of " + entry.EntryPoint + " does not match its C++ type";
                        continue;
                    }
                    Describe(entry, type, layout, source);
                }
            }
            catch (Exception e) when (e is FormatException || e is NvrtcException || e is IOException)
            {
                foreach (EntrySignature entry in entries.Where(e2 => e2.Problem == null && e2.Parameters.Count == 0))
                {
                    entry.Problem = e.Message;
                }
            }
            return entries;
        }

        /// <summary>
        /// A kernel with C++ linkage carries its parameter types in its own mangled name, as the front end resolved them:
        /// those need no probe. A name outside what <see cref="ItaniumMangling"/> reads is left to the probe.
        /// </summary>
        public static void AddTypesFromMangledNames(IEnumerable<string> entryPoints, Dictionary<string, CudaFunctionType> types)
        {
            foreach (string entryPoint in entryPoints.Where(e => e.StartsWith("_Z", StringComparison.Ordinal) && !types.ContainsKey(e)))
            {
                try
                {
                    types[entryPoint] = ItaniumMangling.ParseFunction(entryPoint);
                }
                catch (FormatException)
                {
                    // The separate probe reads it, or says why not.
                }
            }
        }

        /// <summary>The C++ name of each entry: its PTX name for <c>extern "C"</c>, else read from the mangled name.</summary>
        private static void NameEntries(List<EntrySignature> entries)
        {
            foreach (EntrySignature entry in entries.Where(e => e.EntryPoint.StartsWith("_Z", StringComparison.Ordinal)))
            {
                try
                {
                    entry.CppName = ItaniumMangling.FunctionName(entry.EntryPoint);
                }
                catch (FormatException e)
                {
                    entry.Problem = e.Message;
                }
            }
        }

        private static Dictionary<int, CudaFunctionType> CompileProbe(NvrtcLibrary nvrtc, KernelCompileSettings settings, TargetArchitecture unit, List<EntrySignature> entries,
            IReadOnlyDictionary<string, CudaFunctionType> folded, out string? failure)
        {
            failure = null;
            var types = new Dictionary<int, CudaFunctionType>();
            string program = ProbeSource(settings.SourcePath, entries, e => !folded.ContainsKey(e.EntryPoint));
            // Compiled from a temporary file on the kernel's own lane (a worker process when NVRTC serializes compiles
            // within a process), so that probes run in parallel like the kernels. Only the file's own #include is
            // resolved from its folder, and that path is absolute; the kernel's includes resolve from the kernel's folder.
            string programPath = Path.Combine(Path.GetTempPath(), "kernelbuild-signature-" + Guid.NewGuid().ToString("N") + ".cu");
            NvrtcCompileOutput output;
            try
            {
                File.WriteAllText(programPath, program);
                output = nvrtc.CompileFile(new NvrtcCompileRequest(programPath, ProbeOptions(settings, unit)));
            }
            finally
            {
                File.Delete(programPath);
            }
            if (!output.Succeeded || output.Ptx == null)
            {
                string firstError = output.Log.Split('\n').FirstOrDefault(l => l.Contains("error")) ?? output.ApiError ?? output.NvrtcFailure?.Message ?? "no log";
                failure = "NVRTC could not compile the signature probe (" + firstError.Trim() + ")";
                return types;
            }
            string prefix = "_Z" + ProbeTemplate.Length + ProbeTemplate;
            foreach (string name in PtxEntryPoints.Find(Encoding.UTF8.GetString(output.Ptx)).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            {
                (int index, CudaFunctionType type) = ItaniumMangling.ParseProbe(name);
                types[index] = type;
            }
            return types;
        }

        /// <summary>The probe program: the kernel, included by absolute path, and one instantiation per entry point.</summary>
        internal static string ProbeSource(string sourcePath, IReadOnlyList<EntrySignature> entries, Func<EntrySignature, bool> needed)
        {
            var text = new StringBuilder();
            text.Append("#include \"").Append(sourcePath.Replace('\\', '/').Replace("\"", "\\\"")).Append("\"\n");
            text.Append("template <int Index, typename Signature> __global__ void ").Append(ProbeTemplate).Append("() {}\n");
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].Problem != null || !needed(entries[i])) continue;
                text.Append("template __global__ void ").Append(ProbeTemplate).Append('<').Append(i)
                    .Append(", decltype(&").Append(entries[i].CppName).Append(")>();\n");
            }
            return text.ToString();
        }

        /// <summary>
        /// The kernel's own options for PTX of its first compile unit (no cubin: ptxas is not needed for names), unoptimized.
        /// decltype needs C++11, and NVRTC 11.8's default dialect is older: without a -std option, C++11 is asked for.
        /// </summary>
        private static List<string> ProbeOptions(KernelCompileSettings settings, TargetArchitecture unit)
        {
            TargetArchitecture ptx = unit.IsCubin && unit.CompileKey == unit.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ? TargetArchitecture.Ptx(unit.Number) : unit;
            List<string> options = NvrtcOptionsBuilder.Build(settings, ptx);
            if (!options.Any(o => o.StartsWith("-std", StringComparison.Ordinal) || o.StartsWith("--std", StringComparison.Ordinal)))
            {
                options.Add("-std=c++11");
            }
            // Only the entry names are read, and C++ name mangling is the front end's, so the optimizer is turned off:
            // -G made the probe of a loop-heavy kernel 2.3x faster with NVRTC 11.8 (0.22 s -> 0.096 s), the same names.
            // (-dlto would be faster still, but leaves no PTX to read the names from.) It also defines
            // __CUDACC_DEBUG__, which a kernel could test to change a parameter's type: docs/launchers.md says so.
            if (!options.Any(o => o == "-G" || o == "--device-debug"))
            {
                options.Add("-G");
            }
            return options;
        }

        private static void Describe(EntrySignature entry, CudaFunctionType type, List<PtxParameter> layout, string? source)
        {
            string simpleName = entry.CppName.Split('<')[0];
            simpleName = simpleName.Substring(simpleName.LastIndexOf(':') + 1);
            FoundDeclaration? declaration = source == null ? null : DeclarationFinder.Find(source, simpleName, type.Parameters.Count);
            for (int i = 0; i < type.Parameters.Count; i++)
            {
                string name = declaration?.ParameterNames[i] ?? "arg" + i;
                entry.Parameters.Add(new SignatureParameter(name, type.Parameters[i], layout[i]));
            }
            entry.Line = declaration?.Line ?? 0;
            entry.Declaration = declaration?.Text
                ?? "__global__ void " + entry.CppName + "(" + string.Join(", ", entry.Parameters.Select(p => p.Type.Spelling + " " + p.Name)) + ")";
        }
    }
}
