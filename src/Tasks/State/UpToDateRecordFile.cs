using System;
using System.Globalization;
using System.IO;
using KernelBuild.Tasks.IO;
using static KernelBuild.Tasks.State.RecordText;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Reads and writes <c>KernelBuild.uptodate</c>, the <see cref="UpToDateRecord"/>, in the text of the state
    /// (<see cref="RecordText"/>; docs/formats.md). Anything unexpected reads as "no record", which sends the check down
    /// its full path: a damaged record costs one build some milliseconds, never correctness. It is a shortcut, not
    /// state, so it is written atomically but not flushed through to the disk: after a power cut it is the old record,
    /// whose stamps no longer match, or a damaged one.
    /// </summary>
    internal static class UpToDateRecordFile
    {
        public const string FileName = "KernelBuild.uptodate";
        private const string Header = "KernelBuild up-to-date 1";

        /// <summary>The record, or null when there is none or it is damaged, unreadable or of another version.</summary>
        public static UpToDateRecord? TryRead(string path)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null; // FileNotFoundException included: no record
            }
            return Parse(bytes);
        }

        /// <exception cref="UnrepresentablePathException">A value the format cannot hold (a line break in a path).</exception>
        public static void Write(string path, UpToDateRecord record) => AtomicFile.WriteIfChanged(path, Bytes(record), flushToDisk: false);

        /// <summary>The file's bytes, the closing checksum line included.</summary>
        internal static byte[] Bytes(UpToDateRecord record)
        {
            int lines = record.Images.Count + record.Dependencies.Count + record.Files.Count + record.AbsentProbes.Count;
            var writer = new RecordWriter(Header, 200 + lines * 140);
            writer.Line("task").Last(record.TaskVersion);
            writer.Line("inputs").Last(record.Inputs);
            writer.Line("kernels").Number(record.KernelCount).EndLine();
            writer.Line("compiler").Last(record.CompilerPath);
            foreach (RecordedImage image in record.Images)
            {
                writer.Line("image").Field(image.Architecture).Field(image.ResourceName).Last(image.RelativePath);
            }
            foreach (RecordedWarning warning in record.Warnings) AppendWarning(writer, warning);
            foreach (TrackedFile file in record.Dependencies) AppendFile(writer, file);
            foreach (StampedFile file in record.Files) writer.Line("stamped").Stamp(file.Stamp).Last(file.Path);
            foreach (string probe in record.AbsentProbes) writer.Line("probe").Last(probe);
            return writer.ToArray();
        }

        /// <summary>The record in <paramref name="bytes"/>, or null when they are not a whole, unedited record of this version.</summary>
        internal static UpToDateRecord? Parse(byte[] bytes)
        {
            var record = new UpToDateRecord();
            bool read = TryReadLines(bytes, Header, line => ReadLine(line, record));
            return read && record.TaskVersion.Length > 0 && record.Inputs.Length > 0 && record.CompilerPath.Length > 0 ? record : null;
        }

        private static bool ReadLine(StateLine line, UpToDateRecord record)
        {
            if (line.KindIs("file"))
            {
                if (!TryReadFile(line, out TrackedFile? file)) return false;
                record.Dependencies.Add(file!);
                return true;
            }
            if (line.KindIs("stamped"))
            {
                if (!line.TryStamp(out FileStamp stamp)) return false;
                record.Files.Add(new StampedFile(line.Rest(), stamp));
                return true;
            }
            if (line.KindIs("probe"))
            {
                record.AbsentProbes.Add(line.Rest());
                return true;
            }
            if (line.KindIs("image"))
            {
                if (!line.TryField(out string architecture) || !line.TryField(out string resourceName)) return false;
                record.Images.Add(new RecordedImage(architecture, resourceName, line.Rest()));
                return true;
            }
            if (line.KindIs("warning"))
            {
                if (!TryReadWarning(line, out RecordedWarning? warning)) return false;
                record.Warnings.Add(warning!);
                return true;
            }
            if (line.KindIs("kernels"))
            {
                // The count is the line's last value; no tab ends it.
                if (!int.TryParse(line.Rest(), NumberStyles.None, CultureInfo.InvariantCulture, out int count)) return false;
                record.KernelCount = count;
                return true;
            }
            if (line.KindIs("task")) return Set(line, value => record.TaskVersion = value);
            if (line.KindIs("inputs")) return Set(line, value => record.Inputs = value);
            if (line.KindIs("compiler")) return Set(line, value => record.CompilerPath = value);
            return false;
        }

        private static bool Set(StateLine line, Action<string> keep)
        {
            keep(line.Rest());
            return true;
        }
    }
}
