using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace KernelBuild.Tasks.Incremental
{
    /// <summary>SHA-256 as lowercase hex: the content identity used in the state file and the manifest.</summary>
    internal static class ContentHash
    {
        public static string Of(byte[] bytes)
        {
            using var sha = SHA256.Create();
            return ToHex(sha.ComputeHash(bytes));
        }

        public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

        /// <summary>Hash of a file's bytes, or null when it cannot be read (deleted between stat and read).</summary>
        public static string? OfFile(string path)
        {
            try
            {
                using var sha = SHA256.Create();
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return ToHex(sha.ComputeHash(stream));
            }
            catch (IOException) { return null; }
            catch (System.UnauthorizedAccessException) { return null; }
        }

        private static string ToHex(byte[] hash)
        {
            var text = new StringBuilder(hash.Length * 2);
            foreach (byte b in hash)
            {
                text.Append(b.ToString("x2"));
            }
            return text.ToString();
        }
    }
}
