using System;
using System.Text;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Writes the lines of a record file (<see cref="RecordText"/>) straight into its UTF-8 bytes, then closes them
    /// with the checksum line. Why not a string: at 500 kernels a record is about 400 KB, and building it through a
    /// StringBuilder, a string and an encoding allocated about 3 MB, which a fresh build process pays for in page
    /// faults (about 3 ms per MB on the development machine; docs/benchmarks.md). Every value is checked as
    /// <see cref="RecordText.Field"/> and <see cref="RecordText.Last"/> check it.
    /// </summary>
    internal sealed class RecordWriter
    {
        private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        private byte[] _bytes;
        private int _length;

        /// <param name="header">The first line, without its line break.</param>
        /// <param name="expectedBytes">About how long the file will be: the buffer then grows once at most.</param>
        public RecordWriter(string header, int expectedBytes)
        {
            _bytes = new byte[Math.Max(expectedBytes, 256)];
            Text(header).Text("\n");
        }

        /// <summary>Starts a line with its kind.</summary>
        public RecordWriter Line(string kind) => Text(kind);

        /// <summary>A tab, then a value that the next tab ends.</summary>
        public RecordWriter Field(string value) => Text("\t").Text(RecordText.Field(value));

        /// <summary>A tab, then a number.</summary>
        public RecordWriter Number(long value)
        {
            Ensure(21);
            _bytes[_length++] = (byte)'\t';
            if (value < 0)
            {
                _bytes[_length++] = (byte)'-';
            }
            // Digits of the magnitude, written backwards into place; negated as unsigned so that long.MinValue works.
            ulong magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
            int digits = 1;
            for (ulong rest = magnitude / 10; rest > 0; rest /= 10) digits++;
            for (int i = _length + digits - 1; i >= _length; i--, magnitude /= 10) _bytes[i] = (byte)('0' + (int)(magnitude % 10));
            _length += digits;
            return this;
        }

        /// <summary>A file stamp: its size, modification time, change time and inode (<see cref="StateLine.TryStamp"/> reads them).</summary>
        public RecordWriter Stamp(FileStamp stamp) => Number(stamp.Size).Number(stamp.ModifiedTicks).Number(stamp.ChangedTicks).Number(stamp.Inode);

        /// <summary>A tab, the line's last value (a path, a name: it may hold tabs), and the line break.</summary>
        public RecordWriter Last(string value) => Text("\t").Text(RecordText.Last(value)).Text("\n");

        /// <summary>Ends a line whose last value was a field or a number.</summary>
        public RecordWriter EndLine() => Text("\n");

        /// <summary>The file's bytes: the lines written, then "end", a tab, their checksum and a line break.</summary>
        public byte[] ToArray()
        {
            string end = RecordText.ChecksumLine(_bytes, _length);
            var file = new byte[_length + end.Length];
            Buffer.BlockCopy(_bytes, 0, file, 0, _length);
            for (int i = 0; i < end.Length; i++) file[_length + i] = (byte)end[i];
            return file;
        }

        private RecordWriter Text(string value)
        {
            Ensure(s_utf8.GetMaxByteCount(value.Length));
            _length += s_utf8.GetBytes(value, 0, value.Length, _bytes, _length);
            return this;
        }

        private void Ensure(int more)
        {
            if (_length + more <= _bytes.Length) return;
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
        }
    }
}
