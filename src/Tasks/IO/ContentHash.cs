using System;
using System.IO;
using System.Security.Cryptography;

namespace KernelBuild.Tasks.IO
{
    /// <summary>SHA-256 as lowercase hex: the content identity used in the state file, the scanner and the manifest.</summary>
    internal static class ContentHash
    {
        // One hasher per thread: kernels are scanned and checked in parallel, and creating one per call is costly.
        [ThreadStatic]
        private static SHA256? s_hasher;

        private static SHA256 Hasher => s_hasher ??= SHA256.Create();

        public static string Of(byte[] bytes) => ToHex(Hasher.ComputeHash(bytes));

        /// <summary>Hash of a file's bytes, or null when it cannot be read (deleted between stat and read).</summary>
        public static string? OfFile(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return ToHex(Hasher.ComputeHash(stream));
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }

        private static string ToHex(byte[] hash)
        {
            var chars = new char[hash.Length * 2];
            for (int i = 0; i < hash.Length; i++)
            {
                chars[2 * i] = Hex(hash[i] >> 4);
                chars[2 * i + 1] = Hex(hash[i] & 0xF);
            }
            return new string(chars);
        }

        private static char Hex(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }
}
