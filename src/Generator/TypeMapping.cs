using System.Collections.Generic;

namespace KernelBuild.Generator
{
    /// <summary>How a kernel parameter is passed from C#: the parameter's C# type and what goes into the argument block.</summary>
    internal sealed class MappedParameter
    {
        public MappedParameter(string csharpType, bool isBuffer, bool isClass)
        {
            CSharpType = csharpType;
            IsBuffer = isBuffer;
            IsClass = isClass;
        }

        /// <summary>Fully qualified C# type of the launcher's parameter.</summary>
        public string CSharpType { get; }
        /// <summary>A device buffer or view: its 8-byte device address is passed.</summary>
        public bool IsBuffer { get; }
        /// <summary>A reference type, checked for null before the launch.</summary>
        public bool IsClass { get; }
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

        /// <summary>The C# mapping of a parameter, or null with the reason in <paramref name="problem"/>.</summary>
        public static MappedParameter? Map(ParameterSignature parameter, out string? problem)
        {
            problem = null;
            string[] words = parameter.Encoding.Split(new[] { ' ' }, 2);
            string kind = words[0], rest = words.Length > 1 ? words[1] : "";
            if (kind == "pointer")
            {
                return MapPointer(parameter, rest, out problem);
            }
            string? type = MapValue(kind, rest, parameter.Size);
            if (type == null)
            {
                problem = Unsupported(kind, parameter);
                return null;
            }
            return new MappedParameter(type, isBuffer: false, isClass: false);
        }

        private static MappedParameter? MapPointer(ParameterSignature parameter, string pointee, out string? problem)
        {
            problem = null;
            bool isConst = pointee.StartsWith("const ", System.StringComparison.Ordinal);
            string[] words = pointee.Substring(pointee.IndexOf(' ') + 1).Split(new[] { ' ' }, 2);
            string? element = words.Length == 2 ? MapValue(words[0], words[1], size: -1) : null;
            if (element == null || parameter.Size != 8)
            {
                problem = "a pointer to " + parameter.Spelling.TrimEnd('*', ' ') + " has no device buffer type (pointers to scalars and vector types do)";
                return null;
            }
            return isConst
                ? new MappedParameter(Runtime + "ReadOnlyDeviceBuffer<" + element + ">", isBuffer: true, isClass: false)
                : new MappedParameter(Runtime + "DeviceBuffer<" + element + ">", isBuffer: true, isClass: true);
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
            "named" => "the " + parameter.Spelling + " (a struct, union or enum, " + parameter.Size + " bytes) is not mapped to a C# type yet",
            "builtin" => "the fundamental type " + parameter.Spelling + " (" + parameter.Size + " bytes) has no C# counterpart of that size",
            _ => parameter.Spelling + " cannot be passed from C#",
        };
    }
}
