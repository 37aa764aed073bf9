using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    // NVRTC evaluates __has_include wherever macro expansion puts it in an #if, measured:
    //   #define HAS(x) __has_include(x)        (a wrapper, like CCCL's _CCCL_HAS_INCLUDE)
    //   #if HAS(<cuda_fp16.h>)                 probes cuda_fp16.h.
    // Which calls reach a wrapper is known only once every file is read (the wrapper, its callers and
    // the #if may sit in three headers), so files record these facts and the scan joins them.

    /// <summary><c>#define Name(..., p, ...) ... __has_include(p) ...</c>: a call of Name probes its argument
    /// number <see cref="ParameterIndex"/>.</summary>
    internal sealed class HasIncludeWrapper
    {
        public HasIncludeWrapper(string name, int parameterIndex, IncludeKind kind)
        {
            Name = name;
            ParameterIndex = parameterIndex;
            Kind = kind;
        }

        public string Name { get; }
        public int ParameterIndex { get; }
        public IncludeKind Kind { get; }
        public string Key => Name + "/" + ParameterIndex + "/" + (int)Kind;
    }

    /// <summary><c>#define Name(..., p, ...) ... Callee(..., p, ...)</c>: Name's parameter passes on to argument
    /// <see cref="ArgumentIndex"/> of Callee, so Name wraps __has_include whenever Callee does there.</summary>
    internal sealed class MacroForward
    {
        public MacroForward(string name, int parameterIndex, string callee, int argumentIndex)
        {
            Name = name;
            ParameterIndex = parameterIndex;
            Callee = callee;
            ArgumentIndex = argumentIndex;
        }

        public string Name { get; }
        public int ParameterIndex { get; }
        public string Callee { get; }
        public int ArgumentIndex { get; }
        public string Key => Name + "/" + ParameterIndex + "/" + Callee + "/" + ArgumentIndex;
    }

    /// <summary>A call <c>Callee(..., argument, ...)</c> in an #if/#elif or a #define body whose argument could
    /// name a header: a probe if Callee turns out to wrap __has_include at that argument.</summary>
    internal sealed class MacroCall
    {
        public MacroCall(string callee, int argumentIndex, IReadOnlyList<PpToken> argument, int line)
        {
            Callee = callee;
            ArgumentIndex = argumentIndex;
            Argument = argument;
            Line = line;
        }

        public string Callee { get; }
        public int ArgumentIndex { get; }
        public IReadOnlyList<PpToken> Argument { get; }
        public int Line { get; }
        public string Key => Callee + "/" + ArgumentIndex + "/" + Line + "/" + string.Join(" ", Argument);
    }
}
