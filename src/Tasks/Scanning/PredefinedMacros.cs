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
            if (version != null && version.Major == 11 && version.Minor == 8)
            {
                // Measured undefined in 11.8: what headers test to tell NVRTC from nvcc, GCC, clang or MSVC.
                foreach (string name in new[] { "__NVCC__", "__GNUC__", "__GNUG__", "__clang__", "_MSC_VER", "__CUDACC_RTC_INT128__", "__STDC_VERSION__" })
                    _known[name] = null;
            }
        }

        public PredefinedState Lookup(string name, out MacroDefinition? definition)
        {
            definition = null;
            if (_known.TryGetValue(name, out definition))
                return definition != null ? PredefinedState.Defined : PredefinedState.Undefined;
            if (_definedUnknownValue.Contains(name))
                return PredefinedState.DefinedWithUnknownValue;
            if (_unknownValue.Contains(name) || IsReserved(name))
                return PredefinedState.Unknown;
            return PredefinedState.NotPredefined;
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
