using System;

namespace KernelBuild.Runtime;

/// <summary>
/// A read-only view of a <see cref="DeviceBuffer{T}"/>: what a typed launcher takes for a <c>const T*</c> kernel
/// parameter. A <see cref="DeviceBuffer{T}"/> converts to it implicitly, so either can be passed there; a view
/// cannot be passed for a <c>T*</c> parameter, so the C# compiler keeps the kernel's const promise.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct ReadOnlyDeviceBuffer<T> : IEquatable<ReadOnlyDeviceBuffer<T>> where T : unmanaged
{
    /// <summary>A view of <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    public ReadOnlyDeviceBuffer(DeviceBuffer<T> buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Buffer = buffer;
    }

    /// <summary>The buffer viewed; kept alive by the view.</summary>
    public DeviceBuffer<T> Buffer { get; }

    /// <summary>The number of elements.</summary>
    public long Length => Buffer.Length;

    /// <summary>The device address of the first element.</summary>
    public ulong DeviceAddress => Buffer.DeviceAddress;

    /// <summary>Copies the first <c>destination.Length</c> elements into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination) => Buffer.CopyTo(destination);

    /// <summary>Views <paramref name="buffer"/> read-only.</summary>
    public static implicit operator ReadOnlyDeviceBuffer<T>(DeviceBuffer<T> buffer) => new(buffer);

    /// <inheritdoc/>
    public bool Equals(ReadOnlyDeviceBuffer<T> other) => ReferenceEquals(Buffer, other.Buffer);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReadOnlyDeviceBuffer<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Buffer?.GetHashCode() ?? 0;

    /// <summary>Whether two views view the same buffer.</summary>
    public static bool operator ==(ReadOnlyDeviceBuffer<T> left, ReadOnlyDeviceBuffer<T> right) => left.Equals(right);

    /// <summary>Whether two views view different buffers.</summary>
    public static bool operator !=(ReadOnlyDeviceBuffer<T> left, ReadOnlyDeviceBuffer<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => "read-only " + Buffer;
}
