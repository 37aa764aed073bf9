using System;
using System.Collections.Generic;
using System.Linq;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>What one option of <c>CudaAdditionalOptions</c> means, as far as the build needs to know.</summary>
    internal enum CudaOptionKind
    {
        /// <summary>An option the build does not interpret; NVRTC gets it unchanged.</summary>
        PassThrough,
        /// <summary><c>-I</c> / <c>--include-path</c>: an absolute directory.</summary>
        IncludePath,
        /// <summary><c>-D</c> / <c>--define-macro</c>: NAME or NAME=VALUE.</summary>
        DefineMacro,
        /// <summary><c>-U</c> / <c>--undefine-macro</c>: NAME.</summary>
        UndefineMacro,
        /// <summary><c>-include</c> / <c>--pre-include</c>: an absolute file path.</summary>
        PreInclude,
        /// <summary><c>-no-source-include</c>: changes where quoted includes are searched.</summary>
        NoSourceInclude,
        /// <summary><c>-std=</c> / <c>--std=</c>: the language standard.</summary>
        LanguageStandard,
    }

    /// <summary>One option from <c>CudaAdditionalOptions</c>: what it means and the single argument NVRTC gets for it.</summary>
    internal sealed class CudaOption
    {
        public CudaOption(CudaOptionKind kind, string value, string nvrtcArgument)
        {
            Kind = kind;
            Value = value;
            NvrtcArgument = nvrtcArgument;
        }

        public CudaOptionKind Kind { get; }

        /// <summary>The directory, macro, file or standard; for a pass-through option, the option itself.</summary>
        public string Value { get; }

        /// <summary>Always one self-contained argument: a value written after its option ("-D NAME") is joined
        /// to it, so that NVRTC and the options fingerprint see one spelling per meaning.</summary>
        public string NvrtcArgument { get; }

        public override string ToString() => NvrtcArgument;
    }

    /// <summary>
    /// A kernel's compile options, parsed once from the MSBuild strings (<see cref="CudaOptionsParser"/>).
    /// Both NVRTC's argument list and the include scanner's request are derived from this one value, so that
    /// the two can never disagree on what an option means. Every path in it is absolute.
    /// </summary>
    internal sealed class CudaOptions
    {
        public static readonly CudaOptions Empty = new CudaOptions("", new string[0], new string[0], new CudaOption[0]);

        public CudaOptions(string languageStandard, IReadOnlyList<string> includeDirectories,
            IReadOnlyList<string> defineConstants, IReadOnlyList<CudaOption> additionalOptions)
        {
            LanguageStandard = languageStandard;
            IncludeDirectories = includeDirectories;
            DefineConstants = defineConstants;
            AdditionalOptions = additionalOptions;
        }

        /// <summary>From <c>LanguageStandard</c> metadata, e.g. c++17; empty for NVRTC's default.</summary>
        public string LanguageStandard { get; }

        /// <summary>From <c>IncludeDirectories</c> metadata: absolute, in search order.</summary>
        public IReadOnlyList<string> IncludeDirectories { get; }

        /// <summary>From <c>DefineConstants</c> metadata: NAME or NAME=VALUE.</summary>
        public IReadOnlyList<string> DefineConstants { get; }

        /// <summary>From <c>AdditionalOptions</c> metadata, in command-line order.</summary>
        public IReadOnlyList<CudaOption> AdditionalOptions { get; }

        /// <summary>Every -I directory in NVRTC's search order: the metadata's first, as on the command line.</summary>
        public IEnumerable<string> SearchDirectories =>
            IncludeDirectories.Concat(ValuesOf(CudaOptionKind.IncludePath));

        /// <summary>
        /// The command line's macro operations in order: (NAME or NAME(params), VALUE) for a define, VALUE "1"
        /// when none was given as for the preprocessor; (NAME, null) for an undefine, which cancels what came
        /// before it only.
        /// </summary>
        public IEnumerable<KeyValuePair<string, string?>> MacroOperations =>
            DefineConstants.Select(Define).Concat(AdditionalOptions
                .Where(o => o.Kind == CudaOptionKind.DefineMacro || o.Kind == CudaOptionKind.UndefineMacro)
                .Select(o => o.Kind == CudaOptionKind.DefineMacro ? Define(o.Value) : new KeyValuePair<string, string?>(o.Value, null)));

        /// <summary>Absolute paths of the pre-included files, in order.</summary>
        public IEnumerable<string> PreIncludes => ValuesOf(CudaOptionKind.PreInclude);

        public bool NoSourceInclude => AdditionalOptions.Any(o => o.Kind == CudaOptionKind.NoSourceInclude);

        /// <summary>
        /// NVRTC's arguments for one architecture. Same options, same list: it feeds the options fingerprint, so
        /// its order and spelling only change where a change is meant to rebuild kernels.
        /// </summary>
        public List<string> NvrtcArguments(TargetArchitecture architecture)
        {
            var arguments = new List<string> { "-arch=" + architecture.Name };
            if (LanguageStandard.Length > 0)
            {
                arguments.Add("-std=" + LanguageStandard);
            }
            arguments.AddRange(IncludeDirectories.Select(dir => "-I" + dir));
            arguments.AddRange(DefineConstants.Select(define => "-D" + define));
            arguments.AddRange(AdditionalOptions.Select(option => option.NvrtcArgument));
            return arguments;
        }

        /// <summary>The -std NVRTC compiles with: "" for its default, null where the metadata and the options
        /// name different ones.</summary>
        public string? EffectiveLanguageStandard
        {
            get
            {
                List<string> all = ValuesOf(CudaOptionKind.LanguageStandard).Concat(LanguageStandard.Length > 0 ? new[] { LanguageStandard } : new string[0]).Distinct().ToList();
                return all.Count == 0 ? "" : all.Count == 1 ? all[0] : null;
            }
        }

        private IEnumerable<string> ValuesOf(CudaOptionKind kind) =>
            AdditionalOptions.Where(o => o.Kind == kind).Select(o => o.Value);

        private static KeyValuePair<string, string?> Define(string define)
        {
            int equals = define.IndexOf('=');
            return equals < 0
                ? new KeyValuePair<string, string?>(define, "1")
                : new KeyValuePair<string, string?>(define.Substring(0, equals), define.Substring(equals + 1));
        }
    }
}
