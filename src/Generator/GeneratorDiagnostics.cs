using Microsoft.CodeAnalysis;

namespace KernelBuild.Generator
{
    /// <summary>The generator's warnings (docs/diagnostics.md). The entry point keeps the untyped API in each case.</summary>
    internal static class GeneratorDiagnostics
    {
        private const string Category = "KernelBuild";

        public static readonly DiagnosticDescriptor UnsupportedParameter = new DiagnosticDescriptor(
            "KB5101", "Kernel parameter type not supported by the typed launchers",
            "Parameter '{0}' of CUDA kernel {1} gets no typed launcher: {2}. Launch it through Module.GetKernel(name).Launch(...), or change the parameter to a scalar, a vector type or a pointer to one.",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor DuplicateLauncher = new DiagnosticDescriptor(
            "KB5102", "Two kernels map to the same launcher",
            "CUDA kernel {0} gets no typed launcher: another entry point of the file already has a launcher {1} with the same C# parameter types. Rename one, or launch this one through Module.GetKernel(name).",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnreadableSignatures = new DiagnosticDescriptor(
            "KB5103", "Unreadable kernel signature file",
            "The kernel signature file '{0}' is not one this version of KernelBuild reads; rebuild the project so that the kernels' signatures are written again",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    }
}
