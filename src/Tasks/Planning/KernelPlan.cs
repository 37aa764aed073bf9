using System.Collections.Generic;
using KernelBuild.Formats;
using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Planning
{
    /// <summary>An image a kernel's compile produces for one architecture.</summary>
    internal sealed class PlannedImage
    {
        public PlannedImage(TargetArchitecture architecture, string relativePath)
        {
            Architecture = architecture;
            RelativePath = relativePath;
        }

        public TargetArchitecture Architecture { get; }
        /// <summary>Relative to the output folder, '/' separators: <c>kernels/increment.sm_80.cubin</c>.</summary>
        public string RelativePath { get; }
        /// <summary>The embedded resource name: <c>KernelBuild/</c> + the relative path.</summary>
        public string ResourceName => KernelResources.ForImage(RelativePath);
    }

    /// <summary>One kernel of this build: how to compile it, what it produces, and whether it must be compiled.</summary>
    internal sealed class KernelPlan
    {
        public KernelPlan(KernelCompileSettings settings, IReadOnlyList<PlannedImage> images, string fingerprint)
        {
            Settings = settings;
            Images = images;
            Fingerprint = fingerprint;
        }

        public KernelCompileSettings Settings { get; }
        public IReadOnlyList<PlannedImage> Images { get; }
        public string Fingerprint { get; }
        /// <summary>Relative path of the Make-style dependency file: <c>kernels/increment.cu.d</c>.</summary>
        public string DependencyFileRelativePath => Settings.RelativePath + ".d";
        /// <summary>The entry points' signatures, read by the launcher generator (docs/launchers.md).</summary>
        public string SignatureFileRelativePath => Settings.RelativePath + ".signatures";

        /// <summary>Null when up to date; otherwise why it must be compiled (for the log at detailed verbosity).</summary>
        public string? StaleReason { get; set; }
        public bool IsStale => StaleReason != null;
    }
}
