using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>Path helpers for the tests, written independently of the scanner's own resolution.</summary>
internal static class TestPaths
{
    /// <summary>realpath(3) done by hand: components left to right, a link replaced by its (resolved)
    /// target before the next component, ".." taken on the resolved prefix, as the kernel does.</summary>
    public static string FullyResolve(string path) => FullyResolve(path, 0);

    private static string FullyResolve(string path, int depth)
    {
        if (depth > 40)
            throw new IOException("Too many levels of symbolic links: " + path);
        string current = "/";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            string next = current == "/" ? "/" + part : current + "/" + part;
            string? target = new FileInfo(next).LinkTarget;
            if (target != null)
                next = FullyResolve(Path.IsPathRooted(target) ? target : current + "/" + target, depth + 1);
            current = next;
        }
        return current;
    }

    /// <summary>Whether a listed path is absolute and free of ".", ".." and empty components.</summary>
    public static bool IsNormalized(string path) =>
        path.StartsWith('/') && path.Split('/').Skip(1).All(part => part.Length > 0 && part != "." && part != "..");

    public static string Describe(IEnumerable<string> paths) => string.Join(Environment.NewLine, paths.Select(p => "  " + p));
}
