using System;
using System.IO;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>A throwaway source tree in the temp folder, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        string created = Path.Combine(Path.GetTempPath(), "kb-deps-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(created);
        // The temp folder itself may sit behind a link (macOS: /tmp -> /private/tmp); expected paths are
        // built from the root, so take its resolved form.
        Root = TestPaths.FullyResolve(created);
    }

    public string Root { get; }

    /// <summary>Absolute path of a tree-relative path ('/' separated).</summary>
    public string P(string relative) => Root + "/" + relative;

    public string Write(string relative, string text)
    {
        string path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text); // byte for byte: tests rely on exact \r and \n placement
        return path;
    }

    public string WriteBytes(string relative, byte[] bytes)
    {
        string path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Dir(string relative)
    {
        string path = P(relative);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A symbolic link at <paramref name="relative"/> pointing to <paramref name="target"/>
    /// (tree-relative, made absolute).</summary>
    public string Link(string relative, string target)
    {
        string path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Directory.Exists(P(target)))
            Directory.CreateSymbolicLink(path, P(target));
        else
            File.CreateSymbolicLink(path, P(target));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
