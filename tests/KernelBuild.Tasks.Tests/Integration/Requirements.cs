using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests;

/// <summary>Preconditions of tests that need tools outside .NET: they are Inconclusive, never passing, without them.</summary>
internal static class Requirements
{
    private static readonly Lazy<string?> s_nvrtc = new(() =>
    {
        try { return NvrtcLibrary.Load(NvrtcLocator.ForThisMachine().Locate(null)).Path; }
        catch (NvrtcNotFoundException) { return null; }
    });

    public static void Nvrtc()
    {
        if (s_nvrtc.Value == null) Assert.Inconclusive("NVRTC is not installed (run eng/install-nvrtc.sh).");
    }

    public static void Tool(string name)
    {
        if (ExternalTool.FindOnPath(name) == null) Assert.Inconclusive(name + " is not installed.");
    }
}
