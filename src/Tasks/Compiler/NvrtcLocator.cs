using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>Where the NVRTC library was found, and every place that was looked at (for the error message).</summary>
    internal sealed class NvrtcLocation
    {
        public NvrtcLocation(string? path, bool fromLoaderSearch, IReadOnlyList<string> probed)
        {
            Path = path;
            FromLoaderSearch = fromLoaderSearch;
            Probed = probed;
        }

        /// <summary>A file path, or a bare file name left to the platform loader's search; null when not found.</summary>
        public string? Path { get; }
        public bool FromLoaderSearch { get; }
        public IReadOnlyList<string> Probed { get; }
        public bool Found => Path != null;
    }

    /// <summary>
    /// Finds the NVRTC library: the explicit <c>NvrtcPath</c> first, then CUDA_PATH/CUDA_HOME, the usual toolkit
    /// and distribution folders, and last the platform loader's own search with every known file name.
    /// File-system access goes through delegates so that the order of the search is unit-testable.
    /// </summary>
    internal sealed class NvrtcLocator
    {
        /// <summary>Known NVRTC file names, newest first. The version is part of the name, so each must be tried.</summary>
        public static readonly string[] LinuxNames = { "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0", "libnvrtc.so" };
        public static readonly string[] WindowsNames = { "nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll", "nvrtc64_111_0.dll", "nvrtc64_110_0.dll" };

        private readonly bool _isWindows;
        private readonly Func<string, bool> _fileExists;
        private readonly Func<string, bool> _directoryExists;
        private readonly Func<string, IEnumerable<string>> _subdirectories;
        private readonly Func<string, string?> _environment;

        public NvrtcLocator(bool isWindows, Func<string, bool> fileExists, Func<string, bool> directoryExists,
            Func<string, IEnumerable<string>> subdirectories, Func<string, string?> environment)
        {
            _isWindows = isWindows;
            _fileExists = fileExists;
            _directoryExists = directoryExists;
            _subdirectories = subdirectories;
            _environment = environment;
        }

        /// <summary>The locator over the real file system and environment of this process.</summary>
        public static NvrtcLocator ForThisMachine() => new NvrtcLocator(
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows),
            File.Exists,
            Directory.Exists,
            dir => Directory.Exists(dir) ? Directory.EnumerateDirectories(dir) : Enumerable.Empty<string>(),
            Environment.GetEnvironmentVariable);

        private string[] Names => _isWindows ? WindowsNames : LinuxNames;

        /// <param name="explicitPath">The NvrtcPath property: the library file itself, or a folder that holds it.</param>
        public NvrtcLocation Locate(string? explicitPath)
        {
            var probed = new List<string>();
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                // An explicit setting is never silently replaced by another copy: not found there means not found.
                string path = explicitPath!.Trim();
                if (_fileExists(path))
                {
                    return new NvrtcLocation(path, false, new[] { path });
                }
                string? inFolder = FirstExisting(new[] { path }, probed);
                return new NvrtcLocation(inFolder, false, inFolder == null ? Prepend(path, probed) : probed);
            }

            string? found = FirstExisting(CandidateFolders(), probed);
            if (found != null)
            {
                return new NvrtcLocation(found, false, probed);
            }

            // Last resort: the loader's search (LD_LIBRARY_PATH, ld.so.cache, PATH on Windows).
            // The caller tries these names in order; we only name them here.
            probed.Add("the system loader's search for " + string.Join(", ", Names));
            return new NvrtcLocation(null, true, probed);
        }

        /// <summary>Folders to look in, in order. Toolkit folders come before distribution folders, newest first.</summary>
        public IEnumerable<string> CandidateFolders()
        {
            foreach (string variable in new[] { "CUDA_PATH", "CUDA_HOME" })
            {
                string? root = _environment(variable);
                if (!string.IsNullOrWhiteSpace(root))
                {
                    foreach (string dir in ToolkitLibraryFolders(root!))
                    {
                        yield return dir;
                    }
                }
            }

            if (_isWindows)
            {
                string programFiles = _environment("ProgramFiles") ?? @"C:\Program Files";
                foreach (string toolkit in VersionedSubfolders(Path.Combine(programFiles, "NVIDIA GPU Computing Toolkit", "CUDA"), "v"))
                {
                    foreach (string dir in ToolkitLibraryFolders(toolkit))
                    {
                        yield return dir;
                    }
                }
                yield break;
            }

            yield return "/usr/local/cuda/lib64";
            foreach (string toolkit in VersionedSubfolders("/usr/local", "cuda-"))
            {
                yield return toolkit + "/lib64";
            }
            yield return "/opt/cuda/lib64";
            yield return "/usr/lib/x86_64-linux-gnu";
            yield return "/usr/lib/aarch64-linux-gnu";
            yield return "/usr/lib64";
            yield return "/usr/lib";
        }

        private IEnumerable<string> ToolkitLibraryFolders(string root)
        {
            if (_isWindows)
            {
                yield return Path.Combine(root, "bin");
                yield return Path.Combine(root, "bin", "x64"); // CUDA 13 moved the DLLs here
            }
            else
            {
                yield return root.TrimEnd('/') + "/lib64";
                yield return root.TrimEnd('/') + "/lib";
            }
        }

        /// <summary>Subfolders named prefix+version (cuda-12.4, v13.0), highest version first.</summary>
        private IEnumerable<string> VersionedSubfolders(string parent, string prefix)
        {
            if (!_directoryExists(parent))
            {
                return Enumerable.Empty<string>();
            }
            return _subdirectories(parent)
                .Select(dir => new { dir, name = Path.GetFileName(dir.TrimEnd('/', '\\')) })
                .Where(x => x.name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(x => new { x.dir, version = ParseVersion(x.name.Substring(prefix.Length)) })
                .Where(x => x.version != null)
                .OrderByDescending(x => x.version)
                .Select(x => x.dir)
                .ToList();
        }

        private static Version? ParseVersion(string text) =>
            Version.TryParse(text.Contains(".") ? text : text + ".0", out Version? v) ? v : null;

        private string? FirstExisting(IEnumerable<string> folders, List<string> probed)
        {
            foreach (string folder in folders)
            {
                foreach (string name in Names)
                {
                    string candidate = Path.Combine(folder, name);
                    probed.Add(candidate);
                    if (_fileExists(candidate))
                    {
                        return candidate;
                    }
                }
            }
            return null;
        }

        private static List<string> Prepend(string first, List<string> rest)
        {
            rest.Insert(0, first);
            return rest;
        }
    }
}
