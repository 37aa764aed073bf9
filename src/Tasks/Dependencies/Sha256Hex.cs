using System;
using System.Security.Cryptography;

namespace KernelBuild.Tasks.Dependencies
{
    /// <summary>Lowercase hex SHA-256, the form every KernelBuild file records.</summary>
    internal static class Sha256Hex
    {
        [ThreadStatic]
        private static SHA256? hasher;

        public static string Of(byte[] bytes)
        {
            hasher ??= SHA256.Create();
            byte[] hash = hasher.ComputeHash(bytes);
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
