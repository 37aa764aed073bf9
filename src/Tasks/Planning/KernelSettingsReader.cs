using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Planning
{
    /// <summary>
    /// Turns one <c>CudaKernel</c> item into its compile settings: the source, the project-relative identity, the
    /// architectures and the parsed options. Every problem with the item's metadata is a project error (KB1xxx).
    /// </summary>
    internal sealed class KernelSettingsReader
    {
        private readonly string _projectDirectory;
        private readonly IBuildLog _log;
        private readonly bool _launchersByDefault;
        private readonly Dictionary<string, CudaOptions> _parsedOptions = new Dictionary<string, CudaOptions>(StringComparer.Ordinal);
        private readonly string _projectRoot;
        // The metadata the last options were parsed from, and the result: consecutive kernels nearly always match, and
        // comparing four strings spares building the dictionary key for each one.
        private (string Standard, string IncludeDirectories, string DefineConstants, string AdditionalOptions) _lastOptionsMetadata;
        private CudaOptions? _lastOptions;

        /// <param name="launchersByDefault">The project's <c>CudaGenerateLaunchers</c>: whether a kernel whose item does not
        /// set <c>GenerateLauncher</c> reads its signatures for a typed launcher.</param>
        public KernelSettingsReader(string projectDirectory, IBuildLog log, bool launchersByDefault)
        {
            _projectDirectory = projectDirectory;
            _log = log;
            _launchersByDefault = launchersByDefault;
            _projectRoot = Path.GetFullPath(projectDirectory).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
        }

        /// <summary>The settings; null when the item is unreadable (added to <paramref name="unreadable"/>) or wrong (logged).</summary>
        public KernelCompileSettings? Read(KernelItem item, CompilerRecord compiler, List<UnreadableKernel> unreadable)
        {
            string source = Path.GetFullPath(Path.Combine(_projectDirectory, item.Spec));
            string? missing = MissingSourceMessage(source);
            if (missing != null)
            {
                unreadable.Add(new UnreadableKernel(source, missing));
                return null;
            }

            string? standard = NvrtcOptionsBuilder.NormalizeLanguageStandard(item.GetMetadata("LanguageStandard"));
            if (standard == null)
            {
                LogProjectError(KbErrors.InvalidLanguageStandard, "CudaLanguageStandard '{0}' (kernel {1}) is not one NVRTC accepts. Use c++03, c++11, c++14, c++17 or c++20, or leave it empty for NVRTC's default.",
                    item.GetMetadata("LanguageStandard"), source);
                return null;
            }

            List<TargetArchitecture>? architectures = ReadArchitectures(item.GetMetadata("Architectures"), source, compiler);
            if (architectures == null)
            {
                return null;
            }

            CudaOptions? options = ParseOptions(item, standard, source);
            if (options == null)
            {
                return null;
            }

            string? relativePath = RelativePathOf(item, source);
            if (relativePath == null)
            {
                return null;
            }

            string generateLauncher = item.GetMetadata(GenerateLauncherMetadata);
            if (!TryReadGenerateLauncher(generateLauncher, _launchersByDefault, out bool readSignatures))
            {
                LogProjectError(KbErrors.InvalidGenerateLauncher, "The GenerateLauncher metadata '{0}' of CUDA kernel '{1}' is not true or false. Set it to false to leave this kernel without a typed launcher, true to give it one, or remove it to follow CudaGenerateLaunchers.",
                    generateLauncher, source);
                return null;
            }

            return new KernelCompileSettings
            {
                SourcePath = source,
                RelativePath = relativePath,
                Architectures = architectures,
                Options = options,
                Instantiations = NvrtcOptionsBuilder.SplitList(item.GetMetadata("Instantiations")),
                ReadSignatures = readSignatures,
            };
        }

        /// <summary>The item metadata that gives one kernel a typed launcher, or takes it away (docs/launchers.md).</summary>
        internal const string GenerateLauncherMetadata = "GenerateLauncher";

        /// <summary>
        /// Whether a kernel gets a typed launcher, and so reads its signatures: its <c>GenerateLauncher</c> metadata
        /// when set (<c>true</c> or <c>false</c>, in any case), the project's default when empty. False when the
        /// value is neither (KB1010, which <see cref="Read"/> reports).
        /// </summary>
        internal static bool TryReadGenerateLauncher(string metadata, bool projectDefault, out bool generate)
        {
            string value = metadata.Trim();
            generate = value.Length == 0 ? projectDefault : string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
            return value.Length == 0 || generate || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// The kernel's parsed options; null after KB1xxx. Kernels nearly always share their options (they come from
        /// the project-wide properties), so each distinct set is parsed once: parsing resolves paths and pre-included
        /// files, and at 500 kernels doing it for each took a third of the no-op check (docs/benchmarks.md).
        /// </summary>
        private CudaOptions? ParseOptions(KernelItem item, string standard, string source)
        {
            string includeDirectories = item.GetMetadata("IncludeDirectories");
            string defineConstants = item.GetMetadata("DefineConstants");
            string additionalOptions = item.GetMetadata("AdditionalOptions");
            var metadata = (standard, includeDirectories, defineConstants, additionalOptions);
            if (_lastOptions != null && metadata.Equals(_lastOptionsMetadata))
            {
                return _lastOptions;
            }
            string key = standard + "\u0001" + includeDirectories + "\u0001" + defineConstants + "\u0001" + additionalOptions;
            if (_parsedOptions.TryGetValue(key, out CudaOptions? parsed))
            {
                (_lastOptionsMetadata, _lastOptions) = (metadata, parsed);
                return parsed;
            }
            try
            {
                parsed = CudaOptionsParser.Parse(standard, includeDirectories, defineConstants, additionalOptions, _projectDirectory);
            }
            catch (CudaOptionsException e)
            {
                // Not remembered: each kernel with these options reports the error, as before.
                LogProjectError(KbErrors.InvalidOptions, "Invalid options for CUDA kernel {0}: {1}", source, e.Message);
                return null;
            }
            _parsedOptions[key] = parsed;
            (_lastOptionsMetadata, _lastOptions) = (metadata, parsed);
            return parsed;
        }

        private void LogProjectError(string code, string format, params object[] arguments) =>
            _log.LogProjectError(code, string.Format(System.Globalization.CultureInfo.CurrentCulture, format, arguments));

        /// <summary>Null when the kernel's file exists; otherwise the KB1005 text, naming a dangling link's target.</summary>
        private static string? MissingSourceMessage(string source)
        {
            // .NET's File.Exists is true for a symbolic link whose target is missing (it falls back to the link
            // itself), and the first read of it then throws. Ask where the link leads, and whether that exists.
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            if (!windows && Interop.Libc.TryStatx(source, out Interop.Libc.StatxBuffer stat, out _)
                && (stat.Mode & Interop.Libc.FileTypeMask) == Interop.Libc.RegularFile)
            {
                // statx follows links: a regular file, or a link to one. One call instead of readlink and a stat
                // for each kernel on every build; anything else takes the slower path below, as before.
                return null;
            }
            string? linkTarget = windows ? null : Interop.Libc.ReadLink(source);
            if (linkTarget != null && !Resolves(source))
            {
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, linkTarget));
                return "CUDA kernel '" + source + "' is a symbolic link to '" + target + "', which does not exist. "
                    + "Restore the target or correct the link, or remove the kernel from the CudaKernel items.";
            }
            if (!File.Exists(source))
            {
                return "CUDA kernel '" + source + "' does not exist. Remove it from the CudaKernel items or create the file.";
            }
            return null;
        }

        private static bool Resolves(string link)
        {
            try
            {
                return Interop.Libc.RealPath(link) != null;
            }
            catch (IOException)
            {
                return false; // realpath failed outright (an I/O error): the kernel cannot be read either
            }
        }

        /// <summary>
        /// Parses the architecture list. Empty means the default: PTX for the lowest architecture the found NVRTC
        /// supports, which the driver can JIT-compile for every GPU that NVRTC knows (docs/msbuild.md says why).
        /// </summary>
        private List<TargetArchitecture>? ReadArchitectures(string text, string source, CompilerRecord compiler)
        {
            List<string> entries = NvrtcOptionsBuilder.SplitList(text);
            var supported = compiler.SupportedArchitectures;
            if (entries.Count == 0)
            {
                return new List<TargetArchitecture> { TargetArchitecture.Ptx(supported.Count > 0 ? supported.Min() : 52) };
            }

            var result = new List<TargetArchitecture>();
            foreach (string entry in entries)
            {
                if (!TargetArchitecture.TryParse(entry, out TargetArchitecture? architecture))
                {
                    LogProjectError(KbErrors.InvalidArchitecture, "CUDA architecture '{0}' (kernel {1}) is not valid. Use compute_XX for PTX or sm_XX for a cubin (XX: the compute capability, two or three digits, optionally followed by a or f as in sm_90a), e.g. CudaArchitectures=\"compute_52;sm_80\".",
                        entry, source);
                    return null;
                }
                if (supported.Count > 0 && !supported.Contains(architecture!.Number))
                {
                    LogProjectError(KbErrors.UnsupportedArchitecture, "CUDA architecture '{0}' (kernel {1}) is not supported by {2}. It supports: {3}. Pick one of those, or install an NVRTC that supports it.",
                        entry, source, compiler.Name, string.Join(" ", supported));
                    return null;
                }
                if (!result.Contains(architecture!)) result.Add(architecture!);
            }
            return result;
        }

        /// <summary>
        /// Project-relative path with '/' separators; the Link metadata for files outside the project. Null (after an
        /// error) for a Link that leaves the project: its outputs would land outside the output folder and its resource
        /// name would hold "..".
        /// </summary>
        private string? RelativePathOf(KernelItem item, string source)
        {
            string link = item.GetMetadata("Link");
            if (link.Length > 0)
            {
                string? normalized = NormalizeLink(link);
                if (normalized == null)
                {
                    LogProjectError(KbErrors.LinkOutsideProject,
                        "The Link metadata '{0}' of CUDA kernel '{1}' is not a relative path inside the project. Use a path such as 'kernels/{2}'.",
                        link, source, Path.GetFileName(source));
                }
                return normalized;
            }
            string relative = source.StartsWith(_projectRoot, StringComparison.Ordinal) ? source.Substring(_projectRoot.Length) : Path.GetFileName(source);
            return relative.Replace('\\', '/');
        }

        /// <summary>"a/./b/../c.cu" to "a/c.cu"; null when the path is rooted, empty, or climbs above its start.</summary>
        internal static string? NormalizeLink(string link)
        {
            string path = link.Replace('\\', '/');
            if (path.StartsWith("/", StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':')) return null;
            var segments = new List<string>();
            foreach (string segment in path.Split('/'))
            {
                if (segment.Length == 0 || segment == ".") continue;
                if (segment == "..")
                {
                    if (segments.Count == 0) return null;
                    segments.RemoveAt(segments.Count - 1);
                    continue;
                }
                segments.Add(segment);
            }
            return segments.Count == 0 ? null : string.Join("/", segments);
        }
    }
}
