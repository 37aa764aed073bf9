using System;
using System.Collections.Generic;

namespace KernelBuild.Tasks.Planning
{
    /// <summary>A <c>CudaKernel</c> item as planning reads it: its spec and the metadata it may carry.</summary>
    internal sealed class KernelItem
    {
        /// <summary>The metadata planning reads (docs/msbuild.md); the tasks copy these and no others.</summary>
        public static readonly string[] MetadataNames =
            { "Architectures", "IncludeDirectories", "DefineConstants", "LanguageStandard", "AdditionalOptions", "Link", "Instantiations", KernelSettingsReader.GenerateLauncherMetadata };

        private readonly IReadOnlyDictionary<string, string> _metadata;

        public KernelItem(string spec, IReadOnlyDictionary<string, string>? metadata = null)
        {
            Spec = spec;
            _metadata = metadata ?? new Dictionary<string, string>();
        }

        /// <summary>The path as written in the project, relative to the project folder or absolute.</summary>
        public string Spec { get; }

        /// <summary>The value, or empty when not set (as MSBuild's <c>GetMetadata</c>).</summary>
        public string GetMetadata(string name) => _metadata.TryGetValue(name, out string? value) ? value : "";
    }

    /// <summary>Everything planning needs from the task's parameters, as plain values.</summary>
    internal sealed class PlanRequest
    {
        public PlanRequest(string projectDirectory, string outputDirectory, string statePath, string? nvrtcPath, IReadOnlyList<KernelItem> kernels)
        {
            ProjectDirectory = projectDirectory;
            OutputDirectory = outputDirectory;
            StatePath = statePath;
            NvrtcPath = nvrtcPath;
            Kernels = kernels ?? Array.Empty<KernelItem>();
        }

        /// <summary>Kernels' identities are their paths relative to it.</summary>
        public string ProjectDirectory { get; }
        /// <summary>Absolute: where images, .d files and the manifest are.</summary>
        public string OutputDirectory { get; }
        /// <summary>Absolute path of the state file.</summary>
        public string StatePath { get; }
        /// <summary>The NVRTC library file or folder; null or empty to search.</summary>
        public string? NvrtcPath { get; }
        public IReadOnlyList<KernelItem> Kernels { get; }
        /// <summary>Whether compiles also read the entry points' signatures for the typed launchers (docs/launchers.md),
        /// for the kernels whose items do not say (their <c>GenerateLauncher</c> metadata).</summary>
        public bool ReadSignatures { get; set; } = true;
    }
}
