using System.Collections.Generic;

namespace KernelBuild.Tasks.Output
{
    /// <summary>What a kernel parameter's C++ type is, as the compiler's mangled name spells it (typedefs resolved).</summary>
    internal enum CudaTypeKind
    {
        /// <summary>A fundamental type: <see cref="CudaType.Name"/> is its mangling code's spelling (<c>float</c>, <c>unsigned int</c>).</summary>
        Builtin,
        /// <summary>A class or enumeration, by qualified name (<c>float4</c>, <c>geo::Point</c>).</summary>
        Named,
        Pointer,
        /// <summary>Anything the launchers do not map (references, functions, member pointers, std:: abbreviations).</summary>
        Other,
    }

    /// <summary>A C++ type tree decoded from an Itanium mangled name.</summary>
    internal sealed class CudaType
    {
        private CudaType(CudaTypeKind kind, string name, CudaType? element, bool isConst)
        {
            Kind = kind;
            Name = name;
            Element = element;
            IsConst = isConst;
        }

        public CudaTypeKind Kind { get; }
        /// <summary>Builtin and named types: the C++ spelling of the type itself, without const.</summary>
        public string Name { get; }
        /// <summary>Pointers: the pointee.</summary>
        public CudaType? Element { get; }
        public bool IsConst { get; }

        public static CudaType Builtin(string name) => new CudaType(CudaTypeKind.Builtin, name, null, false);
        public static CudaType Named(string name) => new CudaType(CudaTypeKind.Named, name, null, false);
        public static CudaType PointerTo(CudaType element) => new CudaType(CudaTypeKind.Pointer, "", element, false);
        public static CudaType Other(string spelling) => new CudaType(CudaTypeKind.Other, spelling, null, false);
        public CudaType WithConst() => new CudaType(Kind, Name, Element, true);

        /// <summary>C++ spelling, const first: <c>const float*</c>, <c>float* const</c>, <c>geo::Point</c>.</summary>
        public string Spelling => Kind == CudaTypeKind.Pointer
            ? Element!.Spelling + "*" + (IsConst ? " const" : "")
            : (IsConst ? "const " : "") + Name;

        /// <summary>
        /// The signature file's encoding of the type (docs/launchers.md): <c>builtin float</c>, <c>named geo::Point</c>,
        /// <c>pointer const builtin float</c>, <c>other int&amp;</c>. Top-level const is not part of a parameter's type.
        /// </summary>
        public string Encoding => Kind switch
        {
            CudaTypeKind.Builtin => "builtin " + Name,
            CudaTypeKind.Named => "named " + Name,
            CudaTypeKind.Pointer => "pointer " + (Element!.IsConst ? "const " : "mutable ") + Element.Encoding,
            _ => "other " + Name,
        };
    }

    /// <summary>One kernel's function type: its parameters' types in order.</summary>
    internal sealed class CudaFunctionType
    {
        public CudaFunctionType(IReadOnlyList<CudaType> parameters) => Parameters = parameters;

        public IReadOnlyList<CudaType> Parameters { get; }
    }
}
