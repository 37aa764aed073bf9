using System.Collections.Generic;

namespace KernelBuild.Formats
{
    /// <summary>
    /// The manifest (docs/formats.md): every embedded kernel and its images. The build writes it with
    /// <see cref="ManifestWriter"/>, the runtime reads it with <see cref="ManifestReader"/>.
    /// </summary>
    internal sealed class Manifest
    {
        /// <summary>The format this writer writes and this reader reads; another number is refused on read.</summary>
        public const int Format = 1;

        public Manifest(string? compiler, IReadOnlyList<ManifestKernelEntry> kernels)
        {
            Compiler = compiler;
            Kernels = kernels;
        }

        /// <summary>The compiler that built the images, e.g. "NVRTC 11.8"; null when a manifest read has none.</summary>
        public string? Compiler { get; }

        /// <summary>In the order read; the writer sorts them by <see cref="ManifestKernelEntry.Source"/>.</summary>
        public IReadOnlyList<ManifestKernelEntry> Kernels { get; }
    }

    /// <summary>One kernel of the manifest.</summary>
    internal sealed class ManifestKernelEntry
    {
        public ManifestKernelEntry(string source, IReadOnlyList<string> entryPoints, IReadOnlyList<ManifestImageEntry> images)
        {
            Source = source;
            EntryPoints = entryPoints;
            Images = images;
        }

        /// <summary>The kernel's project-relative source path, '/' separators; the runtime looks kernels up by it.</summary>
        public string Source { get; }

        /// <summary>The <c>.entry</c> names of the compiled PTX (C++ kernels mangled, <c>extern "C"</c> ones by name).</summary>
        public IReadOnlyList<string> EntryPoints { get; }

        /// <summary>In the order read; the writer sorts them by architecture name.</summary>
        public IReadOnlyList<ManifestImageEntry> Images { get; }
    }

    /// <summary>One embedded image of a kernel. Its kind follows from the architecture: PTX for <c>compute_XY</c>, a cubin for <c>sm_XY</c>.</summary>
    internal sealed class ManifestImageEntry
    {
        public ManifestImageEntry(ArchitectureName architecture, string resource, string sha256)
        {
            Architecture = architecture;
            Resource = resource;
            Sha256 = sha256;
        }

        public ArchitectureName Architecture { get; }

        /// <summary><see cref="ArchitectureName.PtxKind"/> or <see cref="ArchitectureName.CubinKind"/>.</summary>
        public string Kind => Architecture.ImageKind;

        /// <summary>The embedded resource holding the image's bytes (<see cref="KernelResources.ForImage"/>).</summary>
        public string Resource { get; }

        /// <summary>Lowercase hex SHA-256 of the image's bytes.</summary>
        public string Sha256 { get; }
    }
}
