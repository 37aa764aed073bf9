using System;

namespace KernelBuild.Formats
{
    /// <summary>
    /// The names under which the build writes and embeds a kernel's outputs, and under which the runtime looks
    /// them up (docs/formats.md). Every name derives from the kernel's project-relative path, never an absolute
    /// one, so that builds are reproducible.
    /// </summary>
    internal static class KernelResources
    {
        /// <summary>Every resource KernelBuild embeds starts with this.</summary>
        public const string Prefix = "KernelBuild/";

        /// <summary>The embedded manifest.</summary>
        public const string Manifest = Prefix + "manifest.json";

        /// <summary>
        /// The kernel bundle's extension. With <c>EmbedCudaKernels=false</c> the manifest and images go into
        /// <c>AssemblyName + BundleExtension</c> beside the assembly instead of into it: a zip archive, one entry per
        /// resource, named as the resource would be (docs/formats.md). Editing a kernel then rewrites that one file
        /// and leaves the C# compile alone.
        /// </summary>
        public const string BundleExtension = ".cudakernels";

        /// <summary>
        /// The kernel bundle's resource name when it is embedded (<c>EmbedCudaKernels=true</c>, the default): the
        /// assembly carries this one resource, the same zip archive as the bundle beside an assembly, instead of one
        /// resource per image and the manifest. One file for the C# compile to check and embed, where there were 501
        /// at 500 kernels: ~9 ms of every no-op build (docs/benchmarks.md, tenth round). Outside <see cref="Prefix"/>, so that it is never taken
        /// for an image. Assemblies built before it embed <see cref="Manifest"/> and the images directly, and the
        /// runtime still reads them.
        /// </summary>
        public const string EmbeddedBundle = "KernelBuild" + BundleExtension;

        /// <summary>The manifest's file in the output folder.</summary>
        public const string ManifestFileName = "KernelBuild.manifest.json";

        /// <summary>
        /// An image's path relative to the output folder, '/' separators: the kernel's path without <c>.cu</c>, the
        /// architecture, the kind (<c>kernels/increment.cu</c> for <c>sm_80</c> gives <c>kernels/increment.sm_80.cubin</c>).
        /// </summary>
        public static string ImagePath(string kernelRelativePath, ArchitectureName architecture)
        {
            string stem = kernelRelativePath.EndsWith(".cu", StringComparison.OrdinalIgnoreCase)
                ? kernelRelativePath.Substring(0, kernelRelativePath.Length - 3)
                : kernelRelativePath;
            return stem + "." + architecture.Name + "." + architecture.ImageKind;
        }

        /// <summary>An image's resource name: <see cref="Prefix"/> + its path relative to the output folder.</summary>
        public static string ForImage(string imageRelativePath) => Prefix + imageRelativePath;

        /// <summary>
        /// The inverse of <see cref="ForImage"/>: an image resource's path relative to the output folder, '/'
        /// separators; null for a name that is not an image's (outside <see cref="Prefix"/>, or climbing out of it).
        /// </summary>
        public static string? ImagePathOf(string resource)
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || resource == Manifest) return null;
            string relative = resource.Substring(Prefix.Length);
            foreach (string part in relative.Split('/'))
            {
                if (part.Length == 0 || part == "." || part == "..") return null;
            }
            return relative;
        }
    }
}
