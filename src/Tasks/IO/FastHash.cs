namespace KernelBuild.Tasks.IO
{
    /// <summary>
    /// A 128-bit non-cryptographic hash (two 64-bit multiply-xor lanes over a string's UTF-16 code units, four at a
    /// time, or over bytes, eight at a time) as 32 hex digits. For fingerprints and checksums on the no-op build path, which must notice
    /// changes, not resist attacks: the first SHA-256 in a process costs over 10 ms of crypto-library start-up, a
    /// noticeable share of a no-op `dotnet build`. File contents are still identified by SHA-256 (<see cref="ContentHash"/>).
    /// </summary>
    internal static class FastHash
    {
        private const ulong PrimeA = 0x100000001B3UL;          // FNV-1a's 64-bit prime
        private const ulong PrimeB = 0x9E3779B97F4A7C15UL;      // the golden-ratio constant, odd
        private const ulong SeedA = 14695981039346656037UL;     // FNV's 64-bit offset basis
        private const ulong SeedB = 0x2545F4914F6CDD1DUL;

        public static string Of(string text) => Of(text, text.Length);

        /// <summary>The hash of the first <paramref name="length"/> characters, without copying them out.</summary>
        /// <remarks>
        /// This runs on every build over the whole state file. It carries no AggressiveOptimization: crossgen2 leaves
        /// such methods out of the ReadyToRun image (eng/ReadyToRun.targets), so every build would JIT it again, and
        /// the precompiled code is optimized already. Loaded as IL, its loop is optimized by on-stack replacement.
        /// </remarks>
        public static unsafe string Of(string text, int length)
        {
            ulong a = SeedA, b = SeedB;
            fixed (char* start = text)
            {
                int blocks = length / 4;
                MixWords((ulong*)start, blocks, ref a, ref b);
                for (int i = blocks * 4; i < length; i++)
                {
                    a = (a ^ start[i]) * PrimeA;
                    b = (b ^ start[i]) * PrimeB;
                }
            }
            return Finish(a, b, length);
        }

        /// <summary>The hash of the first <paramref name="length"/> bytes, eight at a time: the state file's checksum,
        /// taken over its bytes as read, so that the file need not be decoded as a whole (BuildStateFile.Parse).</summary>
        public static unsafe string Of(byte[] bytes, int length)
        {
            ulong a = SeedA, b = SeedB;
            fixed (byte* start = bytes)
            {
                int blocks = length / 8;
                MixWords((ulong*)start, blocks, ref a, ref b);
                for (int i = blocks * 8; i < length; i++)
                {
                    a = (a ^ start[i]) * PrimeA;
                    b = (b ^ start[i]) * PrimeB;
                }
            }
            return Finish(a, b, length);
        }

        /// <summary>Both lanes' step, once per 64-bit word (in the machine's byte order).</summary>
        private static unsafe void MixWords(ulong* words, int count, ref ulong a, ref ulong b)
        {
            for (int i = 0; i < count; i++)
            {
                ulong w = words[i];
                a = (a ^ w) * PrimeA;
                b = (b ^ (w >> 7 | w << 57)) * PrimeB;
                b ^= b >> 31;
            }
        }

        private static string Finish(ulong a, ulong b, int length)
        {
            a ^= (ulong)length;
            a = (a ^ (a >> 33)) * PrimeB;
            return a.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + b.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
