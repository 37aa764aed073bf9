using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests.Integration.FaultInjection;

/// <summary>
/// The fault-injecting NVRTC stand-in (faulty_nvrtc.c), built with gcc once per test run against the real NVRTC
/// of this machine. Tests point NvrtcPath at it and set <see cref="Variable"/> to make one call fail.
/// Reports Assert.Inconclusive, never a pass, where gcc or NVRTC is missing.
/// </summary>
internal static class FaultyNvrtc
{
    /// <summary>&lt;entry point&gt;:&lt;nvrtcResult&gt;:&lt;substring of the program name&gt;.</summary>
    public const string Variable = "KB_FAULTY_NVRTC";

    private static readonly Lazy<(string? Path, string? Why)> s_library = new(Build);

    /// <summary>The stand-in library's path.</summary>
    public static string Path
    {
        get
        {
            Requirements.Nvrtc();
            Requirements.Tool("gcc");
            (string? path, string? why) = s_library.Value;
            if (path == null) Assert.Inconclusive(why ?? "The NVRTC stand-in is unavailable.");
            return path!;
        }
    }

    /// <summary>The fault setting that makes <paramref name="entryPoint"/> fail for programs named with <paramref name="nameContains"/>.</summary>
    public static string Fault(string entryPoint, NvrtcResult result, string nameContains) => $"{entryPoint}:{(int)result}:{nameContains}";

    private static (string?, string?) Build()
    {
        string real = NvrtcLibrary.Load(NvrtcLocator.ForThisMachine().Locate(null)).Path;
        string source = System.IO.Path.Combine(AppContext.BaseDirectory, "Integration", "FaultInjection", "faulty_nvrtc.c");
        if (!File.Exists(source)) return (null, "The stand-in's C source was not copied to the test output: " + source);
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kb-faulty-nvrtc-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        string library = System.IO.Path.Combine(folder, "libnvrtc.so.11.2");
        (int exit, string output) = ExternalTool.Run("gcc", ["-shared", "-fPIC", "-O1", "-Wall", $"-DREAL_NVRTC=\"{real}\"", "-o", library, source, "-ldl", "-lpthread"],
            folder, TimeSpan.FromMinutes(2));
        return exit == 0 ? (library, null) : (null, "gcc could not build the NVRTC stand-in:" + Environment.NewLine + output);
    }
}
