using System;
using System.Globalization;

namespace KernelBuild.Runtime;

/// <summary>
/// An architecture name as NVRTC spells it: <c>sm_86</c> (real, a cubin) or <c>compute_52</c>
/// (virtual, PTX), optionally with the <c>a</c> (architecture-specific) or <c>f</c>
/// (family-specific) suffix of newer toolkits.
/// </summary>
public readonly record struct CudaArchitecture
{
    private CudaArchitecture(string name, bool isVirtual, ComputeCapability capability, char suffix)
    {
        Name = name;
        IsVirtual = isVirtual;
        Capability = capability;
        Suffix = suffix;
    }

    /// <summary>The name as written, e.g. <c>sm_90a</c>.</summary>
    public string Name { get; }

    /// <summary>True for <c>compute_XY</c> (PTX), false for <c>sm_XY</c> (cubin).</summary>
    public bool IsVirtual { get; }

    /// <summary>The compute capability the name stands for (<c>sm_86</c> → 8.6).</summary>
    public ComputeCapability Capability { get; }

    /// <summary><c>'a'</c>, <c>'f'</c>, or <c>'\0'</c> for none.</summary>
    public char Suffix { get; }

    /// <summary>Parses <c>sm_XY</c> / <c>compute_XY</c>; the last digit is the minor version (<c>sm_100</c> → 10.0).</summary>
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
        architecture = default;
        if (name is null)
        {
            return false;
        }

        bool isVirtual;
        ReadOnlySpan<char> rest;
        if (name.StartsWith("sm_", StringComparison.Ordinal))
        {
            isVirtual = false;
            rest = name.AsSpan(3);
        }
        else if (name.StartsWith("compute_", StringComparison.Ordinal))
        {
            isVirtual = true;
            rest = name.AsSpan(8);
        }
        else
        {
            return false;
        }

        char suffix = '\0';
        if (rest.Length > 0 && rest[^1] is 'a' or 'f')
        {
            suffix = rest[^1];
            rest = rest[..^1];
        }
        if (rest.Length < 2 || !int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return false;
        }

        architecture = new CudaArchitecture(name, isVirtual, new ComputeCapability(number / 10, number % 10), suffix);
        return true;
    }

    /// <summary>Whether a device of capability <paramref name="device"/> can use an image for this architecture.</summary>
    /// <remarks>
    /// A cubin runs on its own major version with an equal or higher minor (sm_80 runs on 8.6, not
    /// on 9.0 or 7.5). PTX is forward compatible: the JIT compiles compute_52 for any later device.
    /// The <c>a</c> variants use features of exactly one capability, and the <c>f</c> variants those
    /// of one major family, so they are bound the same way.
    /// </remarks>
    public bool CanRunOn(ComputeCapability device)
    {
        if (Suffix == 'a')
        {
            return device == Capability;
        }
        bool sameFamily = device.Major == Capability.Major && device.Minor >= Capability.Minor;
        return IsVirtual && Suffix != 'f' ? Capability <= device : sameFamily;
    }

    /// <inheritdoc/>
    public override string ToString() => Name ?? string.Empty;
}
