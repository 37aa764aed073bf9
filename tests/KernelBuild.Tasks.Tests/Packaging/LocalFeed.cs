using System.Text;
using KernelBuild.Tasks.Tests.Integration;

namespace KernelBuild.Tasks.Tests.Packaging;

/// <summary>
/// The KernelBuild and KernelBuild.Runtime packages packed from this working tree into a temporary folder feed,
/// with a version no real feed or cache has, and consumer projects restored from it into an isolated NuGet cache:
/// exactly what `dotnet add package KernelBuild` gives a user, with nothing taken from the repository at build time.
/// </summary>
internal sealed class LocalFeed : IDisposable
{
    private LocalFeed(string root, string version)
    {
        Root = root;
        Version = version;
    }

    /// <summary>Holds nuget.config, the feed, the package cache and the consumer projects.</summary>
    public string Root { get; }
    public string Version { get; }
    public string FeedFolder => Path.Combine(Root, "feed");
    public string PackagesFolder => Path.Combine(Root, "packages");

    /// <summary>
    /// Packs both packages in Release (the tests run from Debug, so the test host's own assemblies are never
    /// rebuilt under it).
    /// </summary>
    public static LocalFeed Pack()
    {
        string root = Path.Combine(Path.GetTempPath(), "kb-pack-tests", Guid.NewGuid().ToString("N")[..12]);
        string version = "0.0.1-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
        var feed = new LocalFeed(root, version);
        Directory.CreateDirectory(feed.FeedFolder);
        foreach (string project in new[] { "src/Runtime/KernelBuild.Runtime.csproj", "src/Package/KernelBuild.csproj" })
        {
            BuildRun run = ThrowawayProject.Dotnet(["pack", Path.Combine(ThrowawayProject.RepositoryRoot, project), "-nodeReuse:false",
                "-c", "Release", "-p:Version=" + version, "-p:PackageOutputPath=" + feed.FeedFolder + "/"],
                timeout: TimeSpan.FromMinutes(15)); // a Release build of four projects: 3 min on a quiet 2-core machine, over 5 at load 24

            if (!run.Succeeded) throw new InvalidOperationException("dotnet pack " + project + " failed:\n" + run);
        }
        feed.WriteNuGetConfig();
        return feed;
    }

    public string PackagePath(string id) => Path.Combine(FeedFolder, id + "." + Version + ".nupkg");

    /// <summary>
    /// The feed is added to, not substituted for, the sources the user's NuGet configuration already lists: a
    /// consumer may need other packages from them (no &lt;clear/&gt;).
    /// </summary>
    private void WriteNuGetConfig() => File.WriteAllText(Path.Combine(Root, "nuget.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n" +
        $"    <add key=\"kernelbuild-local\" value=\"{FeedFolder}\" />\n" +
        "  </packageSources>\n</configuration>\n");

    /// <summary>Writes a file under <see cref="Root"/>, creating folders.</summary>
    public string Write(string relativePath, string content)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A consumer project, as `dotnet new` writes one, with KernelBuild referenced by package when asked.</summary>
    public string WriteProject(string folder, string outputType, bool referenceKernelBuild, string? extraItems = null, string? extraProperties = null)
    {
        var text = new StringBuilder();
        text.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine($"    <OutputType>{outputType}</OutputType>");
        text.AppendLine("    <TargetFramework>net10.0</TargetFramework>");
        text.AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        text.AppendLine("    <Deterministic>true</Deterministic>");
        text.AppendLine("    <CudaArchitectures>compute_52;sm_80</CudaArchitectures>");
        if (extraProperties != null) text.AppendLine(extraProperties);
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine("  <ItemGroup>");
        if (referenceKernelBuild) text.AppendLine($"    <PackageReference Include=\"KernelBuild\" Version=\"{Version}\" />");
        if (extraItems != null) extraItems = extraItems.Replace("$(KernelBuildVersion)", Version, StringComparison.Ordinal);
        if (extraItems != null) text.AppendLine(extraItems);
        text.AppendLine("  </ItemGroup>");
        text.AppendLine("</Project>");
        return Write(Path.Combine(folder, folder + ".csproj"), text.ToString());
    }

    /// <summary>`dotnet` in <see cref="Root"/> (so nuget.config applies) with the isolated package cache.</summary>
    public BuildRun Dotnet(params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
            ["NUGET_PACKAGES"] = PackagesFolder,
        };
        var (exitCode, output) = ExternalTool.Run("dotnet", arguments, Root, TimeSpan.FromMinutes(5), environment);
        return new BuildRun(exitCode, output);
    }

    public BuildRun Build(string projectFile, params string[] arguments) =>
        Dotnet(["build", projectFile, "-nodeReuse:false", "-v:n", "-clp:NoSummary", .. arguments]);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
