using System;
using System.Globalization;

namespace KernelBuild.Runtime;

/// <summary>A device's (or an image's) compute capability, e.g. 8.6.</summary>
/// <param name="Major">The architecture generation (8 for Ampere, 9 for Hopper, …).</param>
/// <param name="Minor">The revision within the generation.</param>
public readonly record struct ComputeCapability(int Major, int Minor) : IComparable<ComputeCapability>
{
    /// <inheritdoc/>
    public int CompareTo(ComputeCapability other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>Orders by major, then minor.</summary>
    public static bool operator <(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) < 0;

    /// <summary>Orders by major, then minor.</summary>
    public static bool operator >(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) > 0;

    /// <summary>Orders by major, then minor.</summary>
    public static bool operator <=(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by major, then minor.</summary>
    public static bool operator >=(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) >= 0;

    /// <summary>"major.minor", as NVIDIA writes it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
