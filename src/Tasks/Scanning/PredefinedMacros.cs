using System;
using System.Collections.Generic;
using System.Globalization;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>What the scan knows of a name NVRTC itself may define.</summary>
    internal enum PredefinedState
    {
        /// <summary>Not a name NVRTC defines (no reserved identifier is taken to be one).</summary>
        NotPredefined,
        /// <summary>Defined by NVRTC, with the definition given.</summary>
        Defined,
        /// <summary>Certainly not defined by NVRTC.</summary>
        Undefined,
        /// <summary>Defined by NVRTC, with a value the scan does not know (__CUDA_ARCH__ for several architectures).</summary>
        DefinedWithUnknownValue,
        /// <summary>A reserved identifier whose state the scan does not know (NVRTC defines many: __EDG__,
        /// __LP64__, __CUDACC_DEBUG__ under -G, ...), or a known one whose value depends on what the request
        /// does not say.</summary>
        Unknown,
    }

    /// <summary>
    /// The macros NVRTC predefines for a compile, as far as they were measured (NVRTC 11.8, a probe kernel
    /// per macro; docs/dependencies.md lists them). A name NVRTC does not define in the user's namespace
    /// (no leading underscore) is taken as undefined; measured for linux, unix and NDEBUG, which GCC or
    /// build systems define. A reserved identifier (__x, _X) not in the table is Unknown.
    /// </summary>
    internal sealed class PredefinedMacros
    {
        private readonly Dictionary<string, MacroDefinition?> _known = new Dictionary<string, MacroDefinition?>(StringComparer.Ordinal);
        private readonly HashSet<string> _unknownValue = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _definedUnknownValue = new HashSet<string>(StringComparer.Ordinal);
        private readonly bool _nvrtc118;

        // Measured: no identifier starting with these occurs in NVRTC 11.8's libraries (libnvrtc and
        // libnvrtc-builtins, which holds its built-in headers), except in #if lines of those headers, so NVRTC
        // 11.8 cannot predefine one. They are the namespaces of the C and C++ libraries kernels include, whose
        // configuration and guard macros decide most of their conditions.
        internal static readonly string[] PrefixesAbsentFromNvrtc118 =
        {
            "_GLIBCXX", "__GLIBCXX", "__glibcxx_", "__GLIBC", "__USE_", "_BITS_", "_SYS_", "__need_", "_LIBCUDACXX", "__LIBCUDACXX",
            "_CCCL", "__CCCL", "_CUB_", "__CUB", "_THRUST", "__THRUST", "__cpp_lib_", "_PSTL_", "__CORRECT_ISO_", "_GCC_", "_BSD_", "_ANSI_",
            "__STDC_WANT_", "_ISOC", "_POSIX_", "_XOPEN_", "_LARGEFILE", "_ATFILE_", "_DYNAMIC_STACK_SIZE_", "_T_", "_TYPE_", "_SIZE_T",
            "_PTRDIFF_T", "_VA_LIST", "__DEFINED_", "_GTHREAD_", "__GCC_", "__FLT", "__DBL_", "__LDBL_", "__SIZEOF_", "__UINT", "__ORDER_",
            "__ATOMIC_", "__FP_FAST_", "__ENVIRONMENT_", "_NV_TARGET_", "_NV_COMPILER_", "_NVHPC_",
        };

        // Measured likewise: the include guards and "type defined" flags of C headers ("_STDIO_H", "__ssize_t_defined").
        // Names in the compiler's style ("__X_H__") are excluded: NVRTC's built-in headers define such guards.
        internal static readonly string[] SuffixesAbsentFromNvrtc118 = { "_H", "_H_", "_h", "_h_", "_defined", "_DEFINED", "_DEFINED_", "_DECLARED" };

        // What NVRTC 11.8's libraries do hold among the names the families above describe.
        internal static readonly string[] PresentInNvrtc118 = { "_H", "_GLOBAL_H", "_WCHAR_T" };

        // Measured likewise: names that headers test to recognize a host compiler, platform or build mode, none of
        // which occurs in NVRTC 11.8's libraries.
        internal static readonly string[] NamesAbsentFromNvrtc118 =
        {
            "__ILP32__", "__i386__", "__FreeBSD__", "__NetBSD__", "__OpenBSD__", "__DragonFly__", "__CYGWIN__", "__MINGW32__", "__sun",
            "__sun__", "__svr4__", "_M_X64", "_M_IX86", "_M_ARM", "_M_ARM64", "_MSVC_LANG", "__INTEL_COMPILER", "__IBMCPP__", "_NVHPC_CUDA",
            "__NVCOMPILER_CUDA_ARCH__", "_OPENMP", "__OPTIMIZE__", "__OPTIMIZE_SIZE__", "__NO_INLINE__", "__FAST_MATH__", "__ASSEMBLER__",
            "__SIZEOF_INT128__", "__SIZEOF_FLOAT128__", "__SIZEOF_FLOAT80__", "__FLT_EVAL_METHOD__", "__NO_LONG_DOUBLE_MATH",
            "__LONG_DOUBLE_IEEE128__", "__LONG_DOUBLE_IBM128__", "__SUPPORT_SNAN__", "__CHAR_UNSIGNED__", "__GXX_WEAK__",
            "__GXX_EXPERIMENTAL_CXX0X__", "__DEPRECATED", "__SANITIZE_ADDRESS__", "__SANITIZE_THREAD__", "__STDCPP_THREADS__",
            "_FORTIFY_SOURCE", "_FILE_OFFSET_BITS", "_TIME_BITS", "_REENTRANT", "_THREAD_SAFE", "_DEFAULT_SOURCE", "_SVID_SOURCE", "_DEBUG",
            "_LOOSE_KERNEL_NAMES", "__sequent__", "__bsdi__", "__BSD_NET2__", "____386BSD____", "__CloudABI__", "__FreeBSD_kernel__", "__VMS__",
            "__BEOS__", "__wasi__", "__Fuchsia__", "__hppa__", "__mips__", "__i860__", "__vax__", "__ppc__", "__ppc64__", "__hpux__",
            "__native_client__", "__MWERKS__", "__BORLANDC__", "__DMC__", "__INTELLISENSE__", "__LDBL_COMPAT", "_LIBC", "__LIBC", "_SCO_DS",
"__BIG_ENDIAN__", "__BYTE_ORDER__", "__NO_MATH_ERRNO__", "__FLOAT128__", "__cuda_std__", "_NEWLIB_VERSION", "__ISO_C_VISIBLE",
            "__extern_always_inline", "__REDIRECT", "__GNULIB_CDEFS", "__LDOUBLE_REDIRECTS_TO_FLOAT128_ABI",
        };

        public PredefinedMacros(IncludeScanRequest request)
        {
            Define("__CUDACC__", "1");
            Define("__CUDACC_RTC__", "1");
            IReadOnlyList<int> architectures = request.Architectures ?? new int[0];
            // One compile per architecture: a condition on __CUDA_ARCH__ can only be decided when all agree
            // (see docs/dependencies.md, "several architectures").
            if (architectures.Count > 0 && AllEqual(architectures))
            {
                string value = (architectures[0] * 10).ToString(CultureInfo.InvariantCulture);
                Define("__CUDA_ARCH__", value);
                Define("__CUDA_ARCH_LIST__", value);
            }
            else if (architectures.Count > 0)
            {
                _definedUnknownValue.Add("__CUDA_ARCH__");
                _definedUnknownValue.Add("__CUDA_ARCH_LIST__");
            }

            string? cplusplus = Cplusplus(request.LanguageStandard, request.NvrtcVersion);
            if (cplusplus != null)
                Define("__cplusplus", cplusplus);
            else
                _unknownValue.Add("__cplusplus");

            Version? version = request.NvrtcVersion;
            if (version != null)
            {
                Define("__CUDACC_VER_MAJOR__", version.Major.ToString(CultureInfo.InvariantCulture));
                Define("__CUDACC_VER_MINOR__", version.Minor.ToString(CultureInfo.InvariantCulture));
                _definedUnknownValue.Add("__CUDACC_VER_BUILD__");
            }
            _nvrtc118 = version != null && version.Major == 11 && version.Minor == 8;
            if (_nvrtc118)
            {
                // Measured undefined in 11.8: what headers test to tell NVRTC from nvcc, GCC, clang or MSVC.
                foreach (string name in new[] { "__NVCC__", "__GNUC__", "__GNUG__", "__clang__", "_MSC_VER", "__CUDACC_RTC_INT128__", "__STDC_VERSION__" })
                    _known[name] = null;
                DefineNvrtc118(cplusplus);
            }
        }

        public PredefinedState Lookup(string name, out MacroDefinition? definition)
        {
            definition = null;
            if (_known.TryGetValue(name, out definition))
                return definition != null ? PredefinedState.Defined : PredefinedState.Undefined;
            if (_definedUnknownValue.Contains(name))
                return PredefinedState.DefinedWithUnknownValue;
            if (_unknownValue.Contains(name))
                return PredefinedState.Unknown;
            if (IsReserved(name))
                return _nvrtc118 && IsAbsentFromNvrtc118(name) ? PredefinedState.Undefined : PredefinedState.Unknown;
            return PredefinedState.NotPredefined;
        }

        internal static bool IsAbsentFromNvrtc118(string name)
        {
            if (Array.IndexOf(PresentInNvrtc118, name) >= 0)
                return false;
            foreach (string prefix in PrefixesAbsentFromNvrtc118)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                    return true;
            }
            bool compilerStyle = name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal);
            foreach (string suffix in SuffixesAbsentFromNvrtc118)
            {
                if (!compilerStyle && name.EndsWith(suffix, StringComparison.Ordinal))
                    return true;
            }
            return Array.IndexOf(NamesAbsentFromNvrtc118, name) >= 0;
        }

        /// <summary>Reserved for the implementation: two leading underscores, or one and a capital.</summary>
        public static bool IsReserved(string name) =>
            name.Length >= 2 && name[0] == '_' && (name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z'));

        /// <summary>__cplusplus for -std (measured: c++03 199711L ... c++17 201703L); with no -std, NVRTC 11's
        /// default is C++03 and NVRTC 12's C++17.</summary>
        private static string? Cplusplus(string? standard, Version? version)
        {
            if (standard == null)
                return null;
            switch (standard.ToLowerInvariant())
            {
                case "c++03": return "199711L";
                case "c++11": return "201103L";
                case "c++14": return "201402L";
                case "c++17": return "201703L";
                case "":
                    if (version == null)
                        return null;
                    return version.Major == 11 ? "199711L" : version.Major == 12 ? "201703L" : null;
                default: return null;
            }
        }

        /// <summary>
        /// More of NVRTC 11.8's predefined macros, measured with a probe kernel under -std=c++03/11/14/17 and with
        /// -G, -rdc=true, -use_fast_math, -ftz=true, -prec-div=false and -default-device (none of which changed them):
        /// what headers test to recognize the compiler, the platform and the language's features.
        /// </summary>
        private void DefineNvrtc118(string? cplusplus)
        {
            foreach (string name in new[]
            {
                "_GNU_SOURCE", "__STRICT_ANSI__", "__linux__", "__unix__", "__linux", "__unix", "_LP64", "__LITTLE_ENDIAN__", "__GXX_RTTI",
                "__GNUC_MINOR__", "__GNUC_PATCHLEVEL__", "__clang_major__", "__clang_minor__", "__ICC", "__PGIC__", "__ibmxl__", "_WIN32",
                "_WIN64", "__APPLE__", "__MACH__", "__ANDROID__", "__BIONIC__", "__QNX__", "__arm__", "__aarch64__", "__has_declspec_attribute",
                "__cpp_concepts", "__cpp_char8_t", "__cpp_impl_three_way_comparison", "__cpp_coroutines", "__cpp_impl_coroutine",
                "__cpp_using_enum", "__cpp_if_consteval", "__cpp_constexpr_dynamic_alloc",
            })
            {
                _known[name] = null;
            }
            Define("_WCHAR_T", "1");
            Define("__LP64__", "1");
            Define("__STDC_HOSTED__", "1");
            // Built-in function-like operators, testable with #ifdef.
            foreach (string name in new[] { "__has_attribute", "__has_builtin", "__has_cpp_attribute", "__has_extension", "__has_feature", "__is_identifier",
                "__has_include", "__has_include_next" })
                _definedUnknownValue.Add(name);
            if (cplusplus == null)
                return; // the feature macros below depend on -std
            int standard = cplusplus == "199711L" ? 3 : cplusplus == "201103L" ? 11 : cplusplus == "201402L" ? 14 : 17;
            DefineFrom(standard, 3, "__cpp_rtti", "199711L");
            DefineFrom(standard, 11, "__cpp_exceptions", "199711L");
            DefineFrom(standard, 11, "__EXCEPTIONS", "1");
            Define("__cpp_constexpr", standard >= 17 ? "201603L" : standard >= 14 ? "201304L" : "200704L");
            if (standard < 11)
                _known["__cpp_constexpr"] = null;
            DefineFrom(standard, 14, "__cpp_sized_deallocation", "201309L");
            DefineFrom(standard, 14, "__cpp_variable_templates", "201304L");
            DefineFrom(standard, 17, "__cpp_aligned_new", "201606L");
            DefineFrom(standard, 17, "__cpp_deduction_guides", "201703L");
            DefineFrom(standard, 17, "__cpp_fold_expressions", "201603L");
            DefineFrom(standard, 17, "__cpp_if_constexpr", "201606L");
            DefineFrom(standard, 17, "__cpp_inline_variables", "201606L");
            DefineFrom(standard, 17, "__cpp_noexcept_function_type", "201510L");
        }

        private void DefineFrom(int standard, int from, string name, string value)
        {
            if (standard >= from)
                Define(name, value);
            else
                _known[name] = null;
        }

        private void Define(string name, string value)
        {
            var definition = new MacroDefinition(name, null, false, DirectiveParser.Tokenize(System.Text.Encoding.UTF8.GetBytes(value)));
            _known[name] = definition;
        }

        private static bool AllEqual(IReadOnlyList<int> values)
        {
            foreach (int value in values)
            {
                if (value != values[0])
                    return false;
            }
            return true;
        }
    }
}
