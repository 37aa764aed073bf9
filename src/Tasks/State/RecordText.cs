using System;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// The text both of KernelBuild's record files are made of, the state (<see cref="BuildStateFile"/>) and the
    /// up-to-date record (<see cref="UpToDateRecordFile"/>): a header line, tab-separated lines whose last value is a
    /// path or a name, and a closing line with the checksum of every byte before it (docs/formats.md). The lines both
    /// files hold, a tracked file and a recorded warning, are written and read here only.
    /// </summary>
    internal static class RecordText
    {
        // The last line is "end\t" + 32 hex digits + "\n".
        private const int ChecksumLineLength = 4 + 32 + 1;
        private static readonly char[] s_fieldEnds = { '\t', '\n' };

        /// <summary>A value that the next tab ends: it may hold neither a tab nor a line break.</summary>
        /// <exception cref="UnrepresentablePathException">It holds one.</exception>
        public static string Field(string value)
        {
            if (value.IndexOfAny(s_fieldEnds) >= 0)
                throw new UnrepresentablePathException("The value " + UnrepresentablePathException.Quote(value) + " cannot be written to the state file: it contains a tab or line break.");
            return value;
        }

        /// <summary>The last value on its line (a path, a name): it may hold tabs, not a line break.</summary>
        /// <exception cref="UnrepresentablePathException">It holds a line break.</exception>
        public static string Last(string value)
        {
            if (value.IndexOf('\n') >= 0)
                throw new UnrepresentablePathException("The path " + UnrepresentablePathException.Quote(value) + " cannot be written to the state file: it contains a line break.");
            return value;
        }

        /// <summary>Tabs and line breaks would split a record: a warning's text is shown, never parsed, so they become spaces.</summary>
        private static string OneField(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

        /// <summary>"file", the stamp, the SHA-256 of the bytes, the path.</summary>
        public static RecordWriter AppendFile(RecordWriter writer, TrackedFile file) =>
            writer.Line("file").Stamp(file.Stamp).Field(file.Sha256).Last(file.Path);

        /// <summary>Reads what follows "file" (<see cref="AppendFile"/>).</summary>
        public static bool TryReadFile(StateLine line, out TrackedFile? file)
        {
            file = null;
            if (!line.TryStamp(out FileStamp stamp) || !line.TryField(out string sha256)) return false;
            file = new TrackedFile(line.Rest(), stamp, sha256);
            return true;
        }

        /// <summary>"warning", the line number, the code, the file, the text.</summary>
        public static RecordWriter AppendWarning(RecordWriter writer, RecordedWarning warning) =>
            writer.Line("warning").Number(warning.Line).Field(OneField(warning.Code)).Field(OneField(warning.File)).Last(OneField(warning.Message));

        /// <summary>Reads what follows "warning" (<see cref="AppendWarning"/>).</summary>
        public static bool TryReadWarning(StateLine line, out RecordedWarning? warning)
        {
            warning = null;
            if (!line.TryNumber(out long number, allowSign: false) || number > int.MaxValue
                || !line.TryField(out string code) || !line.TryField(out string file)) return false;
            warning = new RecordedWarning(code, file, (int)number, line.Rest());
            return true;
        }

        /// <summary>The closing line after the first <paramref name="length"/> bytes of <paramref name="body"/>.</summary>
        public static string ChecksumLine(byte[] body, int length) => "end\t" + FastHash.Of(body, length) + "\n";

        /// <summary>
        /// Hands every line between <paramref name="header"/> and the checksum line to <paramref name="read"/>, in
        /// order, on one reused <see cref="StateLine"/>. False, having read nothing, when the bytes are not a whole,
        /// unedited file that starts with that header; false as soon as <paramref name="read"/> refuses a line.
        /// </summary>
        public static bool TryReadLines(byte[] bytes, string header, Func<StateLine, bool> read)
        {
            int endAt = bytes.Length - ChecksumLineLength;
            if (endAt < header.Length + 1 || !StateLine.AsciiAt(bytes, 0, header + "\n") || !StateLine.AsciiAt(bytes, endAt, "end\t")
                || bytes[bytes.Length - 1] != '\n' || !StateLine.AsciiAt(bytes, endAt + 4, FastHash.Of(bytes, endAt)))
            {
                return false; // another file or version, or truncated or edited
            }
            var line = new StateLine(bytes);
            int lineStart = header.Length + 1;
            while (lineStart < endAt)
            {
                int lineEnd = Array.IndexOf(bytes, (byte)'\n', lineStart, endAt - lineStart);
                if (lineEnd < 0) return false;
                line.MoveTo(lineStart, lineEnd);
                if (!read(line)) return false;
                lineStart = lineEnd + 1;
            }
            return true;
        }
    }
}
