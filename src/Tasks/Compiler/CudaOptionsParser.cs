using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>An option string that cannot be turned into NVRTC options; the message says what to write instead.</summary>
    internal sealed class CudaOptionsException : Exception
    {
        public CudaOptionsException(string message) : base(message) { }
    }

    /// <summary>
    /// Parses a kernel's MSBuild option strings into <see cref="CudaOptions"/>, accepting every spelling NVRTC
    /// accepts for the options that decide which files it reads (measured with NVRTC 11.8):
    /// <c>-Ivalue</c>, <c>-I=value</c>, <c>-I value</c> (likewise <c>-D</c>, <c>-U</c>), <c>--include-path=value</c>,
    /// <c>--include-path value</c> (likewise <c>--define-macro</c>, <c>--undefine-macro</c>, <c>--pre-include</c>),
    /// <c>-include=value</c>, <c>-include value</c>. Relative paths are made absolute here, once, against the project
    /// folder: NVRTC would resolve them against the process's current directory, which is nothing the build controls.
    /// </summary>
    internal static class CudaOptionsParser
    {
        private sealed class OptionSpelling
        {
            public OptionSpelling(string name, CudaOptionKind kind, bool isShort)
            {
                Name = name;
                Kind = kind;
                IsShort = isShort;
            }

            public string Name { get; }
            public CudaOptionKind Kind { get; }
            /// <summary>A one-letter option whose value may follow without '=' ("-DNAME").</summary>
            public bool IsShort { get; }
        }

        private static readonly OptionSpelling[] s_valueOptions =
        {
            new OptionSpelling("-I", CudaOptionKind.IncludePath, isShort: true),
            new OptionSpelling("--include-path", CudaOptionKind.IncludePath, isShort: false),
            new OptionSpelling("-D", CudaOptionKind.DefineMacro, isShort: true),
            new OptionSpelling("--define-macro", CudaOptionKind.DefineMacro, isShort: false),
            new OptionSpelling("-U", CudaOptionKind.UndefineMacro, isShort: true),
            new OptionSpelling("--undefine-macro", CudaOptionKind.UndefineMacro, isShort: false),
            new OptionSpelling("-include", CudaOptionKind.PreInclude, isShort: false),
            new OptionSpelling("--pre-include", CudaOptionKind.PreInclude, isShort: false),
        };

        private static readonly string[] s_architectureOptions = { "-arch", "--gpu-architecture" };
        private static readonly string[] s_standardOptions = { "-std=", "--std=" };

        /// <summary>Parses one kernel's metadata; throws <see cref="CudaOptionsException"/> on a malformed option.</summary>
        /// <param name="languageStandard">Already normalized (see <see cref="NvrtcOptionsBuilder.NormalizeLanguageStandard"/>).</param>
        public static CudaOptions Parse(string languageStandard, string? includeDirectories, string? defineConstants,
            string? additionalOptions, string projectDirectory)
        {
            List<string> directories = NvrtcOptionsBuilder.SplitList(includeDirectories)
                .Select(dir => AbsolutePath(dir, projectDirectory).TrimEnd('/', '\\'))
                .Distinct()
                .ToList();
            List<CudaOption> options = ParseAdditionalOptions(additionalOptions, projectDirectory);
            if (languageStandard.Length > 0 && options.Any(o => o.Kind == CudaOptionKind.LanguageStandard))
            {
                throw new CudaOptionsException("'" + options.First(o => o.Kind == CudaOptionKind.LanguageStandard).NvrtcArgument +
                    "' in CudaAdditionalOptions repeats CudaLanguageStandard. Set the standard in CudaLanguageStandard only.");
            }
            var parsed = new CudaOptions(languageStandard, directories, NvrtcOptionsBuilder.SplitList(defineConstants), options);
            return ResolvePreIncludes(parsed, projectDirectory);
        }

        /// <summary>Splits like a shell would: spaces and ';' separate, double quotes group ("-Ia dir" is one argument).</summary>
        public static List<string> SplitArguments(string? text)
        {
            var arguments = new List<string>();
            var current = new StringBuilder();
            bool inQuotes = false, any = false;
            foreach (char c in text ?? "")
            {
                if (c == '"') { inQuotes = !inQuotes; any = true; continue; }
                if (!inQuotes && (char.IsWhiteSpace(c) || c == ';'))
                {
                    if (any) arguments.Add(current.ToString());
                    current.Clear();
                    any = false;
                    continue;
                }
                current.Append(c);
                any = true;
            }
            if (any) arguments.Add(current.ToString());
            return arguments;
        }

        private static List<CudaOption> ParseAdditionalOptions(string? text, string projectDirectory)
        {
            List<string> arguments = SplitArguments(text);
            var options = new List<CudaOption>();
            for (int i = 0; i < arguments.Count; i++)
            {
                string argument = arguments[i];
                RejectArchitecture(argument);
                OptionSpelling? spelling = s_valueOptions.FirstOrDefault(s => Matches(argument, s));
                if (spelling == null)
                {
                    options.Add(new CudaOption(KindOfFlag(argument), ValueOfFlag(argument), argument));
                    continue;
                }
                bool separate = argument == spelling.Name;
                if (separate && i + 1 == arguments.Count)
                {
                    throw new CudaOptionsException("'" + argument + "' at the end of CudaAdditionalOptions has no value. " +
                        "Write the " + What(spelling.Kind) + " after it, e.g. '" + spelling.Name + Example(spelling) + "'.");
                }
                string value = separate ? arguments[++i] : ValueAfter(argument, spelling);
                options.Add(Create(spelling, argument, value, separate, projectDirectory));
            }
            return options;
        }

        private static CudaOption Create(OptionSpelling spelling, string argument, string value, bool separate, string projectDirectory)
        {
            if (value.Length == 0)
            {
                throw new CudaOptionsException("'" + argument + "' in CudaAdditionalOptions has an empty value. " +
                    "Write the " + What(spelling.Kind) + " after it, e.g. '" + spelling.Name + Example(spelling) + "'.");
            }
            string joiner = spelling.IsShort ? "" : "=";
            switch (spelling.Kind)
            {
                case CudaOptionKind.IncludePath:
                    string directory = AbsolutePath(value, projectDirectory);
                    return new CudaOption(spelling.Kind, directory, spelling.Name + joiner + directory);
                case CudaOptionKind.PreInclude:
                    // Made absolute (and looked up) once all -I directories are known: see ResolvePreIncludes.
                    return new CudaOption(spelling.Kind, value, spelling.Name + joiner + value);
                default:
                    // A macro written as one argument keeps its spelling: it worked before, and its bytes are fingerprinted.
                    return new CudaOption(spelling.Kind, value, separate ? spelling.Name + joiner + value : argument);
            }
        }

        /// <summary>
        /// NVRTC looks for a relative pre-include first in the current directory (which MSBuild sets to the project
        /// folder), then on the -I directories. That search is done here, so that NVRTC and the scanner both get the
        /// file's absolute path whatever the current directory is. Doing it at every plan keeps it right: a file that
        /// appears earlier in that order changes the option, hence the fingerprint, and rebuilds the kernel. A file
        /// found nowhere gets its project-relative path: NVRTC reports it missing, and the scanner records it as an
        /// absent probe.
        /// </summary>
        private static CudaOptions ResolvePreIncludes(CudaOptions options, string projectDirectory)
        {
            if (!options.AdditionalOptions.Any(o => o.Kind == CudaOptionKind.PreInclude))
            {
                return options;
            }
            var searchOrder = new[] { projectDirectory }.Concat(options.SearchDirectories).ToList();
            var resolved = options.AdditionalOptions.Select(option =>
            {
                if (option.Kind != CudaOptionKind.PreInclude) return option;
                string path = FindPreInclude(option.Value, searchOrder) ?? AbsolutePath(option.Value, projectDirectory);
                string name = option.NvrtcArgument.Substring(0, option.NvrtcArgument.Length - option.Value.Length);
                return new CudaOption(option.Kind, path, name + path);
            }).ToList();
            return new CudaOptions(options.LanguageStandard, options.IncludeDirectories, options.DefineConstants, resolved);
        }

        private static string? FindPreInclude(string file, IEnumerable<string> searchOrder) =>
            Path.IsPathRooted(file)
                ? null
                : searchOrder.Select(dir => AbsolutePath(file, dir)).FirstOrDefault(File.Exists);

        private static bool Matches(string argument, OptionSpelling spelling) =>
            argument == spelling.Name
            || argument.StartsWith(spelling.Name + "=", StringComparison.Ordinal)
            || (spelling.IsShort && argument.StartsWith(spelling.Name, StringComparison.Ordinal));

        /// <summary>NVRTC accepts "-DNAME" and "-D=NAME" alike (measured); "--name=value" always has the '='.</summary>
        private static string ValueAfter(string argument, OptionSpelling spelling)
        {
            string rest = argument.Substring(spelling.Name.Length);
            return rest.StartsWith("=", StringComparison.Ordinal) ? rest.Substring(1) : rest;
        }

        private static CudaOptionKind KindOfFlag(string argument)
        {
            if (argument == "-no-source-include" || argument == "--no-source-include") return CudaOptionKind.NoSourceInclude;
            if (s_standardOptions.Any(s => argument.StartsWith(s, StringComparison.Ordinal))) return CudaOptionKind.LanguageStandard;
            return CudaOptionKind.PassThrough;
        }

        private static string ValueOfFlag(string argument) =>
            KindOfFlag(argument) == CudaOptionKind.LanguageStandard ? argument.Substring(argument.IndexOf('=') + 1) : argument;

        /// <summary>Each kernel is compiled once per entry of CudaArchitectures with its own -arch; NVRTC rejects a second.</summary>
        private static void RejectArchitecture(string argument)
        {
            if (s_architectureOptions.Any(a => argument == a || argument.StartsWith(a + "=", StringComparison.Ordinal)))
            {
                throw new CudaOptionsException("'" + argument + "' in CudaAdditionalOptions sets the architecture, which " +
                    "CudaArchitectures decides (one compile per entry). Remove it and list the architecture in CudaArchitectures.");
            }
        }

        private static string What(CudaOptionKind kind) => kind switch
        {
            CudaOptionKind.IncludePath => "directory",
            CudaOptionKind.PreInclude => "file",
            _ => "macro",
        };

        private static string Example(OptionSpelling spelling)
        {
            string joiner = spelling.IsShort ? "" : "=";
            return spelling.Kind switch
            {
                CudaOptionKind.IncludePath => joiner + "include",
                CudaOptionKind.PreInclude => joiner + "common/pre.cuh",
                CudaOptionKind.UndefineMacro => joiner + "NAME",
                _ => joiner + "NAME=1",
            };
        }

        private static string AbsolutePath(string path, string baseDirectory) =>
            Path.GetFullPath(Path.Combine(baseDirectory, path));
    }
}
