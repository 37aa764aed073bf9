namespace KernelBuild.Tasks
{
    /// <summary>
    /// nvrtcResult: what an NVRTC call returned, with the values of NVIDIA's nvrtc.h. Codes added by a newer
    /// NVRTC than this list knows are kept as their number; <c>NvrtcException.NvrtcMessage</c> (Compiler/, which uses this folder, not the reverse)
    /// carries NVRTC's own name for them.
    /// </summary>
    internal enum NvrtcResult
    {
        /// <summary>NVRTC_SUCCESS.</summary>
        Success = 0,
        /// <summary>NVRTC_ERROR_OUT_OF_MEMORY.</summary>
        OutOfMemory = 1,
        /// <summary>NVRTC_ERROR_PROGRAM_CREATION_FAILURE.</summary>
        ProgramCreationFailure = 2,
        /// <summary>NVRTC_ERROR_INVALID_INPUT.</summary>
        InvalidInput = 3,
        /// <summary>NVRTC_ERROR_INVALID_PROGRAM.</summary>
        InvalidProgram = 4,
        /// <summary>NVRTC_ERROR_INVALID_OPTION: an option NVRTC does not accept; the program log names it.</summary>
        InvalidOption = 5,
        /// <summary>NVRTC_ERROR_COMPILATION: the source has errors; the program log has NVRTC's diagnostics.</summary>
        Compilation = 6,
        /// <summary>NVRTC_ERROR_BUILTIN_OPERATION_FAILURE: NVRTC's builtins library failed (often: not found).</summary>
        BuiltinOperationFailure = 7,
        /// <summary>NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION.</summary>
        NoNameExpressionsAfterCompilation = 8,
        /// <summary>NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION.</summary>
        NoLoweredNamesBeforeCompilation = 9,
        /// <summary>NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID.</summary>
        NameExpressionNotValid = 10,
        /// <summary>NVRTC_ERROR_INTERNAL_ERROR.</summary>
        InternalError = 11,
        /// <summary>NVRTC_ERROR_TIME_FILE_WRITE_FAILED (CUDA 12.1+).</summary>
        TimeFileWriteFailed = 12,
        /// <summary>NVRTC_ERROR_NO_PCH_CREATE_ATTEMPTED (CUDA 12.8+).</summary>
        NoPchCreateAttempted = 13,
        /// <summary>NVRTC_ERROR_PCH_CREATE_HEAP_EXHAUSTED (CUDA 12.8+).</summary>
        PchCreateHeapExhausted = 14,
        /// <summary>NVRTC_ERROR_PCH_CREATE (CUDA 12.8+).</summary>
        PchCreate = 15,
        /// <summary>NVRTC_ERROR_CANCELLED (CUDA 12.8+).</summary>
        Cancelled = 16,
    }
}
