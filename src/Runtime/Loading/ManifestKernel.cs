using System.Collections.Generic;

namespace KernelBuild.Runtime;

/// <summary>One kernel of the manifest: its source path, entry points and images.</summary>
/// <param name="Source">The kernel's project-relative source path, '/' separators.</param>
/// <param name="EntryPoints">The kernel functions found in the compiled code.</param>
/// <param name="Images">The embedded PTX and cubins.</param>
public sealed record ManifestKernel(string Source, IReadOnlyList<string> EntryPoints, IReadOnlyList<KernelImage> Images);
