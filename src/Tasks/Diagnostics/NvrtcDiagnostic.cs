namespace KernelBuild.Tasks.Diagnostics
{
    internal enum DiagnosticSeverity { Error, Warning, Message }

    /// <summary>One diagnostic from NVRTC's log, ready to hand to MSBuild.</summary>
    internal sealed class NvrtcDiagnostic
    {
        public NvrtcDiagnostic(string? file, int line, int column, DiagnosticSeverity severity, string code, string message)
        {
            File = file;
            Line = line;
            Column = column;
            Severity = severity;
            Code = code;
            Message = message;
        }

        /// <summary>The source or header the diagnostic is in; null for option errors, which belong to the project.</summary>
        public string? File { get; }
        public int Line { get; }
        /// <summary>0 when unknown: NVRTC prints no columns.</summary>
        public int Column { get; }
        public DiagnosticSeverity Severity { get; }
        /// <summary>NVRTC's diagnostic number as <c>NVRTC177</c>, or <c>NVRTC</c> when it printed none.</summary>
        public string Code { get; }
        public string Message { get; }
    }
}
