using System;
using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// A file's bytes after translation phase 2: every backslash-newline removed, so that a directive,
    /// comment or literal continued across lines reads as one line. EDG splices "\\\n" and "\\\r\n"
    /// but not a backslash followed by spaces; a lone '\r' is whitespace, not a line break (measured).
    /// Keeps where the splices were, to report physical line numbers.
    /// </summary>
    internal sealed class SplicedText
    {
        private readonly int[] _splices; // offsets in Bytes where a splice was removed, ascending

        private SplicedText(byte[] bytes, int start, int end, int[] splices)
        {
            Bytes = bytes;
            Start = start;
            End = end;
            _splices = splices;
        }

        public byte[] Bytes { get; }
        public int Start { get; }
        public int End { get; }

        public static SplicedText Create(byte[] raw)
        {
            int start = raw.Length >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF ? 3 : 0;
            int first = FindSplice(raw, start);
            if (first < 0)
                return new SplicedText(raw, start, raw.Length, Array.Empty<int>());

            var bytes = new byte[raw.Length];
            var offsets = new List<int>();
            int length = 0;
            int i = start;
            while (i < raw.Length)
            {
                int width = SpliceWidth(raw, i);
                if (width > 0)
                {
                    offsets.Add(length);
                    i += width;
                    continue;
                }
                bytes[length++] = raw[i++];
            }
            return new SplicedText(bytes, 0, length, offsets.ToArray());
        }

        /// <summary>1-based physical line of a position, given the newlines seen before it.</summary>
        public int PhysicalLine(int offset, int newlinesBefore)
        {
            int index = Array.BinarySearch(_splices, offset);
            // Splices at exactly this offset lie before it; BinarySearch finds any of equal ones.
            if (index >= 0)
            {
                while (index + 1 < _splices.Length && _splices[index + 1] == offset)
                    index++;
                index++;
            }
            else
                index = ~index;
            return 1 + newlinesBefore + index;
        }

        private static int FindSplice(byte[] raw, int from)
        {
            for (int i = Array.IndexOf(raw, (byte)'\\', from); i >= 0; i = Array.IndexOf(raw, (byte)'\\', i + 1))
            {
                if (SpliceWidth(raw, i) > 0)
                    return i;
            }
            return -1;
        }

        private static int SpliceWidth(byte[] raw, int i)
        {
            if (raw[i] != '\\' || i + 1 >= raw.Length)
                return 0;
            if (raw[i + 1] == '\n')
                return 2;
            if (raw[i + 1] == '\r' && i + 2 < raw.Length && raw[i + 2] == '\n')
                return 3;
            return 0;
        }
    }
}
