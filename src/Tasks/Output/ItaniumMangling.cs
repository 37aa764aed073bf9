using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace KernelBuild.Tasks.Output
{
    /// <summary>
    /// Reads the part of the Itanium C++ ABI's name mangling that kernel signatures use: fundamental types, pointers,
    /// const, classes and enums by (nested, templated) name, function types, substitutions. NVRTC mangles what its
    /// front end resolved, so typedefs, macros and namespaces come out as the compiler understood them. Anything
    /// outside that subset throws <see cref="FormatException"/>, or becomes <see cref="CudaTypeKind.Other"/> where the
    /// rest can still be read.
    /// </summary>
    internal sealed class ItaniumMangling
    {
        private static readonly Dictionary<char, string> s_builtins = new Dictionary<char, string>
        {
            ['v'] = "void", ['w'] = "wchar_t", ['b'] = "bool", ['c'] = "char", ['a'] = "signed char", ['h'] = "unsigned char",
            ['s'] = "short", ['t'] = "unsigned short", ['i'] = "int", ['j'] = "unsigned int", ['l'] = "long", ['m'] = "unsigned long",
            ['x'] = "long long", ['y'] = "unsigned long long", ['n'] = "__int128", ['o'] = "unsigned __int128",
            ['f'] = "float", ['d'] = "double", ['e'] = "long double",
        };

        private readonly string _text;
        private readonly List<CudaType> _substitutions = new List<CudaType>();
        private int _position;
        /// <summary>While the function's own name is read: its template arguments, which <c>T_</c>, <c>T0_</c> … refer to.</summary>
        private List<CudaType>? _functionTemplateArguments;
        private bool _readingFunctionName;

        private ItaniumMangling(string text) => _text = text;

        /// <summary>
        /// Reads the name of a signature probe instantiation, <c>Name&lt;Index, R (*)(P...)&gt;</c> mangled as
        /// <c>_Z&lt;len&gt;NameILi&lt;Index&gt;EPF&lt;R&gt;&lt;P...&gt;EEvv</c>.
        /// </summary>
        public static (int Index, CudaFunctionType Type) ParseProbe(string mangled)
        {
            var reader = new ItaniumMangling(mangled);
            reader.Expect("_Z");
            reader.Remember(CudaType.Named(reader.SourceName())); // an unscoped template name is a substitution candidate
            reader.Expect("I");
            reader.Expect("Li");
            int index = reader.Number();
            reader.Expect("E");
            reader.Expect("P");
            CudaFunctionType function = reader.FunctionType();
            reader.Expect("E");
            return (index, function);
        }

        /// <summary>
        /// The C++ name that refers to a kernel with C++ linkage, from its mangled name: <c>_ZN2ns4kernEPf</c> gives
        /// <c>ns::kern</c>, <c>_Z5scaleIfEvPT_S0_i</c> gives <c>scale&lt;float&gt;</c>.
        /// </summary>
        public static string FunctionName(string mangled)
        {
            var reader = new ItaniumMangling(mangled);
            reader.Expect("_Z");
            return reader.Peek() == 'N' ? reader.NestedName() : reader.UnscopedName();
        }

        /// <summary>
        /// The parameter types of a kernel with C++ linkage, from its own mangled name (<c>_Z &lt;name&gt; &lt;parameters&gt;</c>):
        /// <c>_ZN3ops5scaleIfEEvPT_S1_i</c> is <c>ops::scale&lt;float&gt;(float*, float, int)</c>. A function template's name
        /// is followed by its return type, and its parameters may refer to its template arguments (<c>T_</c>). Throws
        /// <see cref="FormatException"/> for anything outside the subset read here, or when characters are left over.
        /// </summary>
        public static CudaFunctionType ParseFunction(string mangled)
        {
            var reader = new ItaniumMangling(mangled);
            reader.Expect("_Z");
            reader._readingFunctionName = true;
            bool isTemplate = reader.Peek() == 'N' ? reader.NestedName().EndsWith(">", StringComparison.Ordinal) : reader.UnscopedName().EndsWith(">", StringComparison.Ordinal);
            reader._readingFunctionName = false;
            if (isTemplate) reader.Type(); // the return type: void for every kernel
            var parameters = new List<CudaType>();
            if (reader.Peek() == 'v' && reader.PeekAt(1) == '\0')
            {
                return new CudaFunctionType(parameters); // (void)
            }
            while (reader.Peek() != '\0') parameters.Add(reader.Type());
            return new CudaFunctionType(parameters);
        }

        private CudaFunctionType FunctionType()
        {
            Expect("F");
            Accept('Y');
            Type(); // the return type: void for every kernel
            var parameters = new List<CudaType>();
            while (Peek() != 'E')
            {
                if (Peek() == 'v' && parameters.Count == 0 && PeekAt(1) == 'E')
                {
                    _position++; // (void): no parameters
                    break;
                }
                parameters.Add(Type());
            }
            Expect("E");
            return new CudaFunctionType(parameters);
        }

        private CudaType Type()
        {
            char c = Peek();
            if (s_builtins.TryGetValue(c, out string? builtin))
            {
                _position++;
                return CudaType.Builtin(builtin);
            }
            switch (c)
            {
                case 'r':
                case 'V':
                case 'K':
                    return Qualified();
                case 'P':
                    _position++;
                    return Remember(CudaType.PointerTo(Type()));
                case 'R':
                case 'O':
                    _position++;
                    return Remember(CudaType.Other(Type().Spelling + (c == 'R' ? "&" : "&&")));
                case 'F':
                    FunctionType();
                    return Remember(CudaType.Other("function type"));
                case 'N':
                    return Remember(CudaType.Named(NestedName()));
                case 'S':
                    return SubstitutionOrStd();
                case 'D':
                    return Extended();
                case 'T':
                    return Remember(TemplateParameter());
                case 'u':
                    _position++;
                    return Remember(CudaType.Other(SourceName()));
                default:
                    if (char.IsDigit(c)) return NamedType();
                    throw Unsupported("type code '" + c + "'");
            }
        }

        /// <summary><c>T_</c> is the function's first template argument, <c>T0_</c> the second, …</summary>
        private CudaType TemplateParameter()
        {
            Expect("T");
            int index = 0;
            if (!Accept('_'))
            {
                index = Number() + 1;
                Expect("_");
            }
            if (_functionTemplateArguments == null || index >= _functionTemplateArguments.Count)
            {
                throw Unsupported("template parameter " + index + " of a name without that many template arguments");
            }
            return _functionTemplateArguments[index];
        }

        private CudaType Qualified()
        {
            bool isConst = false, isVolatile = false;
            while (true)
            {
                if (Accept('r')) continue; // __restrict__ says nothing about the argument's type
                if (Accept('V')) { isVolatile = true; continue; }
                if (Accept('K')) { isConst = true; continue; }
                break;
            }
            CudaType inner = Type();
            CudaType qualified = isVolatile ? CudaType.Other("volatile " + inner.Spelling) : isConst ? inner.WithConst() : inner;
            return Remember(qualified);
        }

        private CudaType Extended()
        {
            _position++;
            char c = Next();
            if (c == 'n') return CudaType.Other("std::nullptr_t");
            if (c == 'h') return CudaType.Other("half-precision floating point");
            throw Unsupported("type code 'D" + c + "'");
        }

        private CudaType NamedType()
        {
            string name = SourceName();
            Remember(CudaType.Named(name));
            if (Peek() != 'I') return CudaType.Named(name);
            return Remember(CudaType.Named(name + TemplateArguments()));
        }

        private CudaType SubstitutionOrStd()
        {
            _position++;
            char c = Peek();
            if (c == 't')
            {
                _position++;
                return NamedTypeWithPrefix("std::");
            }
            if (c == 'a' || c == 'b' || c == 's' || c == 'i' || c == 'o' || c == 'd')
            {
                _position++;
                return CudaType.Other("std:: abbreviation S" + c);
            }
            CudaType substituted = _substitutions.ElementAtOrDefault(SequenceId())
                ?? throw Unsupported("substitution past the " + _substitutions.Count + " recorded");
            if (Peek() != 'I') return substituted;
            return Remember(CudaType.Named(substituted.Name + TemplateArguments()));
        }

        private CudaType NamedTypeWithPrefix(string prefix)
        {
            string name = prefix + SourceName();
            Remember(CudaType.Named(name));
            if (Peek() != 'I') return CudaType.Named(name);
            return Remember(CudaType.Named(name + TemplateArguments()));
        }

        /// <summary><c>S_</c> is 0, <c>S0_</c> is 1, <c>SA_</c> is 11: base 36, plus one (the 'S' is already read).</summary>
        private int SequenceId()
        {
            if (Accept('_')) return 0;
            int value = 0;
            while (Peek() != '_')
            {
                char c = Next();
                int digit = char.IsDigit(c) ? c - '0' : char.IsUpper(c) ? c - 'A' + 10 : throw Unsupported("substitution digit '" + c + "'");
                value = value * 36 + digit;
            }
            _position++;
            return value + 1;
        }

        /// <summary><c>N [K] prefix... E</c>: each prefix is a substitution candidate, as is each template prefix.</summary>
        private string NestedName()
        {
            Expect("N");
            while (Accept('K') || Accept('V') || Accept('r')) { } // a member function's qualifiers
            var name = new StringBuilder();
            while (!Accept('E'))
            {
                if (Peek() == 'I')
                {
                    name.Append(TemplateArguments());
                }
                else if (Peek() == 'S')
                {
                    CudaType prefix = SubstitutionOrStd();
                    name.Append(prefix.Kind == CudaTypeKind.Named ? prefix.Name : throw Unsupported(prefix.Spelling + " in a name"));
                    continue; // a substitution is not recorded again
                }
                else
                {
                    if (name.Length > 0) name.Append("::");
                    name.Append(SourceName());
                }
                Remember(CudaType.Named(name.ToString()));
            }
            // The whole name was recorded as the last prefix; the caller records the type again, so drop one.
            _substitutions.RemoveAt(_substitutions.Count - 1);
            return name.ToString();
        }

        /// <summary>A function's own name outside any namespace, with its template arguments if it is a template.</summary>
        private string UnscopedName()
        {
            string name = SourceName();
            if (Peek() != 'I') return name;
            Remember(CudaType.Named(name));
            return name + TemplateArguments();
        }

        private string TemplateArguments()
        {
            Expect("I");
            bool ofFunctionName = _readingFunctionName;
            _readingFunctionName = false; // a template argument's own template arguments are not the function's
            var arguments = new List<CudaType>();
            while (!Accept('E'))
            {
                arguments.Add(Peek() == 'L' ? CudaType.Other(Literal()) : Type());
            }
            _readingFunctionName = ofFunctionName;
            if (ofFunctionName) _functionTemplateArguments = arguments;
            return "<" + string.Join(", ", arguments.Select(a => a.Spelling)) + ">";
        }

        /// <summary><c>L &lt;builtin type&gt; [n] &lt;digits&gt; E</c>: an integer template argument, as C++ would write it.</summary>
        private string Literal()
        {
            Expect("L");
            char type = Next();
            bool negative = Accept('n');
            int start = _position;
            while (char.IsDigit(Peek())) _position++;
            string digits = _text.Substring(start, _position - start);
            Expect("E");
            if (digits.Length == 0) throw Unsupported("a non-integer template argument");
            if (type == 'b') return digits == "0" ? "false" : "true";
            string suffix = type == 'j' ? "u" : type == 'l' ? "l" : type == 'm' ? "ul" : type == 'x' ? "ll" : type == 'y' ? "ull" : "";
            return (negative ? "-" : "") + digits + suffix;
        }

        private string SourceName()
        {
            int length = Number();
            if (length <= 0 || _position + length > _text.Length) throw Unsupported("a name length of " + length);
            string name = _text.Substring(_position, length);
            _position += length;
            if (name.StartsWith("_GLOBAL__N", StringComparison.Ordinal)) throw Unsupported("an anonymous namespace");
            return name;
        }

        private int Number()
        {
            int start = _position;
            while (char.IsDigit(Peek())) _position++;
            if (start == _position) throw Unsupported("a missing number");
            return int.Parse(_text.Substring(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        private CudaType Remember(CudaType type)
        {
            _substitutions.Add(type);
            return type;
        }

        private char Peek() => PeekAt(0);
        private char PeekAt(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

        private char Next()
        {
            char c = Peek();
            if (c == '\0') throw Unsupported("the end of the name");
            _position++;
            return c;
        }

        private bool Accept(char c)
        {
            if (Peek() != c) return false;
            _position++;
            return true;
        }

        private void Expect(string text)
        {
            if (string.CompareOrdinal(_text, _position, text, 0, text.Length) != 0) throw Unsupported("'" + text + "' expected");
            _position += text.Length;
        }

        private FormatException Unsupported(string what) =>
            new FormatException("cannot read the mangled name '" + _text + "' at offset " + _position + ": " + what);
    }
}
