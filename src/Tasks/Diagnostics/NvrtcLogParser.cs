using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Diagnostics
{
    /// <summary>
    /// Parses NVRTC's log. Lines look like <c>PATH(LINE): error: message</c>,
    /// <c>PATH(LINE): warning #177-D: message</c> or <c>PATH(LINE): catastrophic error: cannot open source file "x"</c>;
    /// PATH is the program name (an absolute path, as we pass it) for the main file and the resolved path for headers.
    /// Option errors look like <c>nvrtc: error: unrecognized option --x found</c>.
    /// </summary>
    internal static class NvrtcLogParser
    {
        private static readonly Regex s_located = new Regex(
            @"^(?<file>.+?)\((?<line>\d+)\): (?<severity>catastrophic error|error|warning|remark)(?: #(?<number>\d+)(?:-[A-Z])?)?: (?<message>.*)$",
            RegexOptions.CultureInvariant);

        private static readonly Regex s_unlocated = new Regex(@"^nvrtc: (?<severity>error|warning): (?<message>.*)$", RegexOptions.CultureInvariant);

        // Summary lines that repeat what the diagnostics already said.
        private static readonly Regex s_summary = new Regex(@"^(\d+ .*(errors?|catastrophic error) detected in the compilation of |Compilation terminated\.|and \d+ )", RegexOptions.CultureInvariant);

        public static List<NvrtcDiagnostic> Parse(string log)
        {
            var diagnostics = new List<NvrtcDiagnostic>();
            NvrtcDiagnostic? last = null;
            foreach (string raw in log.Replace("\r\n", "\n").Split('\n'))
            {
                string line = raw.TrimEnd();
                if (line.Length == 0 || s_summary.IsMatch(line.TrimStart()))
                {
                    continue;
                }

                Match m = s_located.Match(line);
                if (m.Success)
                {
                    string number = m.Groups["number"].Value;
                    last = new NvrtcDiagnostic(
                        m.Groups["file"].Value,
                        int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture),
                        0,
                        ToSeverity(m.Groups["severity"].Value),
                        "NVRTC" + number,
                        m.Groups["message"].Value);
                    diagnostics.Add(last);
                    continue;
                }

                m = s_unlocated.Match(line);
                if (m.Success)
                {
                    last = new NvrtcDiagnostic(null, 0, 0, ToSeverity(m.Groups["severity"].Value), "NVRTC", m.Groups["message"].Value);
                    diagnostics.Add(last);
                    continue;
                }

                // Continuation lines ("detected during instantiation of ...") belong to the diagnostic above.
                if (last != null)
                {
                    int index = diagnostics.Count - 1;
                    last = new NvrtcDiagnostic(last.File, last.Line, last.Column, last.Severity, last.Code, last.Message + " " + line.Trim());
                    diagnostics[index] = last;
                }
            }
            return diagnostics;
        }

        private static DiagnosticSeverity ToSeverity(string text) =>
            text.EndsWith("error", StringComparison.Ordinal) ? DiagnosticSeverity.Error
            : text == "warning" ? DiagnosticSeverity.Warning
            : DiagnosticSeverity.Message;
    }
}
