using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Output;

[TestClass]
public sealed class DeclarationFinderTests
{
    [TestMethod]
    public void Find_GivesLineDeclarationAndParameterNames_WithoutThePrecedingComment()
    {
        const string source = "#include \"step.cuh\"\n\n// Adds step().\nextern \"C\" __global__ void increment(int* __restrict__ data,\n    const int n)\n{\n}\n";

        FoundDeclaration found = DeclarationFinder.Find(source, "increment", 2)!;

        Assert.AreEqual(4, found.Line);
        Assert.AreEqual("extern \"C\" __global__ void increment(int* __restrict__ data, const int n)", found.Text);
        CollectionAssert.AreEqual(new[] { "data", "n" }, found.ParameterNames);
    }

    [TestMethod]
    public void Find_TemplateOnThePreviousLine_IsPartOfTheDeclaration()
    {
        const string source = "namespace ops {\ntemplate <typename T>\n__global__ void scale(T* data, T factor, int n) { }\n}\n";

        FoundDeclaration found = DeclarationFinder.Find(source, "scale", 3)!;

        Assert.AreEqual(3, found.Line);
        Assert.AreEqual("template <typename T> __global__ void scale(T* data, T factor, int n)", found.Text);
    }

    [TestMethod]
    public void Find_SkipsCallsAndHostFunctionsOfTheSameName()
    {
        const string source = "void run() { go(1); }\n__global__ void go(int count) { }\n";

        Assert.AreEqual(2, DeclarationFinder.Find(source, "go", 1)!.Line);
    }

    [TestMethod]
    public void Find_UnnamedParameters_AreNumbered()
    {
        FoundDeclaration found = DeclarationFinder.Find("__global__ void k(float, int n, geo::Point) { }", "k", 3)!;

        CollectionAssert.AreEqual(new[] { "arg0", "n", "arg2" }, found.ParameterNames);
    }

    [TestMethod]
    public void Find_ParameterCountDiffersFromTheCompilers_NumbersThemAll()
    {
        // A macro expands to more parameters than the text shows: the text's names cannot be trusted.
        FoundDeclaration found = DeclarationFinder.Find("#define ARGS int a, int b\n__global__ void k(ARGS) { }", "k", 2)!;

        CollectionAssert.AreEqual(new[] { "arg0", "arg1" }, found.ParameterNames);
    }

    [TestMethod]
    public void Find_DeclarationNotInTheFile_IsNull()
    {
        Assert.IsNull(DeclarationFinder.Find("#include \"kernels.cuh\"\n", "k", 0));
    }
}
