using System;
using System.Globalization;

namespace KernelBuild.Runtime;

/// <summary>
/// Grid or block dimensions, as CUDA's <c>dim3</c>. Converts implicitly from an int (a 1-D shape)
/// and from 2- and 3-tuples, so <c>Launch(grid: 64, block: (16, 16), …)</c> reads like CUDA C++.
/// </summary>
public readonly record struct Dim3
{
    /// <summary>Dimensions of at least 1 each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is zero.</exception>
    public Dim3(uint x, uint y = 1, uint z = 1)
    {
        // A zero dimension is an empty launch, which the driver rejects with a bare
        // CUDA_ERROR_INVALID_VALUE; saying which dimension is zero helps more.
        ArgumentOutOfRangeException.ThrowIfZero(x);
        ArgumentOutOfRangeException.ThrowIfZero(y);
        ArgumentOutOfRangeException.ThrowIfZero(z);
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The x dimension.</summary>
    public uint X { get; }

    /// <summary>The y dimension.</summary>
    public uint Y { get; }

    /// <summary>The z dimension.</summary>
    public uint Z { get; }

    /// <summary>X × Y × Z.</summary>
    public ulong Count => (ulong)X * Y * Z;

    /// <summary>A 1-D shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is not positive.</exception>
    public static implicit operator Dim3(int x) => new(Positive(x, nameof(x)));

    /// <summary>A 1-D shape.</summary>
    public static implicit operator Dim3(uint x) => new(x);

    /// <summary>A 2-D shape.</summary>
    public static implicit operator Dim3((int X, int Y) shape) =>
        new(Positive(shape.X, "X"), Positive(shape.Y, "Y"));

    /// <summary>A 3-D shape.</summary>
    public static implicit operator Dim3((int X, int Y, int Z) shape) =>
        new(Positive(shape.X, "X"), Positive(shape.Y, "Y"), Positive(shape.Z, "Z"));

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X}, {Y}, {Z})");

    private static uint Positive(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return (uint)value;
    }
}
