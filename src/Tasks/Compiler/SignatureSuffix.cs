using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// The signature probe folded into the kernel's own compile (docs/launchers.md): text appended after the user's
    /// source that makes the front end mangle each named entry point's exact function type into the name of an empty
    /// kernel, and instantiates the templates listed in the item's <c>Instantiations</c> metadata. One compile instead
    /// of two: the separate probe (<see cref="SignatureProbe"/>) repeated the whole front-end pass over the kernel and
    /// its headers, and doubled a light kernel's build time.
    /// <code>
    /// #line 1 "kernelbuild-signatures"
    /// template &lt;int __KernelBuildIndex, typename __KernelBuildSignature&gt; __global__ void __kernelbuild_signature() {}
    /// template &lt;…&gt; __device__ void __kernelbuild_take(__KernelBuildSignature) { (void)&amp;__kernelbuild_signature&lt;…&gt;; }
    /// __device__ void __kernelbuild_probe0() { __kernelbuild_take&lt;0&gt;(&amp;saxpy); }
    /// </code>
    /// Taking <c>&amp;name</c> deduces its type (C++03 has no <c>decltype</c>, and NVRTC 11.8 defaults to C++03); taking the
    /// kernel template's address in a device function instantiates it, so its <c>.weak .entry</c> stays in the PTX (the
    /// device function itself is dropped). Each name has its own line, so an error there names the name.
    /// </summary>
    internal sealed class SignatureSuffix
    {
        /// <summary>The file name the appended lines report in NVRTC's log.</summary>
        public const string FileName = "kernelbuild-signatures";
        private const int FirstNameLine = 3;
        private const string Take = "__kernelbuild_take";

        private SignatureSuffix(IReadOnlyList<string> guessed, IReadOnlyList<string> instantiations)
        {
            Guessed = guessed;
            Instantiations = instantiations;
            Text = Build(Names);
        }

        /// <summary>Entry names read from the source text (<see cref="ExternCKernelFinder"/>): wrong ones are dropped, not reported.</summary>
        public IReadOnlyList<string> Guessed { get; }
        /// <summary>What the user listed: each must compile, and its failure is the user's error.</summary>
        public IReadOnlyList<string> Instantiations { get; }
        public IEnumerable<string> Names => Guessed.Concat(Instantiations);
        public string Text { get; }

        /// <summary>Null when there is nothing to ask: no name found and no instantiation listed.</summary>
        public static SignatureSuffix? Create(IReadOnlyList<string> guessed, IReadOnlyList<string> instantiations) =>
            guessed.Count + instantiations.Count == 0 ? null : new SignatureSuffix(guessed, instantiations);

        /// <summary>Whether a PTX entry point is one of the probe's empty kernels rather than the user's.</summary>
        public static bool IsProbeEntry(string entryPoint) => entryPoint.StartsWith(ProbePrefix, StringComparison.Ordinal);

        private static string ProbePrefix => "_Z" + SignatureProbe.ProbeTemplate.Length.ToString(CultureInfo.InvariantCulture) + SignatureProbe.ProbeTemplate;

        /// <summary>Whether a diagnostic is located in the appended text (or in NVRTC's own name-expression map).</summary>
        public static bool IsOwnDiagnostic(NvrtcDiagnostic diagnostic) =>
            diagnostic.File == FileName || diagnostic.File == "__nv_name_map";

        /// <summary>The name whose line a diagnostic points at; null for the template lines and for other files.</summary>
        public string? NameAt(NvrtcDiagnostic diagnostic)
        {
            if (diagnostic.File != FileName) return null;
            int index = diagnostic.Line - FirstNameLine;
            List<string> names = Names.ToList();
            return index >= 0 && index < names.Count ? names[index] : null;
        }

        /// <summary>
        /// After a failed compile: whether compiling again with <paramref name="repaired"/> (possibly null: no suffix)
        /// can succeed. Guessed names with an error at their line are dropped; an error on the template lines (a user
        /// macro named like them?) drops the whole suffix unless instantiations need it. Errors only at instantiations'
        /// lines, or none in the suffix, are the user's: no retry.
        /// </summary>
        public bool TryRepair(IEnumerable<NvrtcDiagnostic> diagnostics, out SignatureSuffix? repaired)
        {
            repaired = this;
            List<NvrtcDiagnostic> own = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.File == FileName).ToList();
            if (own.Count == 0) return false;
            if (own.Any(d => NameAt(d) == null))
            {
                if (Instantiations.Count > 0) return false;
                repaired = null;
                return true;
            }
            var wrong = new HashSet<string>(own.Select(NameAt).Where(n => n != null && Guessed.Contains(n)).Select(n => n!), StringComparer.Ordinal);
            if (wrong.Count == 0) return false;
            repaired = Create(Guessed.Where(n => !wrong.Contains(n)).ToList(), Instantiations);
            return true;
        }

        /// <summary>
        /// The function type of each name, from the probe entries in the compiled PTX: guessed names by their own name
        /// (an <c>extern "C"</c> entry's PTX name), instantiations by the lowered name NVRTC gave their name expression.
        /// </summary>
        public Dictionary<string, CudaFunctionType> TypesByEntryPoint(string ptx, IReadOnlyDictionary<string, string> loweredNames)
        {
            List<string> names = Names.ToList();
            var types = new Dictionary<string, CudaFunctionType>(StringComparer.Ordinal);
            foreach (string probe in PtxEntryPoints.Find(ptx).Where(IsProbeEntry))
            {
                (int index, CudaFunctionType type) = ItaniumMangling.ParseProbe(probe);
                if (index < 0 || index >= names.Count) continue;
                string name = names[index];
                string entryPoint = index < Guessed.Count ? name : loweredNames.TryGetValue(name, out string? lowered) ? lowered : "";
                if (entryPoint.Length > 0) types[entryPoint] = type;
            }
            return types;
        }

        private static string Build(IEnumerable<string> names)
        {
            var text = new StringBuilder();
            text.Append("#line 1 \"").Append(FileName).Append("\"\n");
            text.Append("template <int __KernelBuildIndex, typename __KernelBuildSignature> __global__ void ").Append(SignatureProbe.ProbeTemplate).Append("() {}\n");
            text.Append("template <int __KernelBuildIndex, typename __KernelBuildSignature> __device__ void ").Append(Take)
                .Append("(__KernelBuildSignature) { (void)&").Append(SignatureProbe.ProbeTemplate).Append("<__KernelBuildIndex, __KernelBuildSignature>; }\n");
            int index = 0;
            foreach (string name in names)
            {
                text.Append("__device__ void __kernelbuild_probe").Append(index).Append("() { ").Append(Take).Append('<').Append(index)
                    .Append(">(&").Append(name).Append("); }\n");
                index++;
            }
            return text.ToString();
        }
    }
}
