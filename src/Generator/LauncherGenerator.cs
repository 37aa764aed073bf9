using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KernelBuild.Generator
{
    /// <summary>
    /// Generates one launcher class per CUDA kernel source from the signature files that CompileCudaKernels writes
    /// (docs/launchers.md). Inputs, all from the build: AdditionalFiles with <c>KernelBuildRole</c> metadata
    /// <c>signatures</c> (the signature index, or single kernels' files) or <c>source</c> (the CudaKernel items, for their <c>Namespace</c> and
    /// <c>ClassName</c> metadata; their text is never read), and the project's <c>RootNamespace</c>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class LauncherGenerator : IIncrementalGenerator
    {
        private const string Metadata = "build_metadata.AdditionalFiles.";
        private const string CudaStructAttribute = "KernelBuild.Runtime.CudaStructAttribute";

        /// <summary>The pipeline step of the [CudaStruct] structs, by this name in the driver's step tracking (tests).</summary>
        internal const string StructsStep = "CudaStructs";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<(string Path, string Role, string Namespace, string ClassName)> files = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, _) => Describe(pair.Left, pair.Right.GetOptions(pair.Left)))
                .Where(file => file.Role.Length > 0);

            // The build passes one signature index holding every kernel's part; each part is one launcher class.
            IncrementalValuesProvider<(string Path, string Text)> signatureFiles = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Where(pair => Role(pair.Right.GetOptions(pair.Left)) == "signatures")
                .SelectMany((pair, cancellation) => KernelSignatures.SplitIndex(pair.Left.GetText(cancellation)?.ToString() ?? "")
                    .Select(part => (pair.Left.Path, part)));

            IncrementalValueProvider<ImmutableArray<(string Path, string Role, string Namespace, string ClassName)>> sources =
                files.Where(file => file.Role == "source").Collect();

            IncrementalValueProvider<string> rootNamespace = context.AnalyzerConfigOptionsProvider
                .Select((options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out string? value) ? value : "");

            // The user's [CudaStruct] structs, found by the compiler's attribute index (only the structs that carry it are
            // looked at again when a file changes); each reduced to an equatable value with its computed layout.
            IncrementalValueProvider<ImmutableArray<MappedStruct>> structs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    CudaStructAttribute,
                    (node, _) => node is StructDeclarationSyntax || node is RecordDeclarationSyntax,
                    (target, _) => MappedStruct.Of((INamedTypeSymbol)target.TargetSymbol, target.Attributes[0], target.TargetNode))
                .WithTrackingName(StructsStep)
                .Collect();

            context.RegisterSourceOutput(structs, ReportUnusableStructs);
            context.RegisterSourceOutput(signatureFiles.Combine(sources).Combine(rootNamespace).Combine(structs), (output, input) =>
                Generate(output, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, UsableByCppName(input.Right)));
        }

        /// <summary>KB5105 for each mapped struct whose layout cannot be used, and for a second struct mapped to the same C++ type.</summary>
        private static void ReportUnusableStructs(SourceProductionContext output, ImmutableArray<MappedStruct> structs)
        {
            var seen = new Dictionary<string, MappedStruct>();
            foreach (MappedStruct mapped in structs)
            {
                string? problem = mapped.Problem;
                if (problem == null && seen.TryGetValue(mapped.CppName, out MappedStruct? first))
                {
                    problem = "the struct " + first.CSharpType.Replace("global::", "") + " is mapped to it too; keep one";
                }
                seen[mapped.CppName] = mapped;
                if (problem != null)
                {
                    output.ReportDiagnostic(Diagnostic.Create(GeneratorDiagnostics.UnusableStruct, mapped.Location, mapped.CSharpType.Replace("global::", ""), mapped.CppName, problem));
                }
            }
        }

        /// <summary>The structs by C++ name; a name mapped twice maps to neither (KB5105), so that no launcher picks one at random.</summary>
        private static Dictionary<string, MappedStruct> UsableByCppName(ImmutableArray<MappedStruct> structs) =>
            structs.GroupBy(s => s.CppName).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());

        private static (string Path, string Role, string Namespace, string ClassName) Describe(AdditionalText file, AnalyzerConfigOptions options) =>
            (file.Path, Role(options), Value(options, "KernelBuildNamespace"), Value(options, "KernelBuildClassName"));

        private static string Role(AnalyzerConfigOptions options) => Value(options, "KernelBuildRole");

        private static string Value(AnalyzerConfigOptions options, string name) =>
            options.TryGetValue(Metadata + name, out string? value) ? value.Trim() : "";

        private static void Generate(SourceProductionContext output, (string Path, string Text) file,
            ImmutableArray<(string Path, string Role, string Namespace, string ClassName)> sources, string rootNamespace,
            IReadOnlyDictionary<string, MappedStruct> structs)
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

            var emitter = new LauncherEmitter(kernel, className, @namespace, structs);
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
