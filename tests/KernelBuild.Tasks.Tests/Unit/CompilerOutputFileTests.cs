using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// The check that finds an assembly or PDB a killed compiler cut short, on real compiler output (the task assembly
/// and its portable PDB, as Roslyn wrote them): whole as written, and cut short at every length below that, as a
/// writer killed halfway leaves it. System.Reflection.Metadata says where each file's last section or stream ends.
/// </summary>
[TestClass]
public sealed class CompilerOutputFileTests
{
    private static readonly string s_assembly = typeof(CompilerOutputFile).Assembly.Location;
    private static readonly string s_pdb = Path.ChangeExtension(s_assembly, ".pdb");

    [TestMethod]
    public void RoslynOutputsEndWhereTheirHeadersSay()
    {
        byte[] assembly = File.ReadAllBytes(s_assembly);
        using (var reader = new PEReader(new MemoryStream(assembly)))
        {
            long end = reader.PEHeaders.SectionHeaders.Max(s => (long)s.PointerToRawData + s.SizeOfRawData);
            Assert.AreEqual(assembly.Length, end, "the oracle below assumes the last section ends at the end of the file");
        }
        byte[] pdb = File.ReadAllBytes(s_pdb);
        using (var provider = MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(pdb)))
        {
            Assert.IsTrue(provider.GetMetadataReader().Documents.Count > 0, "the task's PDB is a portable PDB");
        }
        Assert.IsNull(CompilerOutputFile.WhyIncomplete(s_assembly));
        Assert.IsNull(CompilerOutputFile.WhyIncomplete(s_pdb));
    }

    [TestMethod]
    public void EveryPrefixOfAnAssembly_IsCutShort() => AssertEveryPrefixIsCutShort(s_assembly);

    [TestMethod]
    public void EveryPrefixOfAPortablePdb_IsCutShort() => AssertEveryPrefixIsCutShort(s_pdb);

    [TestMethod]
    public void BytesAfterTheLastSection_DoNotMakeAnAssemblyIncomplete()
    {
        // A signature or other trailing data that a tool appends lies past the sections.
        byte[] assembly = File.ReadAllBytes(s_assembly);
        Assert.IsNull(CompilerOutputFile.WhyIncomplete(new MemoryStream([.. assembly, .. new byte[4096]])));
    }

    [TestMethod]
    public void FilesOfAnotherFormat_AreNotJudged()
    {
        // A Windows PDB (MSF) must not be deleted on every build because it is not a portable one.
        byte[] msf = System.Text.Encoding.ASCII.GetBytes("Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0");
        Assert.IsNull(CompilerOutputFile.WhyIncomplete(new MemoryStream(msf)));
        StringAssert.Contains(CompilerOutputFile.WhyIncomplete(new MemoryStream([])), "only 0 bytes");
    }

    [TestMethod]
    public void TheReasonSaysHowMuchIsThere()
    {
        byte[] assembly = File.ReadAllBytes(s_assembly);
        string? why = CompilerOutputFile.WhyIncomplete(new MemoryStream(assembly, 0, assembly.Length - 1000));
        Assert.AreEqual($"{assembly.Length - 1000} of its {assembly.Length} bytes", why);
    }

    /// <summary>Every length in the headers' first 4 KB and the last 8 KB (a lost write-buffer tail), and 2 000 between.</summary>
    private static void AssertEveryPrefixIsCutShort(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        var random = new Random(file.Length);
        IEnumerable<int> lengths = Enumerable.Range(0, Math.Min(4096, file.Length))
            .Concat(Enumerable.Range(Math.Max(0, file.Length - 8192), Math.Min(8192, file.Length)))
            .Concat(Enumerable.Range(0, 2000).Select(_ => random.Next(file.Length)));
        foreach (int length in lengths.Distinct())
        {
            string? why = CompilerOutputFile.WhyIncomplete(new MemoryStream(file, 0, length));
            Assert.IsNotNull(why, $"{Path.GetFileName(path)} cut to {length} of {file.Length} bytes was judged whole");
        }
    }
}
