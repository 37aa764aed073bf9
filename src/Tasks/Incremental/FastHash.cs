namespace KernelBuild.Tasks.Incremental
{
    /// <summary>
    /// A 128-bit non-cryptographic hash (two FNV-1a 64 lanes) of a string, as 32 hex digits. For fingerprints
    /// and checksums on the no-op build path, which must notice changes, not resist attacks: the first SHA-256 in
    /// a process costs over 10 ms of crypto-library start-up, a noticeable share of a no-op `dotnet build`.
    /// File contents are still identified by SHA-256 (<see cref="ContentHash"/>).
    /// </summary>
    internal static class FastHash
    {
        private const ulong Prime = 1099511628211UL;

        public static string Of(string text)
        {
            ulong a = 14695981039346656037UL;
            ulong b = 0x9E3779B97F4A7C15UL; // a second, independent start: two lanes make 128 bits
            foreach (char c in text)
            {
                a = (a ^ (byte)c) * Prime;
                a = (a ^ (byte)(c >> 8)) * Prime;
                b = (b ^ c) * Prime;
                b ^= b >> 29;
            }
            return a.ToString("x16") + b.ToString("x16");
        }
    }
}
