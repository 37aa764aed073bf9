using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KernelBuild.Generator
{
    /// <summary>
    /// A C# struct of the compilation mapped to a C++ type by <c>[CudaStruct("ns::Particle")]</c>, with the layout the
    /// generator computed for it. An incremental pipeline value: equal when everything the launchers use is equal.
    /// </summary>
    internal sealed class MappedStruct : IEquatable<MappedStruct>
    {
        public MappedStruct(string cppName, string csharpType, bool isPublic, int size, int alignment, string? problem, string path, TextSpan span, LinePositionSpan lines)
        {
            CppName = cppName;
            CSharpType = csharpType;
            IsPublic = isPublic;
            Size = size;
            Alignment = alignment;
            Problem = problem;
            Path = path;
            Span = span;
            Lines = lines;
        }

        /// <summary>The C++ type's qualified name, as signature files spell it (<c>ns::Particle</c>).</summary>
        public string CppName { get; }
        /// <summary>The C# type, fully qualified (<c>global::App.Particle</c>).</summary>
        public string CSharpType { get; }
        /// <summary>Visible outside its assembly: otherwise the launchers that take it are internal (a public method cannot expose it).</summary>
        public bool IsPublic { get; }
        /// <summary>The struct's size in .NET: the bytes MemoryMarshal.Write puts into the argument block, and the stride of a buffer of it.</summary>
        public int Size { get; }
        /// <summary>The alignment CUDA gives a struct of these fields (and the declared <c>Alignment</c>).</summary>
        public int Alignment { get; }
        /// <summary>Why the layout cannot be used (KB5105), or null.</summary>
        public string? Problem { get; }
        public string Path { get; }
        public TextSpan Span { get; }
        public LinePositionSpan Lines { get; }

        public Location Location => Location.Create(Path, Span, Lines);

        public bool Equals(MappedStruct? other) =>
            other != null && CppName == other.CppName && CSharpType == other.CSharpType && IsPublic == other.IsPublic && Size == other.Size && Alignment == other.Alignment
            && Problem == other.Problem && Path == other.Path && Span == other.Span && Lines == other.Lines;

        public override bool Equals(object? obj) => Equals(obj as MappedStruct);

        public override int GetHashCode() => (CppName.GetHashCode() * 31 + CSharpType.GetHashCode()) * 31 + Size;

        /// <summary>The mapping of a struct carrying the attribute; the layout computed from its symbol.</summary>
        public static MappedStruct Of(INamedTypeSymbol type, AttributeData attribute, SyntaxNode declaration)
        {
            string cppName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name ? name.Trim() : "";
            if (cppName.StartsWith("::", StringComparison.Ordinal)) cppName = cppName.Substring(2);
            int declaredAlignment = attribute.NamedArguments.Where(a => a.Key == "Alignment").Select(a => a.Value.Value is int value ? value : 0).FirstOrDefault();
            string csharpType = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            Location location = declaration is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax typeDeclaration
                ? typeDeclaration.Identifier.GetLocation()
                : declaration.GetLocation();
            FileLinePositionSpan lines = location.GetLineSpan();

            CudaStructLayout layout = CudaStructLayout.Compute(type, declaredAlignment, out string? problem);
            Accessibility access = EffectiveAccessibility(type);
            if (access != Accessibility.Public && access != Accessibility.Internal) problem = "the launchers cannot see it; make it (and the types it is nested in) public or internal";
            if (cppName.Length == 0) problem = "the CudaStruct attribute names no C++ type";
            return new MappedStruct(cppName, csharpType, access == Accessibility.Public, layout.Size, layout.CudaAlignment, problem, lines.Path, location.SourceSpan, lines.Span);
        }

        /// <summary>The least accessibility along the type and the types it is nested in.</summary>
        private static Accessibility EffectiveAccessibility(INamedTypeSymbol type)
        {
            Accessibility least = Accessibility.Public;
            for (INamedTypeSymbol? t = type; t != null; t = t.ContainingType)
            {
                if (t.DeclaredAccessibility < least) least = t.DeclaredAccessibility;
            }
            return least;
        }
    }

    /// <summary>
    /// The layout of a mapped C# struct, computed as the .NET runtime lays out an unmanaged struct (sequential or
    /// explicit; <c>Pack</c> and <c>Size</c> honoured), and the alignment the CUDA compiler gives a C++ struct of the
    /// same fields. The two agree only when each field's .NET offset is one the C++ layout could have: that is checked
    /// too, so that a size and alignment that match the compiler's mean the bytes do.
    /// </summary>
    internal readonly struct CudaStructLayout
    {
        private const string CudaStructAttribute = "KernelBuild.Runtime.CudaStructAttribute";
        private const int MaxNesting = 16;

        private CudaStructLayout(int size, int netAlignment, int cudaAlignment)
        {
            Size = size;
            NetAlignment = netAlignment;
            CudaAlignment = cudaAlignment;
        }

        public int Size { get; }
        public int NetAlignment { get; }
        public int CudaAlignment { get; }

        /// <summary>The runtime's vector types: element size by name prefix (<c>Float</c> of <c>Float4</c>).</summary>
        private static readonly Dictionary<string, int> s_vectorElementSizes = new Dictionary<string, int>
        {
            ["Char"] = 1, ["UChar"] = 1, ["Short"] = 2, ["UShort"] = 2, ["Int"] = 4, ["UInt"] = 4,
            ["LongLong"] = 8, ["ULongLong"] = 8, ["Float"] = 4, ["Double"] = 8,
        };

        public static CudaStructLayout Compute(INamedTypeSymbol type, int declaredAlignment, out string? problem) =>
            Compute(type, declaredAlignment, 0, out problem);

        private static CudaStructLayout Compute(INamedTypeSymbol type, int declaredAlignment, int depth, out string? problem)
        {
            problem = null;
            if (!type.IsUnmanagedType || type.TypeKind != TypeKind.Struct || depth > MaxNesting)
            {
                problem = "it is not an unmanaged struct";
                return default;
            }
            if (declaredAlignment < 0 || (declaredAlignment & (declaredAlignment - 1)) != 0)
            {
                problem = "its CudaStruct Alignment " + declaredAlignment + " is not a power of two";
                return default;
            }
            (int kind, int pack, int explicitSize) = LayoutAttribute(type);
            if (kind == 3)
            {
                problem = "LayoutKind.Auto lets the runtime reorder its fields; use LayoutKind.Sequential or LayoutKind.Explicit";
                return default;
            }
            int fieldCap = pack == 0 ? 8 : pack; // .NET's default packing is 8 bytes
            int end = 0, netAlignment = 1, cudaAlignment = Math.Max(1, declaredAlignment);
            foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
            {
                CudaStructLayout fieldLayout = OfField(field, depth, out problem);
                if (problem != null) return default;
                int fieldNetAlignment = Math.Min(fieldLayout.NetAlignment, fieldCap);
                int fieldCudaAlignment = pack == 0 ? fieldLayout.CudaAlignment : Math.Min(fieldLayout.CudaAlignment, pack); // #pragma pack(n) caps alike
                int offset = kind == 2 ? FieldOffset(field) : RoundUp(end, fieldNetAlignment);
                if (offset % fieldCudaAlignment != 0)
                {
                    problem = "field '" + field.Name + "' is at offset " + offset + ", but CUDA aligns its type to " + fieldCudaAlignment
                        + " bytes; place it at a multiple of " + fieldCudaAlignment + " (padding fields before it, or LayoutKind.Explicit with [FieldOffset])";
                    return default;
                }
                end = Math.Max(end, offset + fieldLayout.Size);
                netAlignment = Math.Max(netAlignment, fieldNetAlignment);
                cudaAlignment = Math.Max(cudaAlignment, fieldCudaAlignment);
            }
            // The runtime's rule (measured): an explicit Size wins when larger, unrounded; otherwise the end rounded up
            // to the alignment; an empty struct has 1 byte.
            int size = explicitSize > 0 ? Math.Max(explicitSize, end) : Math.Max(1, RoundUp(end, netAlignment));
            if (size % cudaAlignment != 0)
            {
                problem = "it has " + size + " bytes, but a C++ struct aligned to " + cudaAlignment + " bytes has a multiple of that; make it "
                    + RoundUp(size, cudaAlignment) + " bytes with [StructLayout(LayoutKind.Sequential, Size = " + RoundUp(size, cudaAlignment) + ")]";
                return default;
            }
            return new CudaStructLayout(size, netAlignment, cudaAlignment);
        }

        /// <summary>A field's size, .NET alignment and CUDA alignment.</summary>
        private static CudaStructLayout OfField(IFieldSymbol field, int depth, out string? problem)
        {
            problem = null;
            if (field.IsFixedSizeBuffer && field.Type is IPointerTypeSymbol pointer)
            {
                CudaStructLayout element = OfType(pointer.PointedAtType, depth, out problem);
                return problem == null ? new CudaStructLayout(element.Size * field.FixedSize, element.NetAlignment, element.CudaAlignment) : default;
            }
            CudaStructLayout layout = OfType(field.Type, depth, out problem);
            if (problem != null) problem = "field '" + field.Name + "' " + problem;
            return layout;
        }

        private static CudaStructLayout OfType(ITypeSymbol type, int depth, out string? problem)
        {
            problem = null;
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
            {
                type = underlying;
            }
            int primitive = PrimitiveSize(type.SpecialType);
            if (primitive > 0) return new CudaStructLayout(primitive, primitive, primitive);
            if (type.ToDisplayString() == "System.Half") return new CudaStructLayout(2, 2, 2);
            if (type is INamedTypeSymbol named && VectorElementSize(named, out int elementSize, out int count))
            {
                // CUDA aligns T2 to its size, T4 to its size up to 16, T3 to its element (vector_types.h).
                int cudaAlignment = count == 3 ? elementSize : Math.Min(count * elementSize, 16);
                return new CudaStructLayout(count * elementSize, elementSize, cudaAlignment);
            }
            if (type is INamedTypeSymbol nested && nested.TypeKind == TypeKind.Struct && nested.SpecialType == SpecialType.None)
            {
                AttributeData? attribute = nested.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == CudaStructAttribute);
                if (attribute == null || nested.Locations.All(l => !l.IsInSource))
                {
                    problem = "has the struct type " + type.ToDisplayString() + ", which is not a [CudaStruct] struct of this project";
                    return default;
                }
                int declared = attribute.NamedArguments.Where(a => a.Key == "Alignment").Select(a => a.Value.Value is int value ? value : 0).FirstOrDefault();
                CudaStructLayout layout = Compute(nested, declared, depth + 1, out string? nestedProblem);
                if (nestedProblem != null) problem = "has the type " + type.ToDisplayString() + ", whose layout cannot be used: " + nestedProblem;
                return layout;
            }
            problem = "has the type " + type.ToDisplayString() + ", which has no CUDA counterpart (use the scalar types sbyte, byte, short, ushort, int, uint, long, ulong, float, double, bool, System.Half, the runtime's vector types, or another [CudaStruct] struct)";
            return default;
        }

        private static int PrimitiveSize(SpecialType type) => type switch
        {
            SpecialType.System_Boolean or SpecialType.System_SByte or SpecialType.System_Byte => 1,
            SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
            _ => 0, // char (UTF-16, no C++ counterpart of that name), nint, decimal: not mapped
        };

        private static bool VectorElementSize(INamedTypeSymbol type, out int elementSize, out int count)
        {
            elementSize = count = 0;
            string name = type.Name;
            if (type.ContainingNamespace?.ToDisplayString() != "KernelBuild.Runtime" || name.Length < 2) return false;
            count = name[name.Length - 1] - '0';
            return count >= 2 && count <= 4 && s_vectorElementSizes.TryGetValue(name.Substring(0, name.Length - 1), out elementSize);
        }

        /// <summary>StructLayoutAttribute of a struct declared in source: (kind: 0 sequential, 2 explicit, 3 auto; Pack; Size).</summary>
        private static (int Kind, int Pack, int Size) LayoutAttribute(INamedTypeSymbol type)
        {
            AttributeData? layout = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute");
            if (layout == null || layout.ConstructorArguments.Length != 1) return (0, 0, 0);
            int kind = Convert.ToInt32(layout.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture);
            int pack = 0, size = 0;
            foreach (KeyValuePair<string, TypedConstant> argument in layout.NamedArguments)
            {
                if (argument.Key == "Pack" && argument.Value.Value is int p) pack = p;
                if (argument.Key == "Size" && argument.Value.Value is int s) size = s;
            }
            return (kind, pack, size);
        }

        private static int FieldOffset(IFieldSymbol field)
        {
            AttributeData? offset = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.FieldOffsetAttribute");
            return offset != null && offset.ConstructorArguments.Length == 1 && offset.ConstructorArguments[0].Value is int value ? value : 0;
        }

        private static int RoundUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
    }
}
