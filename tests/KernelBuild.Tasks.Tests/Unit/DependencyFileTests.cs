using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class DependencyFileTests
{
    [TestMethod]
    public void EscapesLikeGcc()
    {
        Assert.AreEqual(@"/a\ b/c\#d/$$e.cuh", DependencyFile.Escape("/a b/c#d/$e.cuh"));
        Assert.AreEqual(@"/x\\\ y", DependencyFile.Escape(@"/x\ y"), "a backslash before a space is doubled, then the space escaped");
        Assert.AreEqual(@"/plain\path", DependencyFile.Escape(@"/plain\path"), "other backslashes are literal");
        Assert.AreEqual(@"c\:/x\\\:y", DependencyFile.Escape(@"c:/x\:y"), "a colon would end the targets");
        Assert.Throws<UnrepresentablePathException>(() => DependencyFile.Escape(@"/end\"), "make and ninja disagree on a trailing backslash");
        Assert.Throws<UnrepresentablePathException>(() => DependencyFile.Escape("/a\nb"), "no escape exists for a line break");
    }

    [TestMethod]
    public void OneDependencyPerContinuationLine()
    {
        string text = DependencyFile.Format("/o/a.ptx", ["/s/a.cu", "/s/b.cuh"]);
        Assert.AreEqual("/o/a.ptx: \\\n  /s/a.cu \\\n  /s/b.cuh\n", text);
    }
}
