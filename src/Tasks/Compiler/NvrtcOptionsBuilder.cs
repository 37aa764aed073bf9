using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>Turns MSBuild property and metadata strings into NVRTC command-line options.</summary>
    internal static class NvrtcOptionsBuilder
    {
        private static readonly string[] s_standards = { "c++03", "c++11", "c++14", "c++17", "c++20" };

        /// <summary>The options for compiling <paramref name="settings"/> for one architecture. Same input, same list.</summary>
        public static List<string> Build(KernelCompileSettings settings, TargetArchitecture architecture)
        {
            var options = new List<string> { "-arch=" + architecture.Name };
            if (settings.LanguageStandard.Length > 0)
            {
                options.Add("-std=" + settings.LanguageStandard);
            }
            options.AddRange(settings.IncludeDirectories.Select(dir => "-I" + dir));
            options.AddRange(settings.DefineConstants.Select(define => "-D" + define));
            options.AddRange(settings.AdditionalOptions);
            return options;
        }

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

        /// <summary>
        /// Splits additional options like a shell would (spaces separate, double quotes group) and makes the
        /// paths of -I/--include-path and --pre-include absolute against <paramref name="baseDirectory"/>:
        /// NVRTC would resolve them against the process's current directory, which MSBuild does not fix.
        /// </summary>
        public static List<string> SplitAdditionalOptions(string? text, string baseDirectory)
        {
            var args = new List<string>();
            var current = new StringBuilder();
            bool inQuotes = false, any = false;
            foreach (char c in text ?? "")
            {
                if (c == '"') { inQuotes = !inQuotes; any = true; continue; }
                if (!inQuotes && (char.IsWhiteSpace(c) || c == ';'))
                {
                    if (any) args.Add(current.ToString());
                    current.Clear();
                    any = false;
                    continue;
                }
                current.Append(c);
                any = true;
            }
            if (any) args.Add(current.ToString());

            // "-I dir" (two arguments) is joined so that every option is one self-contained string.
            var joined = new List<string>();
            for (int i = 0; i < args.Count; i++)
            {
                if ((args[i] == "-I" || args[i] == "--include-path" || args[i] == "-include" || args[i] == "--pre-include") && i + 1 < args.Count)
                {
                    joined.Add(args[i].StartsWith("--", StringComparison.Ordinal) ? args[i] + "=" + args[i + 1] : args[i] + (args[i] == "-I" ? "" : "=") + args[i + 1]);
                    i++;
                }
                else
                {
                    joined.Add(args[i]);
                }
            }
            return joined.Select(arg => AbsolutizePathOption(arg, baseDirectory)).ToList();
        }

        private static string AbsolutizePathOption(string arg, string baseDirectory)
        {
            foreach (string prefix in new[] { "--include-path=", "-I" })
            {
                if (arg.StartsWith(prefix, StringComparison.Ordinal) && arg.Length > prefix.Length)
                {
                    return prefix + Path.GetFullPath(Path.Combine(baseDirectory, arg.Substring(prefix.Length)));
                }
            }
            return arg;
        }
    }
}
