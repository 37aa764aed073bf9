using System;

namespace KernelBuild.Runtime;

/// <summary>
/// Maps a C# struct to a C++ struct of the kernels, so that the typed launchers take it where a kernel takes the
/// C++ type by value or points to it (docs/launchers.md). The struct must be unmanaged, with fields of the mapped
/// scalar and vector types or other mapped structs; the launcher generator computes its size and alignment and
/// reports error KB5104 at the kernel's line when they differ from what the CUDA compiler gave the C++ type.
/// </summary>
/// <example>
/// For <c>namespace ns { struct Particle { float x, y; int id; }; }</c>:
/// <code>
/// [CudaStruct("ns::Particle")]
/// public struct Particle { public float X; public float Y; public int Id; }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class CudaStructAttribute : Attribute
{
    /// <summary>Maps the struct to the C++ type <paramref name="cppName"/>.</summary>
    /// <param name="cppName">
    /// The C++ type's qualified name as the kernel's signature file spells it, without a leading <c>::</c>:
    /// <c>Particle</c>, <c>ns::Particle</c>, <c>ns::Outer::Inner</c>, <c>Pair&lt;float&gt;</c>.
    /// </param>
    public CudaStructAttribute(string cppName) => CppName = cppName;

    /// <summary>The C++ type's qualified name.</summary>
    public string CppName { get; }

    /// <summary>
    /// The C++ type's alignment where it is stricter than its fields' (<c>struct __align__(16) P { float x, y, z; }</c>:
    /// 16, with <c>[StructLayout(LayoutKind.Sequential, Size = 16)]</c> for the padding); 0, the default, for none.
    /// </summary>
    public int Alignment { get; set; }
}
