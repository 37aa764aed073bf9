using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Incremental;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// What the check and the compile tasks share: reading the <c>CudaKernel</c> items into compile settings,
    /// finding the compiler, reading the state and deciding which kernels are stale.
    /// </summary>
    public abstract class CudaKernelTaskBase : Task
    {
        /// <summary>The CudaKernel items. Metadata: Architectures, IncludeDirectories, DefineConstants,
        /// LanguageStandard, AdditionalOptions (defaults come from the Cuda* properties), Link.</summary>
        [Required] public ITaskItem[] Kernels { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The project folder: kernels' identities are their paths relative to it.</summary>
        [Required] public string ProjectDirectory { get; set; } = "";

        /// <summary>Where outputs, .d files and the state go ($(CudaKernelOutputPath)).</summary>
        [Required] public string OutputPath { get; set; } = "";

        /// <summary>The NVRTC library file or folder; empty to search (see docs).</summary>
        public string? NvrtcPath { get; set; }

        /// <summary>The project file ($(MSBuildProjectFullPath)): where errors about the project's settings are reported.</summary>
        public string? ProjectFile { get; set; }

        /// <summary>The project, else the file that invoked the task (our own targets file, which helps nobody).</summary>
        internal string ProjectFileForDiagnostics => string.IsNullOrEmpty(ProjectFile) ? BuildEngine.ProjectFileOfTaskNode : ProjectFile!;

        /// <summary>An error about the project's settings, located on the project file (docs/diagnostics.md).</summary>
        internal void LogProjectError(string code, string message, params object[] arguments) =>
            Log.LogError(null, code, null, ProjectFileForDiagnostics, 0, 0, 0, 0, message, arguments);

        internal string OutputDirectory => Path.GetFullPath(Path.Combine(ProjectDirectory, OutputPath));
        internal string StatePath => Path.Combine(OutputDirectory, BuildStateFile.FileName);

        /// <summary>The outcome of planning: every kernel with its staleness, the compiler, the previous state.</summary>
        internal sealed class BuildPlan
        {
            public List<KernelPlan> Kernels { get; } = new List<KernelPlan>();
            public BuildState? Previous { get; set; }
            public CompilerRecord? Compiler { get; set; }
            public NvrtcLocation? Location { get; set; }
            /// <summary>Loaded while planning when the compiler had to be identified by loading it.</summary>
            public NvrtcLibrary? Library { get; set; }
            /// <summary>Kernels in the previous state that are no longer in the project.</summary>
            public List<KernelRecord> Removed { get; } = new List<KernelRecord>();
            public bool StateNeedsWrite { get; set; }
            /// <summary>Recorded stamps of files that were touched but not changed were refreshed: worth saving, but
            /// no reason to run the compile target.</summary>
            public bool StampsRefreshed { get; set; }
            /// <summary>The check that decided staleness; it knows which recorded files it found.</summary>
            public StalenessChecker? Checker { get; set; }
            public bool AnyStale => Kernels.Any(k => k.IsStale) || Removed.Count > 0;
            /// <summary>
            /// Kernels whose source does not exist (KB1005). Left out of the plan rather than failing it: the compile
            /// task reports each one and still compiles the others.
            /// </summary>
            public List<UnreadableKernel> Unreadable { get; } = new List<UnreadableKernel>();
        }

        /// <summary>A CudaKernel item whose file is missing or a dangling symbolic link; the message says which and what to do.</summary>
        internal sealed class UnreadableKernel
        {
            public UnreadableKernel(string source, string message)
            {
                Source = source;
                Message = message;
            }

            public string Source { get; }
            public string Message { get; }
        }

        /// <summary>Builds the plan; logs and returns null on any error.</summary>
        internal BuildPlan? Plan()
        {
            var plan = new BuildPlan();
            plan.Previous = BuildStateFile.TryRead(StatePath, out string? stateProblem);
            if (Kernels.Length == 0)
            {
                if (plan.Previous != null) plan.Removed.AddRange(plan.Previous.Kernels.Values);
                return plan;
            }
            plan.Location = NvrtcLocator.ForThisMachine().Locate(NvrtcPath);
            // The same library as last time: its recorded files are stat'ed, sparing a listing of its folder.
            List<string>? recordedFiles = plan.Previous?.Compiler?.Files;
            List<string>? compilerFiles = plan.Location.Found && recordedFiles != null && recordedFiles.Count > 0
                && recordedFiles[0] == Path.GetFullPath(plan.Location.Path!)
                ? recordedFiles
                : CompilerIdentity.FilesOf(plan.Location);
            string? identity = compilerFiles == null ? null : CompilerIdentity.Of(compilerFiles);
            bool compilerChanged = false;
            if (identity != null && plan.Previous?.Compiler?.Identity == identity)
            {
                plan.Compiler = plan.Previous.Compiler; // same files as last time: no need to load NVRTC to know it
            }
            else
            {
                try
                {
                    plan.Library = NvrtcLibrary.Load(plan.Location);
                }
                catch (NvrtcNotFoundException e)
                {
                    LogProjectError(KbErrors.NvrtcNotFound, e.Message);
                    return null;
                }
                plan.Compiler = new CompilerRecord { Identity = identity ?? CompilerIdentity.OfLoaded(plan.Library), Name = plan.Library.DisplayName };
                plan.Compiler.SupportedArchitectures.AddRange(plan.Library.SupportedArchitectures);
                plan.Compiler.Files.AddRange(compilerFiles ?? Enumerable.Empty<string>());
                compilerChanged = plan.Previous?.Compiler != null && plan.Previous.Compiler.Identity != plan.Compiler.Identity;
                plan.StateNeedsWrite = true;
            }

            // Case-insensitive: outputs and resource names that differ only in case collide on Windows and macOS.
            var seen = new Dictionary<string, KernelCompileSettings>(StringComparer.OrdinalIgnoreCase);
            foreach (ITaskItem item in Kernels)
            {
                KernelCompileSettings? settings = ReadSettings(item, plan.Compiler, plan.Unreadable);
                if (settings == null) continue;
                if (seen.TryGetValue(settings.RelativePath, out KernelCompileSettings? other))
                {
                    LogDuplicate(other, settings);
                    continue;
                }
                seen[settings.RelativePath] = settings;
                plan.Kernels.Add(new KernelPlan(settings, PlanImages(settings), Fingerprint(settings, plan.Compiler)));
            }
            if (Log.HasLoggedErrors)
            {
                return null;
            }
            var checker = new StalenessChecker(plan.Previous, OutputDirectory);
            plan.Checker = checker;
            foreach (KernelPlan kernel in plan.Kernels)
            {
                kernel.StaleReason = checker.Check(kernel, stateProblem, compilerChanged);
            }
            plan.StampsRefreshed = checker.RefreshedStamps;
            if (plan.Previous != null)
            {
                var current = new HashSet<string>(plan.Kernels.Select(k => k.Settings.RelativePath), StringComparer.Ordinal);
                plan.Removed.AddRange(plan.Previous.Kernels.Values.Where(k => !current.Contains(k.RelativePath)));
            }
            return plan;
        }

        private void LogDuplicate(KernelCompileSettings first, KernelCompileSettings second)
        {
            if (first.RelativePath != second.RelativePath)
            {
                Log.LogError(null, KbErrors.DuplicateKernel, null, second.SourcePath, 0, 0, 0, 0,
                    "CUDA kernels '{0}' and '{1}' differ only in letter case. Their outputs and resource names would overwrite each other on case-insensitive file systems (Windows, macOS). Rename one of them, or give one a different Link metadata.",
                    first.RelativePath, second.RelativePath);
                return;
            }
            Log.LogError(null, KbErrors.DuplicateKernel, null, second.SourcePath, 0, 0, 0, 0,
                "Kernels '{0}' and '{1}' both map to '{2}' and would overwrite each other's outputs. Give one of them a different Link metadata.",
                first.SourcePath, second.SourcePath, second.RelativePath);
        }

        /// <summary>Hash of everything that decides a kernel's compiled bytes other than file contents.</summary>
        private static string Fingerprint(KernelCompileSettings settings, CompilerRecord compiler)
        {
            var text = new StringBuilder();
            text.Append(compiler.Identity).Append('\n').Append(settings.RelativePath).Append('\n').Append(settings.SourcePath).Append('\n');
            foreach (TargetArchitecture architecture in settings.Architectures)
            {
                text.Append(string.Join("\u0001", NvrtcOptionsBuilder.Build(settings, architecture))).Append('\n');
            }
            return FastHash.Of(text.ToString());
        }

        private static List<PlannedImage> PlanImages(KernelCompileSettings settings) =>
            settings.Architectures.Select(a => new PlannedImage(a, Formats.KernelResources.ImagePath(settings.RelativePath, a.Architecture))).ToList();

        private KernelCompileSettings? ReadSettings(ITaskItem item, CompilerRecord compiler, List<UnreadableKernel> unreadable)
        {
            string source = Path.GetFullPath(Path.Combine(ProjectDirectory, item.ItemSpec));
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

            CudaOptions options;
            try
            {
                options = CudaOptionsParser.Parse(standard, item.GetMetadata("IncludeDirectories"), item.GetMetadata("DefineConstants"),
                    item.GetMetadata("AdditionalOptions"), ProjectDirectory);
            }
            catch (CudaOptionsException e)
            {
                LogProjectError(KbErrors.InvalidOptions, "Invalid options for CUDA kernel {0}: {1}", source, e.Message);
                return null;
            }

            string? relativePath = RelativePathOf(item, source);
            if (relativePath == null)
            {
                return null;
            }

            return new KernelCompileSettings
            {
                SourcePath = source,
                RelativePath = relativePath,
                Architectures = architectures,
                Options = options,
            };
        }

        /// <summary>Null when the kernel's file exists; otherwise the KB1005 text, naming a dangling link's target.</summary>
        private static string? MissingSourceMessage(string source)
        {
            // .NET's File.Exists is true for a symbolic link whose target is missing (it falls back to the link
            // itself), and the first read of it then throws. Ask where the link leads, and whether that exists.
            string? linkTarget = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? null : Interop.Libc.ReadLink(source);
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
        private string? RelativePathOf(ITaskItem item, string source)
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
            string root = Path.GetFullPath(ProjectDirectory).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
            string relative = source.StartsWith(root, StringComparison.Ordinal) ? source.Substring(root.Length) : Path.GetFileName(source);
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
