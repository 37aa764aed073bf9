using System;
using System.IO;
using System.Text;

namespace KernelBuild.Tasks.IO
{
    /// <summary>
    /// Whether an assembly or a portable PDB holds every byte its headers promise. Compilers write these files in
    /// place, front to back, so a writer killed halfway leaves a prefix of the file: its headers are cut short, or its
    /// last section (PE) or stream (PDB) ends past the end of the file. Reads the headers only, about 1 KB.
    /// </summary>
    internal static class CompilerOutputFile
    {
        private const int PeHeaderOffsetField = 0x3C;
        private const int CoffHeaderLength = 24; // "PE\0\0" and the COFF file header
        private const int SectionHeaderLength = 40;
        private const int MetadataRootFixedLength = 16; // signature, versions, reserved, version string length

        /// <summary>
        /// Null when the file is whole; otherwise why not, for a build log ("12288 of its 16384 bytes"). A file in
        /// another format (a Windows PDB) is not judged: null.
        /// </summary>
        public static string? WhyIncomplete(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            return WhyIncomplete(stream);
        }

        internal static string? WhyIncomplete(Stream stream)
        {
            byte[] magic = new byte[4];
            if (!TryRead(stream, 0, magic)) return $"only {stream.Length} bytes";
            if (magic[0] == 'M' && magic[1] == 'Z') return Missing(stream, PortableExecutableEnd(stream));
            if (Encoding.ASCII.GetString(magic) == "BSJB") return Missing(stream, PortablePdbEnd(stream));
            return null;
        }

        private static string? Missing(Stream stream, long? end) =>
            end == null ? $"its headers are cut short at {stream.Length} bytes"
            : stream.Length < end ? $"{stream.Length} of its {end} bytes"
            : null;

        /// <summary>Where the last section's raw data ends (PE/COFF: the section table after the optional header); null when the headers are cut short.</summary>
        private static long? PortableExecutableEnd(Stream stream)
        {
            byte[] offset = new byte[4];
            if (!TryRead(stream, PeHeaderOffsetField, offset)) return null;
            long pe = BitConverter.ToUInt32(offset, 0);
            byte[] coff = new byte[CoffHeaderLength];
            if (!TryRead(stream, pe, coff)) return null;
            int sectionCount = BitConverter.ToUInt16(coff, 6);
            int optionalHeaderLength = BitConverter.ToUInt16(coff, 20);
            byte[] sections = new byte[sectionCount * SectionHeaderLength];
            if (!TryRead(stream, pe + CoffHeaderLength + optionalHeaderLength, sections)) return null;
            long end = 0;
            for (int i = 0; i < sectionCount; i++)
            {
                long rawLength = BitConverter.ToUInt32(sections, i * SectionHeaderLength + 16);
                long rawStart = BitConverter.ToUInt32(sections, i * SectionHeaderLength + 20);
                end = Math.Max(end, rawStart + rawLength);
            }
            return end;
        }

        /// <summary>
        /// Where the last metadata stream ends (ECMA-335 II.24.2.1: the metadata root, then one header per stream:
        /// offset, size, and a NUL-terminated name padded to 4 bytes); null when the headers are cut short.
        /// </summary>
        private static long? PortablePdbEnd(Stream stream)
        {
            byte[] root = new byte[MetadataRootFixedLength];
            if (!TryRead(stream, 0, root)) return null;
            long position = MetadataRootFixedLength + BitConverter.ToUInt32(root, 12) + 2; // version string, flags
            byte[] count = new byte[2];
            if (!TryRead(stream, position, count)) return null;
            position += 2;
            long end = 0;
            byte[] header = new byte[8];
            for (int i = BitConverter.ToUInt16(count, 0); i > 0; i--)
            {
                if (!TryRead(stream, position, header)) return null;
                end = Math.Max(end, (long)BitConverter.ToUInt32(header, 0) + BitConverter.ToUInt32(header, 4));
                position += 8;
                long? afterName = AfterPaddedName(stream, position);
                if (afterName == null) return null;
                position = afterName.Value;
            }
            return Math.Max(end, position);
        }

        /// <summary>The position after a NUL-terminated name padded to a multiple of 4 bytes; null when the file ends first.</summary>
        private static long? AfterPaddedName(Stream stream, long position)
        {
            byte[] chunk = new byte[4];
            while (TryRead(stream, position, chunk))
            {
                position += 4;
                if (Array.IndexOf(chunk, (byte)0) >= 0) return position;
            }
            return null;
        }

        private static bool TryRead(Stream stream, long offset, byte[] buffer)
        {
            if (offset < 0 || offset + buffer.Length > stream.Length) return false;
            stream.Position = offset;
            int total = 0;
            while (total < buffer.Length)
            {
                int read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0) return false;
                total += read;
            }
            return true;
        }
    }
}
