using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>The outcome of probing one candidate path.</summary>
    internal readonly struct Probe
    {
        public Probe(string? path, string? finalPath = null, long length = 0, long stamp = 0, string? linkBeforeDotDot = null)
        {
            Path = path;
            FinalPath = finalPath;
            Length = length;
            Stamp = stamp;
            LinkBeforeDotDot = linkBeforeDotDot;
        }

        /// <summary>A symbolic link that a ".." in the path went back through ("link/.."): where the path
        /// leads then depends on the link's target, which no listed path records.</summary>
        public string? LinkBeforeDotDot { get; }

        public Probe WithLinkBeforeDotDot(string? link) =>
            link == null ? this : new Probe(Path, FinalPath, Length, Stamp, link);

        /// <summary>For a file: its path, normalized (see <see cref="PathResolver.Normalize"/>). Otherwise
        /// what to record as an absent probe, or null when nothing is (see <see cref="PathResolver.Probe"/>).</summary>
        public string? Path { get; }

        /// <summary>The file's canonical path (every link resolved) when a file is there; null when absent.</summary>
        public string? FinalPath { get; }

        /// <summary>The file's length and last-write time (UTC ticks): the cache's key with <see cref="FinalPath"/>.</summary>
        public long Length { get; }
        public long Stamp { get; }

        public bool IsFile => FinalPath != null;
    }

    /// <summary>
    /// Turns the path strings NVRTC would open into the paths the OS actually opens, and probes them.
    /// NVRTC concatenates "directory/name" and hands the string to open(2) untouched, so "a/link/../x.h"
    /// means "x.h beside link's target", not "a/x.h". .NET cannot be given such a string either: its
    /// file APIs collapse ".." lexically first. So ".." is resolved here the way the kernel does, and
    /// everything else (links included) is left as spelled, which keeps a retargeted link visible.
    /// Results are memoized for one scan only: the file system may change between builds.
    /// </summary>
    internal sealed class PathResolver
    {
        private static readonly bool s_isWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private readonly Dictionary<string, Probe> _probes = new Dictionary<string, Probe>(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> _realPaths = new Dictionary<string, string?>(StringComparer.Ordinal);
        private readonly Dictionary<string, DirectoryKind> _directoryKinds = new Dictionary<string, DirectoryKind>(StringComparer.Ordinal);

        /// <summary>
        /// Probes a literal absolute path: is there a file (links followed)? When not, the probe names
        /// where a later change could make one appear: the normalized path itself (a directory there is
        /// harmless: NVRTC skips directories, and <see cref="IsFileNow"/> ignores them); or, when a ".."
        /// could not be resolved, the first component that is no existing directory, with a trailing '/'
        /// (creating that directory is what would make the path open); or nothing when a plain file blocks
        /// the "..".
        /// </summary>
        public Probe Probe(string literalPath)
        {
            if (_probes.TryGetValue(literalPath, out Probe probe))
                return probe;
            string path = Normalize(literalPath, out string? blocker, out string? link);
            if (blocker != null)
                probe = new Probe(blocker.Length > 0 ? blocker + "/" : null);
            else
                probe = ProbeNormalized(path);
            probe = probe.WithLinkBeforeDotDot(link);
            _probes[literalPath] = probe;
            return probe;
        }

        /// <summary>Whether an absent probe recorded by <see cref="Probe"/> now holds what would change
        /// NVRTC's search: a file, or for an entry ending in '/', a directory.</summary>
        public static bool IsFileNow(string absentProbe) =>
            absentProbe.EndsWith("/", StringComparison.Ordinal)
                ? Directory.Exists(absentProbe)
                : new PathResolver().Probe(absentProbe).IsFile;

        // Most probes find nothing, and File.Exists is the cheapest test (one stat). For a file, one
        // FileInfo answers the rest with one more: whether it is a link, its length and time stamp.
        private Probe ProbeNormalized(string path)
        {
            if (!File.Exists(path))
                return new Probe(path);
            var info = new FileInfo(path);
            FileAttributes attributes;
            try
            {
                attributes = info.Attributes;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new Probe(path); // vanished in between
            }
            string? final = path;
            if (!s_isWindows)
            {
                if ((attributes & FileAttributes.ReparsePoint) != 0)
                {
                    // .NET reports a dangling link as existing; open(2), and so NVRTC, finds nothing there.
                    final = RealPath(path);
                    if (final == null)
                        return new Probe(path);
                }
                else
                {
                    // The canonical path of a file that is no link is its directory's canonical path plus
                    // its name; directories are few, so realpath runs once per directory, not per file.
                    string? directory = RealPath(DirectoryOf(path));
                    final = directory == null ? path
                        : (directory.EndsWith("/", StringComparison.Ordinal) ? directory : directory + "/") + path.Substring(path.LastIndexOf('/') + 1);
                }
            }
            return new Probe(path, final, info.Length, info.LastWriteTimeUtc.Ticks);
        }

        /// <summary>
        /// Removes empty and "." components and resolves each ".." as the OS does. "dir/.." is "dir"'s
        /// parent, lexically, when "dir" is a real directory: links before it are kept as spelled, so that
        /// retargeting them stays visible. When "dir" is a symbolic link, ".." leaves its target: the prefix
        /// is replaced by its real path, and <paramref name="link"/> names the first such link.
        /// <paramref name="blocker"/> is null when every ".." resolved; otherwise the OS would fail the
        /// open, and it holds the first component that is no existing directory ("" when that is a file or
        /// the failure has another cause).
        /// </summary>
        public string Normalize(string path, out string? blocker, out string? link)
        {
            blocker = null;
            link = null;
            if (s_isWindows)
                return System.IO.Path.GetFullPath(path); // Win32 itself collapses ".." lexically.
            if (path.IndexOf("/.", StringComparison.Ordinal) < 0 && path.IndexOf("//", StringComparison.Ordinal) < 0 && !path.EndsWith("/", StringComparison.Ordinal))
                return path; // nothing to normalize (the usual case)

            var parts = new List<string>();
            foreach (string part in path.Split('/'))
            {
                if (part.Length == 0 || part == ".")
                    continue;
                if (part != "..")
                {
                    parts.Add(part);
                    continue;
                }
                if (parts.Count == 0)
                    continue; // "/.." is "/"
                string prefix = Join(parts, parts.Count);
                DirectoryKind kind = KindOf(prefix);
                if (kind == DirectoryKind.None)
                {
                    blocker = FirstNonDirectory(parts);
                    return prefix;
                }
                if (kind == DirectoryKind.Link)
                {
                    link ??= prefix;
                    parts.Clear();
                    parts.AddRange(RealPath(prefix)!.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries));
                }
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1); // the ".." itself
            }
            return Join(parts, parts.Count);
        }

        private enum DirectoryKind { None, Real, Link }

        // Whether a path is a directory (links followed) that ".." can leave, and whether it is itself a link.
        private DirectoryKind KindOf(string path)
        {
            if (_directoryKinds.TryGetValue(path, out DirectoryKind kind))
                return kind;
            kind = DirectoryKind.None;
            try
            {
                if (Directory.Exists(path))
                {
                    bool isLink = (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
                    kind = !isLink ? DirectoryKind.Real : RealPath(path) != null ? DirectoryKind.Link : DirectoryKind.None;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
            _directoryKinds[path] = kind;
            return kind;
        }

        private static string FirstNonDirectory(List<string> parts)
        {
            for (int count = 1; count <= parts.Count; count++)
            {
                string prefix = Join(parts, count);
                if (!Directory.Exists(prefix))
                    return File.Exists(prefix) ? "" : prefix;
            }
            return "";
        }

        private static string Join(List<string> parts, int count) => "/" + string.Join("/", parts.GetRange(0, count));

        /// <summary>The directory part of a normalized path: where NVRTC looks for its quoted includes.</summary>
        public static string DirectoryOf(string normalizedPath)
        {
            if (s_isWindows)
                return System.IO.Path.GetDirectoryName(normalizedPath) ?? normalizedPath;
            int slash = normalizedPath.LastIndexOf('/');
            return slash <= 0 ? "/" : normalizedPath.Substring(0, slash);
        }

        /// <summary>"directory/name" the way NVRTC forms a candidate.</summary>
        public static string Combine(string directory, string name) =>
            directory.EndsWith("/", StringComparison.Ordinal) || (s_isWindows && directory.EndsWith("\\", StringComparison.Ordinal))
                ? directory + name
                : directory + "/" + name;

        public static bool IsAbsolute(string name) =>
            s_isWindows ? System.IO.Path.IsPathRooted(name) : name.StartsWith("/", StringComparison.Ordinal);

        private string? RealPath(string path)
        {
            if (!_realPaths.TryGetValue(path, out string? real))
            {
                real = Interop.Libc.RealPath(path);
                _realPaths[path] = real;
            }
            return real;
        }
    }
}
