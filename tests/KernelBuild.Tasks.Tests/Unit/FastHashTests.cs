using System.Text;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// FastHash against the algorithm as docs/formats.md describes it, written out here one unit at a time: the state
/// file's checksum (over bytes) and the identity and fingerprints (over UTF-16 code units) are that hash.
/// </summary>
[TestClass]
public sealed class FastHashTests
{
    [TestMethod]
    [DataRow("")]
    [DataRow("a")]
    [DataRow("abcd")]
    [DataRow("KernelBuild state 3\nfile\t1\t2\t3\t4\tabc\t/p/ü/€.cuh\n")]
    [DataRow("seven chars and then some more: 0123456789")]
    public void HashesAreTheDocumentedOnes(string text)
    {
        ushort[] units = text.Select(c => (ushort)c).ToArray();
        Assert.AreEqual(Documented(units.Select(u => (ulong)u).ToArray(), unitsPerWord: 4, unitBits: 16), FastHash.Of(text), "over UTF-16 code units");

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Assert.AreEqual(Documented(bytes.Select(b => (ulong)b).ToArray(), unitsPerWord: 8, unitBits: 8), FastHash.Of(bytes, bytes.Length), "over bytes");
    }

    /// <summary>Lane one FNV-1a-like, lane two rotate-multiply-xorshift, per 64-bit little-endian word; the tail unit by unit.</summary>
    private static string Documented(ulong[] units, int unitsPerWord, int unitBits)
    {
        const ulong primeA = 0x100000001B3UL, primeB = 0x9E3779B97F4A7C15UL;
        ulong a = 14695981039346656037UL, b = 0x2545F4914F6CDD1DUL;
        int words = units.Length / unitsPerWord;
        for (int i = 0; i < words; i++)
        {
            ulong w = 0;
            for (int j = 0; j < unitsPerWord; j++) w |= units[i * unitsPerWord + j] << (j * unitBits);
            a = (a ^ w) * primeA;
            b = (b ^ (w >> 7 | w << 57)) * primeB;
            b ^= b >> 31;
        }
        for (int i = words * unitsPerWord; i < units.Length; i++)
        {
            a = (a ^ units[i]) * primeA;
            b = (b ^ units[i]) * primeB;
        }
        a ^= (ulong)units.Length;
        a = (a ^ (a >> 33)) * primeB;
        return a.ToString("x16") + b.ToString("x16");
    }
}
