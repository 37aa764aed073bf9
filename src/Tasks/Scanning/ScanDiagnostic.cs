namespace KernelBuild.Tasks.Scanning
{
    /// <summary>Something the scanner could not decide, reported against the directive that caused it.</summary>
    public sealed class ScanDiagnostic
    {
        public ScanDiagnostic(string file, int line, string message)
        {
            File = file;
            Line = line;
            Message = message;
        }

        /// <summary>Path of the file holding the directive, as listed in <see cref="IncludeScanResult.Files"/>.</summary>
        public string File { get; }

        /// <summary>1-based physical line of the directive's '#'.</summary>
        public int Line { get; }

        public string Message { get; }

        /// <summary>The same shape as NVRTC's log lines, <c>PATH(LINE): warning: ...</c>.</summary>
        public override string ToString() => File + "(" + Line + "): warning: " + Message;
    }
}
