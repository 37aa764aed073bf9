using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace KernelBuild.Generator.Tests;

/// <summary>
/// The [CudaStruct] structs are found through the compiler's attribute index, and each is reduced to an equatable
/// value: an edit of another file gives equal values and regenerates no launcher; an edit of a mapped struct changes
/// its value and the launchers follow.
/// </summary>
[TestClass]
public sealed class IncrementalityTests
{
    private const string Struct = """
        namespace App;
        [KernelBuild.Runtime.CudaStruct("ns::Particle")]
        public struct Particle { public float X; public float Y; public int Id; }
        """;

    [TestMethod]
    public void EditOfAnotherFile_RegeneratesNoLauncher()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree other = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Other", StringComparison.Ordinal));

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(other, other.WithChangedText(SourceText.From("namespace App; public static class Other { public const int Value = 2; }"))));

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        // The layout is computed again from the new compilation (its symbols are new), and is equal: nothing after it runs.
        IncrementalStepRunReason[] structs = Reasons(result.TrackedSteps[LauncherGenerator.StructsStep]);
        Assert.IsTrue(structs.Length == 1 && structs[0] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, string.Join(", ", structs));
        Assert.IsTrue(Reasons(result.TrackedOutputSteps.SelectMany(s => s.Value)).All(r => r == IncrementalStepRunReason.Cached), "a launcher was regenerated");
    }

    [TestMethod]
    public void EditOfTheStruct_RecomputesIt()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree particle = compilation.SyntaxTrees.Single(t => t.ToString().Contains("struct Particle", StringComparison.Ordinal));

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(particle, particle.WithChangedText(SourceText.From(Struct.Replace("public int Id;", "", StringComparison.Ordinal)))));

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        CollectionAssert.AreEquivalent(new[] { IncrementalStepRunReason.Modified }, Reasons(result.TrackedSteps[LauncherGenerator.StructsStep]));
        Assert.AreEqual("KB5104", result.Diagnostics.Single().Id); // now 8 bytes against the kernel's 12
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create("App",
            [CSharpSyntaxTree.ParseText(Struct, parse), CSharpSyntaxTree.ParseText("namespace App; public static class Other { public const int Value = 1; }", parse)],
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(Signatures.Particles, trackSteps: true).RunGenerators(compilation);
        Assert.AreEqual(0, driver.GetRunResult().Diagnostics.Length, string.Join("\n", driver.GetRunResult().Diagnostics));
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] Reasons(IEnumerable<IncrementalGeneratorRunStep> steps) =>
        [.. steps.SelectMany(s => s.Outputs).Select(o => o.Reason)];
}
