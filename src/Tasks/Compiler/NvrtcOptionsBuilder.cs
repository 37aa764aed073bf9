using System;
using System.Collections.Generic;
using System.Linq;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>Turns MSBuild property and metadata strings into NVRTC command-line options.</summary>
    internal static class NvrtcOptionsBuilder
    {
        private static readonly string[] s_standards = { "c++03", "c++11", "c++14", "c++17", "c++20" };

        /// <summary>The options for compiling <paramref name="settings"/> for one architecture. Same input, same list.</summary>
        public static List<string> Build(KernelCompileSettings settings, TargetArchitecture architecture) =>
            settings.Options.NvrtcArguments(architecture);

        /// <summary>Accepts <c>c++17</c>, <c>C++17</c> or <c>17</c>; returns null for anything else.</summary>
        public static string? NormalizeLanguageStandard(string? text)
        {
            string value = (text ?? "").Trim().ToLowerInvariant();
            if (value.Length == 0) return "";
            if (!value.StartsWith("c++", StringComparison.Ordinal)) value = "c++" + value;
            return Array.IndexOf(s_standards, value) >= 0 ? value : null;
        }

        /// <summary>Splits a semicolon list (MSBuild style), dropping empty entries and surrounding spaces.</summary>
        public static List<string> SplitList(string? text) =>
            (text ?? "").Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }
}
