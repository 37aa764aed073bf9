using System.Reflection;
using System.Text;

namespace KernelBuild.Tasks.Tests.Integration;

/// <summary>The outcome of one `dotnet build` of a throwaway project.</summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The kernels this build compiled (its `Compiling CUDA kernel` lines at `-v:n`), in ordinal order.</summary>
    public List<string> Compiled => CompiledIn(Output);

    /// <summary>The kernels a build log says were compiled; paths may hold spaces.</summary>
    public static List<string> CompiledIn(string log) =>
        System.Text.RegularExpressions.Regex.Matches(log, @"Compiling CUDA kernel (.+?) \(").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();

    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>
/// A project in a temporary folder that imports KernelBuild's props and targets from this repository and uses
/// the task assembly built next to the tests. Drives the real `dotnet build` / `dotnet clean`.
/// </summary>
public sealed class ThrowawayProject : IDisposable
{
    public ThrowawayProject(string? extraProperties = null, string? extraItems = null, bool importKernelBuild = true)
    {
        Directory = Path.Combine(Path.GetTempPath(), "kb-tests", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        WriteProject(extraProperties, extraItems, importKernelBuild);
    }

    public string Directory { get; }
    public string ProjectFile => Path.Combine(Directory, "Throwaway.csproj");
    public string OutputFolder => Path.Combine(Directory, "obj", "Debug", "net10.0", "cuda");
    public string AssemblyPath => Path.Combine(Directory, "bin", "Debug", "net10.0", "Throwaway.dll");
    /// <summary>The C# compiler's output, which the build copies to <see cref="AssemblyPath"/>.</summary>
    public string IntermediateAssemblyPath => Path.Combine(Directory, "obj", "Debug", "net10.0", "Throwaway.dll");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The kernel bundle beside an assembly, named after it (EmbedCudaKernels=false; docs/formats.md).</summary>
    public static string BundleBeside(string assemblyPath) => Path.ChangeExtension(assemblyPath, ".cudakernels");

    /// <summary>
    /// The task assembly in its own build output, where the compile worker lies beside it
    /// (the copy next to the tests has no worker). Same configuration as the tests.
    /// </summary>
    public static string TasksAssembly { get; } = Path.Combine(RepositoryRoot, "src", "Tasks", "bin",
        typeof(ThrowawayProject).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug",
        "netstandard2.0", "KernelBuild.Tasks.dll");

    public void WriteProject(string? extraProperties, string? extraItems, bool importKernelBuild = true)
    {
        string targets = Path.Combine(RepositoryRoot, "targets");
        var text = new StringBuilder();
        text.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        if (importKernelBuild) text.AppendLine($"  <Import Project=\"{targets}/KernelBuild.props\" />");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine("    <TargetFramework>net10.0</TargetFramework>");
        text.AppendLine("    <Deterministic>true</Deterministic>");
        text.AppendLine($"    <KernelBuildTasksAssembly>{TasksAssembly}</KernelBuildTasksAssembly>");
        // Debug builds keep the kernel bundle beside the assembly by default; these tests build in Debug but check the
        // layout that ships, embedded, where the C# compile is part of every kernel change. A test of the bundle, or
        // of the defaults (DefaultLayoutTests), sets it again after this line.
        if (importKernelBuild) text.AppendLine("    <EmbedCudaKernels>true</EmbedCudaKernels>");
        if (extraProperties != null) text.AppendLine(extraProperties);
        text.AppendLine("  </PropertyGroup>");
        if (extraItems != null) text.AppendLine("  <ItemGroup>").AppendLine(extraItems).AppendLine("  </ItemGroup>");
        if (importKernelBuild) text.AppendLine($"  <Import Project=\"{targets}/KernelBuild.targets\" />");
        text.AppendLine("</Project>");
        File.WriteAllText(ProjectFile, text.ToString());
        if (!File.Exists(Path.Combine(Directory, "Program.cs")))
        {
            File.WriteAllText(Path.Combine(Directory, "Program.cs"), "public static class Anchor { public const int Value = 1; }\n");
        }
    }

    /// <summary>Writes a file under the project folder, creating folders.</summary>
    public string Write(string relativePath, string content)
    {
        string path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>
    /// Files written less than 2 s before a build are recorded with unverified stamps, hashed again by the next build
    /// (FileStamp.BeforeRead). Tests that need settled stamps wait this long after writing their sources.
    /// </summary>
    public static void WaitPastTimestampGranularity() => Thread.Sleep(TimeSpan.FromSeconds(2.5));

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);
    public string OutputOf(string relativePath) => Path.Combine(OutputFolder, relativePath);

    public BuildRun Build(params string[] arguments) => Dotnet(["build", ProjectFile, "-nodeReuse:false", "-v:n", "-clp:NoSummary", .. arguments]);
    public BuildRun Clean() => Dotnet(["clean", ProjectFile, "-nodeReuse:false", "-v:n"]);

    public static BuildRun Dotnet(string[] arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        };
        var (exitCode, output) = ExternalTool.Run("dotnet", arguments, workingDirectory ?? Path.GetTempPath(), timeout ?? TimeSpan.FromMinutes(5), environment);
        return new BuildRun(exitCode, output);
    }

    /// <summary>
    /// Names of the resources the built assembly carries for KernelBuild, the embedded kernel bundle opened
    /// (<see cref="AssemblyResources.KernelBuildResources"/>): the manifest and the images, by the names the runtime
    /// reads them by.
    /// </summary>
    public IReadOnlyList<string> EmbeddedResources() =>
        AssemblyResources.KernelBuildResources(AssemblyPath).Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>One of <see cref="EmbeddedResources"/>, its bytes.</summary>
    public byte[] EmbeddedResource(string name) =>
        AssemblyResources.KernelBuildResources(AssemblyPath).TryGetValue(name, out byte[]? bytes)
            ? bytes
            : throw new AssertFailedException("resource " + name + " not embedded");

    /// <summary>The manifest resources of the built assembly as the C# compile embedded them, by name, sorted.</summary>
    public IReadOnlyList<string> AssemblyResourceNames() =>
        AssemblyResources.Read(AssemblyPath).Keys.Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindRepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "KernelBuild.sln"))) return dir;
        }
        throw new InvalidOperationException("KernelBuild.sln not found above " + AppContext.BaseDirectory);
    }
}
