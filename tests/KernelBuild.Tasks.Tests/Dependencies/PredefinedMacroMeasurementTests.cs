using System.Text;
using System.Text.RegularExpressions;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>
/// Re-measures what the scanner assumes of NVRTC 11.8's predefined macros: the names it takes as undefined
/// (PredefinedMacros.IsAbsentFromNvrtc118) occur nowhere in NVRTC 11.8's compiler library, and its built-in
/// headers (in libnvrtc-builtins) never #define or #undef one. Inconclusive where NVRTC 11.8 is not installed.
/// </summary>
[TestClass]
public sealed partial class PredefinedMacroMeasurementTests
{
    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]{2,}")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"#\s*(?:define|undef)\s+([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex DefineOrUndef();

    [TestMethod]
    public void NamesTakenAsUndefinedAreAbsentFromNvrtc118()
    {
        string library = Nvrtc118Library();
        string text = Encoding.Latin1.GetString(File.ReadAllBytes(library));
        string[] present = Identifier().Matches(text).Select(m => m.Value).Distinct()
            .Where(name => PredefinedMacros.IsReserved(name) && PredefinedMacros.IsAbsentFromNvrtc118(name)).ToArray();
        Assert.AreEqual(0, present.Length, "In " + library + ": " + string.Join(" ", present));

        string builtins = Directory.GetFiles(Path.GetDirectoryName(library)!, "libnvrtc-builtins.so.11.8*").FirstOrDefault()
            ?? throw new AssertInconclusiveException("libnvrtc-builtins.so.11.8 is not beside " + library);
        string headers = Encoding.Latin1.GetString(File.ReadAllBytes(builtins));
        Assert.IsTrue(DefineOrUndef().Matches(headers).Count > 1000, "The built-in headers are not stored as text any more: measure again.");
        string[] defined = DefineOrUndef().Matches(headers).Select(m => m.Groups[1].Value).Distinct()
            .Where(name => PredefinedMacros.IsReserved(name) && PredefinedMacros.IsAbsentFromNvrtc118(name)).ToArray();
        Assert.AreEqual(0, defined.Length, "Defined by the built-in headers: " + string.Join(" ", defined));
    }

    [TestMethod]
    public void TheMeasuredFamiliesMatchWhatHeadersUse()
    {
        // The rule itself: library namespaces, C headers' guards and feature macros are covered, the compiler's are not.
        foreach (string name in new[] { "_GLIBCXX_USE_C99", "_LIBCUDACXX_STD_VER", "__USE_GNU", "_STDIO_H", "__ssize_t_defined", "_POSIX_C_SOURCE", "__ILP32__" })
            Assert.IsTrue(PredefinedMacros.IsAbsentFromNvrtc118(name), name);
        foreach (string name in new[] { "__CUDACC__", "__DRIVER_TYPES_H__", "__SIZE_TYPE__", "_GNU_SOURCE", "__cpp_rtti", "_WCHAR_T", "__has_builtin" })
            Assert.IsFalse(PredefinedMacros.IsAbsentFromNvrtc118(name), name);
    }

    private static string Nvrtc118Library()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Inconclusive("Measured on Linux.");
        NvrtcLibrary nvrtc;
        try
        {
            nvrtc = NvrtcLibrary.Load(NvrtcLocator.ForThisMachine().Locate(null));
        }
        catch (Exception e) when (e is not UnitTestAssertException)
        {
            throw new AssertInconclusiveException("No NVRTC here: " + e.Message);
        }
        if (nvrtc.Version.Major != 11 || nvrtc.Version.Minor != 8)
            Assert.Inconclusive("The NVRTC here is " + nvrtc.Version + ", not 11.8.");
        // The file the loader mapped (the located name may be a bare soname).
        string? mapped = File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
            .FirstOrDefault(path => path != null && path.StartsWith('/') && Path.GetFileName(path).StartsWith("libnvrtc.so", StringComparison.Ordinal));
        return mapped ?? throw new AssertInconclusiveException("libnvrtc is not mapped into this process.");
    }
}
