using Microsoft.CodeAnalysis;

namespace KernelBuild.Generator
{
    /// <summary>The generator's diagnostics (docs/diagnostics.md). The entry point keeps the untyped API in each case.</summary>
    internal static class GeneratorDiagnostics
    {
        private const string Category = "KernelBuild";

        public static readonly DiagnosticDescriptor UnsupportedParameter = new DiagnosticDescriptor(
            "KB5101", "Kernel parameter type not supported by the typed launchers",
            "Parameter '{0}' of CUDA kernel {1} gets no typed launcher: {2}. Launch it through Module.GetKernel(name).Launch(...), or change the parameter to a scalar, a vector type, a [CudaStruct] struct or a pointer to one.",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor DuplicateLauncher = new DiagnosticDescriptor(
            "KB5102", "Two kernels map to the same launcher",
            "CUDA kernel {0} gets no typed launcher: another entry point of the file already has a launcher {1} with the same C# parameter types. Rename one, or launch this one through Module.GetKernel(name).",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnreadableSignatures = new DiagnosticDescriptor(
            "KB5103", "Unreadable kernel signature file",
            "The kernel signature file '{0}' is not one this version of KernelBuild reads; rebuild the project so that the kernels' signatures are written again",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        // An error, not a warning: the user asked for this struct to be passed, and a launch with its layout would
        // hand the kernel misplaced bytes; the build must not succeed with the launcher silently missing.
        public static readonly DiagnosticDescriptor StructLayoutMismatch = new DiagnosticDescriptor(
            "KB5104", "A [CudaStruct] struct's layout differs from the C++ type's",
            "Parameter '{0}' of CUDA kernel {1} gets no typed launcher: the CUDA compiler gives {2} {3} bytes aligned to {4}, but the C# struct {5} mapped to it by [CudaStruct] has {6} bytes aligned to {7}. Declare the C# struct's fields with the C++ struct's types in the same order; pad it with [StructLayout(LayoutKind.Sequential, Size = n)], and set CudaStruct's Alignment where the C++ type is __align__(n).",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnusableStruct = new DiagnosticDescriptor(
            "KB5105", "A [CudaStruct] struct has no usable layout",
            "The struct {0} cannot be mapped to the C++ type {1}: {2}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
