using System;
using System.Collections.Generic;
using System.Text;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// One line of the state file, read field by field where it lies in the file's UTF-8 bytes: a kind, tab-separated
    /// fields, and the rest of the line as the last value (docs/formats.md). Numbers are parsed in place and only the
    /// values a caller keeps become strings, which is what makes reading a large state cheap (BuildStateFile.Parse).
    /// Splitting bytes is splitting the text: tabs and line breaks are single bytes that no multi-byte UTF-8 sequence
    /// contains, and each kept value is decoded on its own, bad sequences becoming U+FFFD as a whole decode would.
    /// Numbers follow <c>long.TryParse</c> with the invariant culture: ASCII digits, a sign only where allowed, no
    /// white space, no overflow. One instance is reused for every line.
    /// </summary>
    internal sealed class StateLine
    {
        private readonly byte[] _text;
        private int _lineStart;
        private int _kindEnd;
        private int _lineEnd;
        private int _position;

        public StateLine(byte[] text) => _text = text;

        /// <summary>Moves to the line <c>[lineStart, lineEnd)</c>, its line break excluded.</summary>
        public void MoveTo(int lineStart, int lineEnd)
        {
            _lineStart = lineStart;
            _lineEnd = lineEnd;
            int tab = Array.IndexOf(_text, (byte)'\t', lineStart, lineEnd - lineStart);
            _kindEnd = tab < 0 ? lineEnd : tab;
            _position = tab < 0 ? lineEnd : tab + 1;
        }

        /// <summary>Whether the line's kind (what precedes the first tab, or the whole line) is <paramref name="kind"/>.</summary>
        public bool KindIs(string kind) => _kindEnd - _lineStart == kind.Length && AsciiAt(_text, _lineStart, kind);

        /// <summary>Whether the ASCII <paramref name="expected"/> lies in <paramref name="bytes"/> at <paramref name="at"/>.</summary>
        public static bool AsciiAt(byte[] bytes, int at, string expected)
        {
            if (at < 0 || at + expected.Length > bytes.Length) return false;
            for (int i = 0; i < expected.Length; i++)
            {
                if (bytes[at + i] != expected[i]) return false;
            }
            return true;
        }

        /// <summary>The next field, which a tab ends; false when no tab is left.</summary>
        public bool TryField(out string value)
        {
            bool found = TryFieldBounds(out int start, out int end);
            value = found ? Decode(start, end) : "";
            return found;
        }

        /// <summary>Where the next field lies, without making it a string.</summary>
        public bool TryFieldBounds(out int start, out int end)
        {
            start = end = _position;
            int tab = _position < _lineEnd ? Array.IndexOf(_text, (byte)'\t', _position, _lineEnd - _position) : -1;
            if (tab < 0) return false;
            end = tab;
            _position = tab + 1;
            return true;
        }

        /// <summary>The rest of the line, tabs and all: the last value.</summary>
        public string Rest() => Decode(_position, _lineEnd);

        private string Decode(int start, int end) => start == end ? "" : Encoding.UTF8.GetString(_text, start, end - start);

        /// <summary>The next field as a number.</summary>
        public bool TryNumber(out long value, bool allowSign)
        {
            value = 0;
            return TryFieldBounds(out int start, out int end) && TryParse(start, end, allowSign, out value);
        }

        /// <summary>The next four fields as a file stamp (<see cref="RecordWriter.Stamp"/> writes them).</summary>
        public bool TryStamp(out FileStamp stamp)
        {
            stamp = FileStamp.Missing;
            if (!TryNumber(out long size, allowSign: false) || !TryNumber(out long modified, allowSign: true)
                || !TryNumber(out long changed, allowSign: true) || !TryNumber(out long inode, allowSign: true))
            {
                return false;
            }
            stamp = new FileStamp(true, size, modified, changed, inode);
            return true;
        }

        /// <summary>Adds the unsigned numbers that <paramref name="separator"/> separates in <c>[start, end)</c>; empty ones are skipped.</summary>
        public bool AddNumbers(int start, int end, char separator, List<int> target)
        {
            foreach ((int from, int to) in Tokens(start, end, separator))
            {
                if (!TryParse(from, to, allowSign: false, out long number) || number > int.MaxValue) return false;
                target.Add((int)number);
            }
            return true;
        }

        /// <summary>Adds the entries of <paramref name="table"/> that the rest of the line names by space-separated positions.</summary>
        public bool AddByIndex(List<string> table, List<string> target)
        {
            foreach ((int from, int to) in Tokens(_position, _lineEnd, ' '))
            {
                if (!TryParse(from, to, allowSign: false, out long index) || index >= table.Count) return false;
                target.Add(table[(int)index]);
            }
            return true;
        }

        private IEnumerable<(int From, int To)> Tokens(int start, int end, char separator)
        {
            int from = start;
            for (int i = start; i <= end; i++)
            {
                if (i == end || _text[i] == separator)
                {
                    if (i > from) yield return (from, i);
                    from = i + 1;
                }
            }
        }

        private bool TryParse(int start, int end, bool allowSign, out long value)
        {
            value = 0;
            int i = start;
            bool negative = false;
            if (allowSign && i < end && (_text[i] == '-' || _text[i] == '+'))
            {
                negative = _text[i] == '-';
                i++;
            }
            if (i == end) return false;
            long accumulated = 0; // kept negative, so that long.MinValue fits
            for (; i < end; i++)
            {
                int digit = _text[i] - '0';
                if ((uint)digit > 9 || accumulated < (long.MinValue + digit) / 10) return false;
                accumulated = accumulated * 10 - digit;
            }
            if (!negative && accumulated == long.MinValue) return false;
            value = negative ? accumulated : -accumulated;
            return true;
        }
    }
}
