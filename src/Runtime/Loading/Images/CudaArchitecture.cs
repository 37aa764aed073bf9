using System;
using KernelBuild.Formats;

namespace KernelBuild.Runtime;

/// <summary>
/// An architecture name as NVRTC spells it: <c>sm_86</c> (real, a cubin) or <c>compute_52</c>
/// (virtual, PTX), optionally with the <c>a</c> (architecture-specific) or <c>f</c>
/// (family-specific) suffix of newer toolkits. The rules are the ones the build applies to
/// <c>CudaArchitectures</c>: letter case is ignored and <see cref="Name"/> is lower case.
/// </summary>
public readonly record struct CudaArchitecture
{
    private CudaArchitecture(ArchitectureName architecture)
    {
        Name = architecture.Name;
        IsVirtual = architecture.IsVirtual;
        Capability = new ComputeCapability(architecture.Major, architecture.Minor);
        Suffix = architecture.Suffix;
    }

    /// <summary>The name in lower case, e.g. <c>sm_90a</c>.</summary>
    public string Name { get; }

    /// <summary>True for <c>compute_XY</c> (PTX), false for <c>sm_XY</c> (cubin).</summary>
    public bool IsVirtual { get; }

    /// <summary>The compute capability the name stands for (<c>sm_86</c> → 8.6).</summary>
    public ComputeCapability Capability { get; }

    /// <summary><c>'a'</c>, <c>'f'</c>, or <c>'\0'</c> for none.</summary>
    public char Suffix { get; }

    /// <summary>
    /// Parses <c>sm_XY</c> / <c>compute_XY</c> (two or three digits, the last the minor version:
    /// <c>sm_100</c> → 10.0), with an optional <c>a</c> or <c>f</c>, in any letter case.
    /// </summary>
    /// <exception cref="FormatException">Not an architecture name.</exception>
    public static CudaArchitecture Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out CudaArchitecture architecture)
            ? architecture
            : throw new FormatException($"'{name}' is not a CUDA architecture name (expected sm_XY or compute_XY, e.g. sm_86, compute_52, sm_90a)");
    }

    /// <summary>Parses like <see cref="Parse"/>, without throwing.</summary>
    public static bool TryParse(string? name, out CudaArchitecture architecture)
    {
        bool parsed = ArchitectureName.TryParse(name, out ArchitectureName shared);
        architecture = parsed ? new CudaArchitecture(shared) : default;
        return parsed;
    }

    internal static CudaArchitecture From(ArchitectureName architecture) => new(architecture);

    /// <summary>Whether a device of capability <paramref name="device"/> can use an image for this architecture.</summary>
    /// <remarks>
    /// A cubin runs on its own major version with an equal or higher minor (sm_80 runs on 8.6, not
    /// on 9.0 or 7.5). PTX is forward compatible: the JIT compiles compute_52 for any later device.
    /// The <c>a</c> variants use features of exactly one capability, and the <c>f</c> variants those
    /// of one major family, so they are bound the same way.
    /// </remarks>
    public bool CanRunOn(ComputeCapability device)
    {
        if (Suffix == ArchitectureName.ArchitectureSpecific)
        {
            return device == Capability;
        }
        bool sameFamily = device.Major == Capability.Major && device.Minor >= Capability.Minor;
        return IsVirtual && Suffix != ArchitectureName.FamilySpecific ? Capability <= device : sameFamily;
    }

    /// <inheritdoc/>
    public override string ToString() => Name ?? string.Empty;
}
