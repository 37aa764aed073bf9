namespace KernelBuild.Runtime;

/// <summary>One embedded image of a kernel, as the manifest lists it.</summary>
/// <param name="Architecture">What it was compiled for.</param>
/// <param name="Kind">PTX or cubin.</param>
/// <param name="Resource">The name of the resource holding its bytes, in the kernel bundle (docs/formats.md); read
/// them with <see cref="KernelManifest.ReadImage"/>.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of those bytes.</param>
public sealed record KernelImage(CudaArchitecture Architecture, KernelImageKind Kind, string Resource, string Sha256)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Architecture} ({(Kind == KernelImageKind.Ptx ? "ptx" : "cubin")})";
}
