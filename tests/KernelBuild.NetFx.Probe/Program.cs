using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelBuild.Tasks;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Scanning;
using KernelBuild.Tasks.State;
using Microsoft.Build.Framework;

namespace KernelBuild.NetFx.Probe
{
    /// <summary>
    /// Each check prints "ok &lt;name&gt;" or "FAILED &lt;name&gt;: why"; the exit code is the number of failures. What the
    /// checks compute is compared with what the .NET flavour computes for the same input (the unit tests' cases).
    /// </summary>
    internal static class Program
    {
        private static int s_failures;

        private static int Main()
        {
            Console.WriteLine("runtime " + Environment.Version + (Type.GetType("Mono.Runtime") != null ? " (Mono)" : ""));
            Console.WriteLine("task assembly " + typeof(ReadCudaKernelDependencies).Assembly.Location);
            Console.WriteLine("MSBuild API " + typeof(Microsoft.Build.Utilities.Task).Assembly.Location);
            string root = Path.Combine(Path.GetTempPath(), "kb-netfx-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(root);
            try
            {
                Check("flavour", Flavour);
                Check("options", () => Options(root));
                Check("scan", () => Scan(root));
                Check("state", () => StateRoundTrip(root));
                Check("task", () => ReadDependenciesTask(root));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
            return s_failures;
        }

        private static void Check(string name, Func<string?> check)
        {
            string? failure;
            try
            {
                failure = check();
            }
            catch (Exception e)
            {
                failure = e.ToString();
            }
            if (failure == null)
            {
                Console.WriteLine("ok " + name);
            }
            else
            {
                Console.WriteLine("FAILED " + name + ": " + failure);
                s_failures++;
            }
        }

        /// <summary>The net472 task assembly and the .NET Framework build of MSBuild's API, nothing else.</summary>
        private static string? Flavour()
        {
            string task = TargetFrameworkOf(typeof(ReadCudaKernelDependencies));
            string msbuild = TargetFrameworkOf(typeof(Microsoft.Build.Utilities.Task));
            Console.WriteLine("task assembly built for " + task + "; MSBuild API built for " + msbuild);
            return task.StartsWith(".NETFramework", StringComparison.Ordinal) && msbuild.StartsWith(".NETFramework", StringComparison.Ordinal)
                ? null : "not the .NET Framework flavours";
        }

        private static string TargetFrameworkOf(Type type) =>
            type.Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
                .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Select(a => a.FrameworkName).FirstOrDefault() ?? "(none)";

        private static string? Options(string root)
        {
            TargetArchitecture.TryParse("sm_80", out TargetArchitecture? architecture);
            var settings = new KernelCompileSettings { Options = CudaOptionsParser.Parse("c++17", "include;more", "A;B=2", "--use_fast_math", root) };
            string actual = string.Join(" ", NvrtcOptionsBuilder.Build(settings, architecture!));
            string expected = "-arch=sm_80 -std=c++17 -I" + Path.Combine(root, "include") + " -I" + Path.Combine(root, "more") + " -DA -DB=2 --use_fast_math";
            return actual == expected ? null : "got '" + actual + "', expected '" + expected + "'";
        }

        /// <summary>A kernel that includes a header through a subfolder and one through an include directory.</summary>
        private static string? Scan(string root)
        {
            Write(root, "src/k.cu", "#include \"device/step.cuh\"\n#include <common.h>\n__global__ void k() {}\n");
            Write(root, "src/device/step.cuh", "#pragma once\n#include \"../detail/impl.cuh\"\n");
            Write(root, "src/detail/impl.cuh", "#pragma once\n");
            Write(root, "inc/common.h", "#pragma once\n");
            IncludeScanResult result = IncludeScanner.Scan(new IncludeScanRequest
            {
                SourcePath = Path.Combine(root, "src", "k.cu"),
                IncludeDirectories = new[] { Path.Combine(root, "inc") },
            });
            string[] expected = { "inc/common.h", "src/detail/impl.cuh", "src/device/step.cuh", "src/k.cu" };
            string[] actual = result.Files.Select(f => f.Path.Substring(root.Length + 1).Replace('\\', '/')).OrderBy(p => p, StringComparer.Ordinal).ToArray();
            if (!result.Complete) return "scan incomplete";
            return actual.SequenceEqual(expected) ? null : "got " + string.Join(", ", actual);
        }

        private static string? StateRoundTrip(string root)
        {
            string path = Path.Combine(root, BuildStateFile.FileName);
            BuildState state = SampleState(root);
            BuildStateFile.Write(path, state);
            BuildState? read = BuildStateFile.TryRead(path, out string? problem);
            if (read == null) return "could not read back: " + problem;
            return BuildStateFile.Serialize(read) == BuildStateFile.Serialize(state) ? null : "differs after the round trip";
        }

        /// <summary>A task as MSBuild runs it: constructed, given a build engine and parameters, executed.</summary>
        private static string? ReadDependenciesTask(string root)
        {
            var task = new ReadCudaKernelDependencies { BuildEngine = new ProbeBuildEngine(), StateFile = Path.Combine(root, BuildStateFile.FileName) };
            if (!task.Execute()) return "Execute returned false";
            string[] items = task.Dependencies.Select(i => i.ItemSpec).ToArray();
            string expected = Path.Combine(root, "src", "k.cu");
            return items.Length == 1 && items[0] == expected ? null : "got " + string.Join(", ", items);
        }

        private static BuildState SampleState(string root)
        {
            string source = Path.Combine(root, "src", "k.cu");
            var state = new BuildState { Compiler = new CompilerRecord { Identity = "abc", Name = "NVRTC 11.8" } };
            state.Compiler.SupportedArchitectures.AddRange(new[] { 52, 80 });
            state.Files[source] = new TrackedFile(source, new FileStamp(true, 10, 20, 30, 40), "ff");
            var kernel = new KernelRecord { RelativePath = "src/k.cu", Fingerprint = "fp" };
            kernel.EntryPoints.Add("k");
            kernel.Outputs.Add(new OutputRecord { Architecture = "sm_80", Kind = OutputKind.Cubin, RelativePath = "src/k.sm_80.cubin", Stamp = new FileStamp(true, 1, 2, 3, 4), Sha256 = "aa" });
            kernel.Dependencies.Add(source);
            state.Kernels["src/k.cu"] = kernel;
            return state;
        }

        private static void Write(string root, string relativePath, string content)
        {
            string path = Path.Combine(root, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        /// <summary>The least of a build engine: messages go to the console.</summary>
        private sealed class ProbeBuildEngine : IBuildEngine
        {
            public bool ContinueOnError => false;
            public int LineNumberOfTaskNode => 0;
            public int ColumnNumberOfTaskNode => 0;
            public string ProjectFileOfTaskNode => "probe";
            public void LogErrorEvent(BuildErrorEventArgs e) => Console.WriteLine("error " + e.Code + ": " + e.Message);
            public void LogWarningEvent(BuildWarningEventArgs e) => Console.WriteLine("warning " + e.Code + ": " + e.Message);
            public void LogMessageEvent(BuildMessageEventArgs e) => Console.WriteLine("message: " + e.Message);
            public void LogCustomEvent(CustomBuildEventArgs e) { }
            public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => false;
        }
    }
}
