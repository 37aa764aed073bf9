using System.Collections.Generic;

namespace KernelBuild.Generator
{
    /// <summary>How a kernel parameter is passed from C#: the parameter's C# type and what goes into the argument block.</summary>
    internal sealed class MappedParameter
    {
        public MappedParameter(string csharpType, bool isBuffer, bool isClass, bool isStruct = false, bool isInternal = false)
        {
            CSharpType = csharpType;
            IsBuffer = isBuffer;
            IsClass = isClass;
            IsStruct = isStruct;
            IsInternal = isInternal;
        }

        /// <summary>Fully qualified C# type of the launcher's parameter.</summary>
        public string CSharpType { get; }
        /// <summary>A device buffer or view: its 8-byte device address is passed.</summary>
        public bool IsBuffer { get; }
        /// <summary>A reference type, checked for null before the launch.</summary>
        public bool IsClass { get; }
        /// <summary>A user's [CudaStruct] struct by value: taken as an <c>in</c> parameter, so that a launch copies it once, into the block.</summary>
        public bool IsStruct { get; }
        /// <summary>The type involves an internal [CudaStruct] struct: the launcher must be internal too.</summary>
        public bool IsInternal { get; }
    }

    /// <summary>
    /// Maps the compiler's parameter types to C# (docs/launchers.md). Every mapping is checked against the PTX size of
    /// the parameter, so the argument block the driver copies has exactly the bytes the kernel expects.
    /// </summary>
    internal static class TypeMapping
    {
        private const string Runtime = "global::KernelBuild.Runtime.";

        /// <summary>C++ fundamental type to (C# type, size); <c>long</c> is resolved by the PTX size (64-bit Linux or Windows).</summary>
        private static readonly Dictionary<string, (string Type, int Size)> s_builtins = new Dictionary<string, (string, int)>
        {
            ["bool"] = ("bool", 1),
            ["char"] = ("sbyte", 1),
            ["signed char"] = ("sbyte", 1),
            ["unsigned char"] = ("byte", 1),
            ["short"] = ("short", 2),
            ["unsigned short"] = ("ushort", 2),
            ["int"] = ("int", 4),
            ["unsigned int"] = ("uint", 4),
            ["long long"] = ("long", 8),
            ["unsigned long long"] = ("ulong", 8),
            ["float"] = ("float", 4),
            ["double"] = ("double", 8),
        };

        private static readonly Dictionary<string, (string Prefix, int ElementSize)> s_vectorElements = new Dictionary<string, (string, int)>
        {
            ["char"] = ("Char", 1), ["uchar"] = ("UChar", 1), ["short"] = ("Short", 2), ["ushort"] = ("UShort", 2),
            ["int"] = ("Int", 4), ["uint"] = ("UInt", 4), ["longlong"] = ("LongLong", 8), ["ulonglong"] = ("ULongLong", 8),
            ["float"] = ("Float", 4), ["double"] = ("Double", 8),
        };

        private static readonly Dictionary<string, MappedStruct> s_noStructs = new Dictionary<string, MappedStruct>();

        /// <summary>The C# mapping of a parameter, or null with the reason in <paramref name="problem"/>.</summary>
        public static MappedParameter? Map(ParameterSignature parameter, out string? problem) => Map(parameter, s_noStructs, out problem, out _);

        /// <summary>
        /// The C# mapping of a parameter, with the user's [CudaStruct] structs by C++ name; or null with the reason in
        /// <paramref name="problem"/>, and <paramref name="layoutMismatch"/> set where a mapped struct's size or alignment
        /// differs from the compiler's (KB5104 rather than KB5101).
        /// </summary>
        public static MappedParameter? Map(ParameterSignature parameter, IReadOnlyDictionary<string, MappedStruct> structs, out string? problem, out bool layoutMismatch)
        {
            problem = null;
            layoutMismatch = false;
            string[] words = parameter.Encoding.Split(new[] { ' ' }, 2);
            string kind = words[0], rest = words.Length > 1 ? words[1] : "";
            if (kind == "pointer")
            {
                return MapPointer(parameter, rest, structs, out problem);
            }
            string? type = MapValue(kind, rest, parameter.Size);
            if (type != null)
            {
                return new MappedParameter(type, isBuffer: false, isClass: false);
            }
            if (kind == "named" && structs.TryGetValue(rest, out MappedStruct? mapped))
            {
                return MapStruct(parameter, mapped, out problem, out layoutMismatch);
            }
            problem = Unsupported(kind, parameter);
            return null;
        }

        /// <summary>A [CudaStruct] struct by value: usable when its size and alignment are the compiler's.</summary>
        private static MappedParameter? MapStruct(ParameterSignature parameter, MappedStruct mapped, out string? problem, out bool layoutMismatch)
        {
            problem = null;
            layoutMismatch = false;
            if (mapped.Problem != null)
            {
                problem = "the C# struct " + mapped.CSharpType + " mapped to " + mapped.CppName + " has a layout the launchers cannot use (error KB5105 at its declaration)";
                return null;
            }
            if (mapped.Size != parameter.Size || mapped.Alignment != parameter.Alignment)
            {
                layoutMismatch = true;
                return null;
            }
            return new MappedParameter(mapped.CSharpType, isBuffer: false, isClass: false, isStruct: true, isInternal: !mapped.IsPublic);
        }

        private static MappedParameter? MapPointer(ParameterSignature parameter, string pointee, IReadOnlyDictionary<string, MappedStruct> structs, out string? problem)
        {
            problem = null;
            bool isConst = pointee.StartsWith("const ", System.StringComparison.Ordinal);
            string[] words = pointee.Substring(pointee.IndexOf(' ') + 1).Split(new[] { ' ' }, 2);
            string? element = words.Length == 2 ? MapValue(words[0], words[1], size: -1) : null;
            bool isInternal = false;
            if (element == null && words.Length == 2 && words[0] == "named" && structs.TryGetValue(words[1], out MappedStruct? mapped) && mapped.Problem == null)
            {
                // A pointer carries no size of what it points to: the struct's own checks (KB5105) are what hold here.
                element = mapped.CSharpType;
                isInternal = !mapped.IsPublic;
            }
            if (element == null || parameter.Size != 8)
            {
                string target = parameter.Spelling.TrimEnd('*', ' ');
                problem = "a pointer to " + target + " has no device buffer type (pointers to scalars, vector types and [CudaStruct] structs do)"
                    + (words.Length == 2 && words[0] == "named" ? MapHint(words[1]) : "");
                return null;
            }
            return isConst
                ? new MappedParameter(Runtime + "ReadOnlyDeviceBuffer<" + element + ">", isBuffer: true, isClass: false, isInternal: isInternal)
                : new MappedParameter(Runtime + "DeviceBuffer<" + element + ">", isBuffer: true, isClass: true, isInternal: isInternal);
        }

        /// <summary>A by-value type; <paramref name="size"/> is the PTX size to match, or -1 for a pointee (any size).</summary>
        private static string? MapValue(string kind, string name, int size)
        {
            if (kind == "builtin")
            {
                if (name == "long" || name == "unsigned long")
                {
                    // 8 bytes on 64-bit Linux, 4 on Windows: the PTX says which; as a pointee, the host's own size.
                    bool wide = size == 8 || (size == -1 && !System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows));
                    return name == "long" ? (wide ? "long" : "int") : (wide ? "ulong" : "uint");
                }
                return s_builtins.TryGetValue(name, out (string Type, int Size) builtin) && (size == -1 || size == builtin.Size) ? builtin.Type : null;
            }
            if (kind == "named")
            {
                return MapNamed(name, size);
            }
            return null;
        }

        private static string? MapNamed(string name, int size)
        {
            if (name == "__half")
            {
                return size == -1 || size == 2 ? "global::System.Half" : null;
            }
            if (name.Length < 2) return null;
            char last = name[name.Length - 1];
            if (last < '2' || last > '4') return null;
            string element = name.Substring(0, name.Length - 1);
            element = element == "long" ? "longlong" : element == "ulong" ? "ulonglong" : element; // LP64
            if (!s_vectorElements.TryGetValue(element, out (string Prefix, int ElementSize) vector)) return null;
            int count = last - '0';
            return size == -1 || size == count * vector.ElementSize ? Runtime + vector.Prefix + count : null;
        }

        private static string Unsupported(string kind, ParameterSignature parameter) => kind switch
        {
            "named" => "the type " + parameter.Spelling + " (a struct, union or enum, " + parameter.Size + " bytes, aligned to " + parameter.Alignment + ") is not mapped to a C# type"
                + MapHint(parameter.Encoding.Substring("named ".Length)),
            "builtin" => "the fundamental type " + parameter.Spelling + " (" + parameter.Size + " bytes) has no C# counterpart of that size",
            _ => parameter.Spelling + " cannot be passed from C#",
        };

        private static string MapHint(string cppName) =>
            "; declare a C# struct with the same fields in this project and mark it [KernelBuild.Runtime.CudaStruct(\"" + cppName + "\")]";
    }
}
