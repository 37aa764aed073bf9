using System.Text.RegularExpressions;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;
using KernelBuild.Tasks.Tests.Dependencies;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>The `.d` files KernelBuild writes parse in GNU make and as ninja depfiles, special characters included.</summary>
[TestClass]
public sealed class DependencyFileToolsTests
{
    // A folder name with a space, '#' and '$': the characters Make escaping exists for.
    private const string AwkwardFolder = "inc dir#1$x";

    private static (ThrowawayProject Project, string DepFile, string[] Expected) BuildAwkwardProject()
    {
        var project = new ThrowawayProject($"<CudaArchitectures>compute_52</CudaArchitectures><CudaIncludeDirectories>{AwkwardFolder}</CudaIncludeDirectories>");
        project.Write($"{AwkwardFolder}/odd name.cuh", "#pragma once\n__device__ int odd() { return 3; }\n");
        project.Write("k.cu", "#include \"odd name.cuh\"\nextern \"C\" __global__ void k(int* p) { p[0] = odd(); }\n");
        BuildRun run = project.Build();
        Assert.IsTrue(run.Succeeded, run.ToString());
        return (project, project.OutputOf("k.cu.d"), [project.PathOf("k.cu"), project.PathOf($"{AwkwardFolder}/odd name.cuh")]);
    }

    [TestMethod]
    public void GnuMakeReadsTheDependencyFile()
    {
        Requirements.Nvrtc();
        Requirements.Tool("make");
        var (project, depfile, expected) = BuildAwkwardProject();
        using (project)
        {
            string target = project.OutputOf("k.compute_52.ptx");
            using var work = new TempTree();
            File.Copy(depfile, Path.Combine(work.Root, "k.d"));
            // The recipe prints the prerequisites make read for the target, through make's own $(info), no shell.
            File.WriteAllText(Path.Combine(work.Root, "Makefile"),
                $"all: {DependencyFile.Escape(target)}\ninclude k.d\n{DependencyFile.Escape(target)}:\n\t@:$(info DEPS:$^)\n");

            var result = Run("make", work.Root, "-B", "-f", "Makefile");

            Assert.AreEqual(0, result.ExitCode, result.Output);
            string line = result.Output.Split('\n').Single(l => l.StartsWith("DEPS:"));
            Assert.AreEqual("DEPS:" + string.Join(" ", expected), line.TrimEnd());
        }
    }

    [TestMethod]
    public void NinjaReadsTheDependencyFile()
    {
        Requirements.Nvrtc();
        Requirements.Tool("ninja");
        var (project, depfile, expected) = BuildAwkwardProject();
        using (project)
        {
            string target = project.OutputOf("k.compute_52.ptx");
            using var work = new TempTree();
            File.Copy(depfile, Path.Combine(work.Root, "source.d"));
            // ninja deletes a gcc-style depfile after reading it, so the edge copies ours into place.
            File.WriteAllText(Path.Combine(work.Root, "build.ninja"),
                "rule copy_depfile\n  command = cp source.d out.d\n  depfile = out.d\n  deps = gcc\n" +
                $"build {NinjaEscape(target)}: copy_depfile\n");
            File.Delete(target); // so the edge runs

            var build = Run("ninja", work.Root);
            Assert.AreEqual(0, build.ExitCode, build.Output);
            var deps = Run("ninja", work.Root, "-t", "deps");

            Assert.AreEqual(0, deps.ExitCode, deps.Output);
            string[] listed = deps.Output.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            CollectionAssert.AreEqual(expected, listed, deps.Output);
        }
    }

    private static string NinjaEscape(string path) => Regex.Replace(path, "[ :$]", m => "$" + m.Value);

    private static (int ExitCode, string Output) Run(string tool, string workingDirectory, params string[] arguments) =>
        ExternalTool.Run(tool, arguments, workingDirectory, TimeSpan.FromMinutes(1));
}
