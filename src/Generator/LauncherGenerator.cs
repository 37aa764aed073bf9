using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KernelBuild.Generator
{
    /// <summary>
    /// Generates one launcher class per CUDA kernel source from the signature files that CompileCudaKernels writes
    /// (docs/launchers.md). Inputs, all from the build: AdditionalFiles with <c>KernelBuildRole</c> metadata
    /// <c>signatures</c> (the files) or <c>source</c> (the CudaKernel items, for their <c>Namespace</c> and
    /// <c>ClassName</c> metadata; their text is never read), and the project's <c>RootNamespace</c>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class LauncherGenerator : IIncrementalGenerator
    {
        private const string Metadata = "build_metadata.AdditionalFiles.";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<(string Path, string Role, string Namespace, string ClassName)> files = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, _) => Describe(pair.Left, pair.Right.GetOptions(pair.Left)))
                .Where(file => file.Role.Length > 0);

            IncrementalValuesProvider<(string Path, string Text)> signatureFiles = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Where(pair => Role(pair.Right.GetOptions(pair.Left)) == "signatures")
                .Select((pair, cancellation) => (pair.Left.Path, pair.Left.GetText(cancellation)?.ToString() ?? ""));

            IncrementalValueProvider<ImmutableArray<(string Path, string Role, string Namespace, string ClassName)>> sources =
                files.Where(file => file.Role == "source").Collect();

            IncrementalValueProvider<string> rootNamespace = context.AnalyzerConfigOptionsProvider
                .Select((options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out string? value) ? value : "");

            context.RegisterSourceOutput(signatureFiles.Combine(sources).Combine(rootNamespace), (output, input) =>
                Generate(output, input.Left.Left, input.Left.Right, input.Right));
        }

        private static (string Path, string Role, string Namespace, string ClassName) Describe(AdditionalText file, AnalyzerConfigOptions options) =>
            (file.Path, Role(options), Value(options, "KernelBuildNamespace"), Value(options, "KernelBuildClassName"));

        private static string Role(AnalyzerConfigOptions options) => Value(options, "KernelBuildRole");

        private static string Value(AnalyzerConfigOptions options, string name) =>
            options.TryGetValue(Metadata + name, out string? value) ? value.Trim() : "";

        private static void Generate(SourceProductionContext output, (string Path, string Text) file,
            ImmutableArray<(string Path, string Role, string Namespace, string ClassName)> sources, string rootNamespace)
        {
            KernelSignatures? kernel = KernelSignatures.Parse(file.Text);
            if (kernel == null)
            {
                output.ReportDiagnostic(Diagnostic.Create(GeneratorDiagnostics.UnreadableSignatures, Location.None, file.Path));
                return;
            }
            (string Path, string Role, string Namespace, string ClassName) item = sources.FirstOrDefault(s => IsSameSource(s.Path, kernel));
            string className = item.ClassName is { Length: > 0 } ? item.ClassName : Names.ClassNameFor(kernel.RelativePath);
            string @namespace = item.Namespace is { Length: > 0 } ? item.Namespace : rootNamespace;

            var emitter = new LauncherEmitter(kernel, className, @namespace);
            string source = emitter.Emit();
            foreach (Diagnostic diagnostic in emitter.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic);
            }
            output.AddSource(HintName(kernel.RelativePath), SourceText.From(source, System.Text.Encoding.UTF8));
        }

        /// <summary>The CudaKernel item of a signature file: the same path, or (through a link or symlink) the same project-relative tail.</summary>
        private static bool IsSameSource(string itemPath, KernelSignatures kernel)
        {
            string item = itemPath.Replace('\\', '/');
            return string.Equals(item, kernel.SourcePath.Replace('\\', '/'), StringComparison.OrdinalIgnoreCase)
                || item.EndsWith("/" + kernel.RelativePath, StringComparison.OrdinalIgnoreCase)
                || string.Equals(item, kernel.RelativePath, StringComparison.OrdinalIgnoreCase);
        }

        private static string HintName(string relativePath)
        {
            var name = new System.Text.StringBuilder();
            foreach (char c in relativePath) name.Append(char.IsLetterOrDigit(c) ? c : '_');
            return name.Append(".Launchers.g.cs").ToString();
        }
    }
}
