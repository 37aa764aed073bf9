namespace KernelBuild.Runtime;

/// <summary>The two kinds of image KernelBuild embeds.</summary>
public enum KernelImageKind
{
    /// <summary>PTX text for a virtual architecture (<c>compute_XY</c>), compiled by the driver's JIT at load time.</summary>
    Ptx,

    /// <summary>Machine code (ELF) for one real architecture family (<c>sm_XY</c>), loaded as is.</summary>
    Cubin,
}
