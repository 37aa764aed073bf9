using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>
/// CudaAdditionalOptions through the real `dotnet build`: files that options pull in (pre-includes, headers chosen
/// by -D and -U) are in the .d file, and editing them rebuilds the kernel with the new code.
/// </summary>
[TestClass]
public sealed class OptionPathTests
{
    private const string Arch = "<CudaArchitectures>compute_52</CudaArchitectures>";

    private const string SelectingKernel =
        "#ifdef USE_B\n#include \"b.cuh\"\n#else\n#include \"a.cuh\"\n#endif\n" +
        "extern \"C\" __global__ void k(int* p) { p[0] = VALUE; }\n";

    [TestInitialize]
    public void RequireNvrtc() => Requirements.Nvrtc();


    private static string Ptx(ThrowawayProject project) => File.ReadAllText(project.OutputOf("k.compute_52.ptx"));

    private static string DependencyFile(ThrowawayProject project) => File.ReadAllText(project.OutputOf("k.cu.d"));

    private static ThrowawayProject Project(string properties)
    {
        var project = new ThrowawayProject(Arch + properties);
        project.Write("k.cu", SelectingKernel);
        project.Write("a.cuh", "#define VALUE 1111\n");
        project.Write("b.cuh", "#define VALUE 2222\n");
        return project;
    }

    private static BuildRun BuildSucceeds(ThrowawayProject project)
    {
        BuildRun run = project.Build();
        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.DoesNotContain("KB3001", run.Output, "every file the options pull in can be tracked");
        return run;
    }

    /// <summary>Edits <paramref name="header"/> and checks that the kernel alone is rebuilt, with the new value.</summary>
    private static void EditRebuilds(ThrowawayProject project, string header, string content, string valueInPtx)
    {
        project.Write(header, content);
        BuildRun run = BuildSucceeds(project);
        CollectionAssert.AreEqual(new[] { "k.cu" }, run.Compiled);
        StringAssert.Contains(Ptx(project), valueInPtx);
    }

    [TestMethod]
    [DataRow("--pre-include=common/pre.cuh")]
    [DataRow("-include common/pre.cuh")]
    public void ProjectRelativePreIncludeIsTracked(string option)
    {
        using var project = new ThrowawayProject(Arch + $"<CudaAdditionalOptions>{option}</CudaAdditionalOptions>");
        project.Write("k.cu", "extern \"C\" __global__ void k(int* p) { p[0] = PRE_VALUE; }\n");
        project.Write("common/pre.cuh", "#define PRE_VALUE 4242\n");

        BuildSucceeds(project);
        StringAssert.Contains(Ptx(project), "4242");
        StringAssert.Contains(DependencyFile(project), " " + project.PathOf("common/pre.cuh"));

        EditRebuilds(project, "common/pre.cuh", "#define PRE_VALUE 9797\n", "9797");
    }

    [TestMethod]
    public void SplitDefineSelectsATrackedHeader()
    {
        using var project = Project("<CudaAdditionalOptions>-D USE_B</CudaAdditionalOptions>");

        BuildSucceeds(project);
        StringAssert.Contains(Ptx(project), "2222");
        StringAssert.Contains(DependencyFile(project), " " + project.PathOf("b.cuh"));

        EditRebuilds(project, "b.cuh", "#define VALUE 3333\n", "3333");
    }

    [TestMethod]
    public void UndefineOfADefineConstantSelectsATrackedHeader()
    {
        using var project = Project("<CudaDefineConstants>USE_B</CudaDefineConstants><CudaAdditionalOptions>-U USE_B</CudaAdditionalOptions>");

        BuildSucceeds(project);
        StringAssert.Contains(Ptx(project), "1111");
        StringAssert.Contains(DependencyFile(project), " " + project.PathOf("a.cuh"));

        EditRebuilds(project, "a.cuh", "#define VALUE 5555\n", "5555");
    }

    [TestMethod]
    public void AnOptionMissingItsValueIsAClearError()
    {
        using var project = Project("<CudaAdditionalOptions>-lineinfo --pre-include</CudaAdditionalOptions>");

        BuildRun run = project.Build();

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Matches(run.Output, new Regex(@"Throwaway\.csproj : error KB2001: Invalid options for CUDA kernel \S*k\.cu: '--pre-include' at the end of CudaAdditionalOptions has no value\. "));
        Assert.DoesNotContain("MSB4018", run.Output);
    }
}
