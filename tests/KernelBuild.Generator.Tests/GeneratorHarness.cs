using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using KernelBuild.Generator;
using KernelBuild.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KernelBuild.Generator.Tests;

/// <summary>What one generator run gave: the generated sources, the generator's diagnostics, and the compile of it all.</summary>
internal sealed record GeneratorRun(IReadOnlyList<string> Generated, IReadOnlyList<Diagnostic> GeneratorDiagnostics, IReadOnlyList<Diagnostic> CompileErrors, Compilation Output)
{
    public string Source => string.Join("\n", Generated);

    public string CompileErrorText => string.Join("\n", CompileErrors.Select(d => d.ToString()));

    public string DiagnosticText => string.Join("\n", GeneratorDiagnostics.Select(d => d.ToString()));

    /// <summary>The compiled user code and generated launchers, loaded into a collectible context to run what needs no GPU.</summary>
    public Assembly Load()
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = Output.Emit(image);
        Assert.IsTrue(result.Success, string.Join("\n", result.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext("generated", isCollectible: true).LoadFromStream(image);
    }
}

/// <summary>
/// Runs <see cref="LauncherGenerator"/> as the compiler does in a build: the signature files and the CudaKernel items
/// as AdditionalFiles with the metadata the targets give them, the root namespace as a global option; then compiles
/// the user's code with what it generated against the real runtime assembly.
/// </summary>
internal static class GeneratorHarness
{
    public const string KernelPath = "/project/kernels/saxpy.cu";

    private static readonly ImmutableArray<MetadataReference> s_references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
        .Append(typeof(CudaGpu).Assembly.Location)
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .ToImmutableArray();

    public static ImmutableArray<MetadataReference> References => s_references;

    public static GeneratorRun Run(string signatures, string userCode = "", string rootNamespace = "App", string? itemNamespace = null, string? itemClassName = null,
        bool allowUnsafe = false)
    {
        CSharpCompilation compilation = CSharpCompilation.Create("App",
            [CSharpSyntaxTree.ParseText(userCode, new CSharpParseOptions(LanguageVersion.Latest))],
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: allowUnsafe));

        GeneratorDriver driver = CreateDriver(signatures, rootNamespace, itemNamespace, itemClassName);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRun(
            result.GeneratedTrees.Select(t => t.ToString()).ToList(),
            generatorDiagnostics,
            output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList(),
            output);
    }

    /// <summary>The generator with one signature file and its CudaKernel item; <paramref name="trackSteps"/> records each pipeline step's run reason.</summary>
    public static GeneratorDriver CreateDriver(string signatures, string rootNamespace = "App", string? itemNamespace = null, string? itemClassName = null, bool trackSteps = false)
    {
        var additionalFiles = new List<(AdditionalText, Dictionary<string, string>)>
        {
            (new InMemoryText("/project/obj/cuda/kernels/saxpy.cu.signatures", signatures), Metadata("signatures", null, null)),
            (new InMemoryText(KernelPath, "// never read by the generator"), Metadata("source", itemNamespace, itemClassName)),
        };
        return CSharpGeneratorDriver.Create(
            [new LauncherGenerator().AsSourceGenerator()],
            additionalFiles.Select(f => f.Item1),
            new CSharpParseOptions(LanguageVersion.Latest),
            new OptionsProvider(additionalFiles, rootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
    }

    private static Dictionary<string, string> Metadata(string role, string? @namespace, string? className)
    {
        var metadata = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.KernelBuildRole"] = role };
        if (@namespace != null) metadata["build_metadata.AdditionalFiles.KernelBuildNamespace"] = @namespace;
        if (className != null) metadata["build_metadata.AdditionalFiles.KernelBuildClassName"] = className;
        return metadata;
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }

    private sealed class OptionsProvider(List<(AdditionalText Text, Dictionary<string, string> Metadata)> files, string rootNamespace) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string> { ["build_property.RootNamespace"] = rootNamespace });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(files.First(f => f.Text.Path == textFile.Path).Metadata);
    }
}
