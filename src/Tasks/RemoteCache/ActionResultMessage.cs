using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>A file of an action result: a name and the SHA-256 and size of its bytes in the CAS.</summary>
    internal sealed class CachedOutputFile
    {
        public CachedOutputFile(string path, string sha256, long size)
        {
            Path = path;
            Sha256 = sha256;
            Size = size;
        }

        public string Path { get; }
        public string Sha256 { get; }
        public long Size { get; }
    }

    /// <summary>
    /// The few fields of the Remote Execution API's <c>build.bazel.remote.execution.v2.ActionResult</c> that
    /// KernelBuild writes under <c>/ac/</c>: <c>output_files</c> (2) of <c>OutputFile</c> {path (1), digest (2) {hash (1),
    /// size_bytes (2)}} and <c>exit_code</c> (4, always 0, so omitted as protobuf omits defaults). Real messages, so that
    /// servers which validate the action cache (bazel-remote does by default) accept them; encoded by hand because
    /// these four fields do not justify a protobuf dependency in a task assembly (docs/remote-cache.md).
    /// </summary>
    internal static class ActionResultMessage
    {
        private const int WireVarint = 0;
        private const int WireLengthDelimited = 2;

        public static byte[] Encode(IEnumerable<CachedOutputFile> files)
        {
            var message = new MemoryStream();
            foreach (CachedOutputFile file in files)
            {
                var digest = new MemoryStream();
                WriteBytes(digest, 1, Encoding.ASCII.GetBytes(file.Sha256));
                WriteTag(digest, 2, WireVarint);
                WriteVarint(digest, (ulong)file.Size);

                var outputFile = new MemoryStream();
                WriteBytes(outputFile, 1, Encoding.UTF8.GetBytes(file.Path));
                WriteBytes(outputFile, 2, digest.ToArray());

                WriteBytes(message, 2, outputFile.ToArray());
            }
            return message.ToArray();
        }

        /// <summary>The output files of an ActionResult; null when the bytes are not one (the server returned garbage).</summary>
        public static List<CachedOutputFile>? TryDecode(byte[] bytes)
        {
            try
            {
                var files = new List<CachedOutputFile>();
                var reader = new Reader(bytes, 0, bytes.Length);
                while (!reader.AtEnd)
                {
                    (int field, int wire) = reader.ReadTag();
                    if (field == 2 && wire == WireLengthDelimited)
                    {
                        CachedOutputFile? file = DecodeOutputFile(reader.ReadNested());
                        if (file == null) return null;
                        files.Add(file);
                    }
                    else
                    {
                        reader.Skip(wire);
                    }
                }
                return files;
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        private static CachedOutputFile? DecodeOutputFile(Reader reader)
        {
            string? path = null, hash = null;
            long size = -1;
            while (!reader.AtEnd)
            {
                (int field, int wire) = reader.ReadTag();
                if (field == 1 && wire == WireLengthDelimited)
                {
                    path = reader.ReadString();
                }
                else if (field == 2 && wire == WireLengthDelimited)
                {
                    Reader digest = reader.ReadNested();
                    size = 0; // proto3 omits a zero size_bytes
                    while (!digest.AtEnd)
                    {
                        (int digestField, int digestWire) = digest.ReadTag();
                        if (digestField == 1 && digestWire == WireLengthDelimited) hash = digest.ReadString();
                        else if (digestField == 2 && digestWire == WireVarint) size = (long)digest.ReadVarint();
                        else digest.Skip(digestWire);
                    }
                }
                else
                {
                    reader.Skip(wire);
                }
            }
            return path != null && hash != null && size >= 0 && IsSha256(hash) ? new CachedOutputFile(path, hash, size) : null;
        }

        internal static bool IsSha256(string text)
        {
            if (text.Length != 64) return false;
            foreach (char c in text)
            {
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
            }
            return true;
        }

        private static void WriteTag(Stream stream, int field, int wire) => WriteVarint(stream, (ulong)((field << 3) | wire));

        private static void WriteBytes(Stream stream, int field, byte[] bytes)
        {
            WriteTag(stream, field, WireLengthDelimited);
            WriteVarint(stream, (ulong)bytes.Length);
            stream.Write(bytes, 0, bytes.Length);
        }

        private static void WriteVarint(Stream stream, ulong value)
        {
            while (value >= 0x80)
            {
                stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            stream.WriteByte((byte)value);
        }

        /// <summary>Reads protobuf wire format within [start, end); anything out of bounds is InvalidDataException.</summary>
        private sealed class Reader
        {
            private readonly byte[] _bytes;
            private readonly int _end;
            private int _position;

            public Reader(byte[] bytes, int start, int end)
            {
                _bytes = bytes;
                _position = start;
                _end = end;
            }

            public bool AtEnd => _position >= _end;

            public (int Field, int Wire) ReadTag()
            {
                ulong tag = ReadVarint();
                if (tag >> 3 == 0 || tag >> 3 > int.MaxValue) throw new InvalidDataException("bad field number");
                return ((int)(tag >> 3), (int)(tag & 7));
            }

            public ulong ReadVarint()
            {
                ulong value = 0;
                for (int shift = 0; shift < 64; shift += 7)
                {
                    if (_position >= _end) throw new InvalidDataException("truncated varint");
                    byte b = _bytes[_position++];
                    value |= (ulong)(b & 0x7F) << shift;
                    if (b < 0x80) return value;
                }
                throw new InvalidDataException("varint too long");
            }

            public Reader ReadNested()
            {
                int length = ReadLength();
                var nested = new Reader(_bytes, _position, _position + length);
                _position += length;
                return nested;
            }

            public string ReadString()
            {
                int length = ReadLength();
                string text = Encoding.UTF8.GetString(_bytes, _position, length);
                _position += length;
                return text;
            }

            public void Skip(int wire)
            {
                switch (wire)
                {
                    case WireVarint: ReadVarint(); break;
                    case 1: Advance(8); break;
                    case WireLengthDelimited: Advance(ReadLength()); break;
                    case 5: Advance(4); break;
                    default: throw new InvalidDataException("unknown wire type");
                }
            }

            private int ReadLength()
            {
                ulong length = ReadVarint();
                if (length > (ulong)(_end - _position)) throw new InvalidDataException("length past the end");
                return (int)length;
            }

            private void Advance(int count)
            {
                if (count > _end - _position) throw new InvalidDataException("field past the end");
                _position += count;
            }
        }
    }
}
