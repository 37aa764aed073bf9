using KernelBuild.Tasks.Compiler;

namespace KernelBuild.Tasks.Tests.Unit;

[TestClass]
public sealed class NvrtcLocatorTests
{
    private static NvrtcLocator Linux(IEnumerable<string> files, Dictionary<string, string>? env = null, IEnumerable<string>? dirs = null)
    {
        var fileSet = new HashSet<string>(files);
        var dirSet = new HashSet<string>(dirs ?? []);
        return new NvrtcLocator(false, fileSet.Contains, dirSet.Contains,
            parent => dirSet.Where(d => Path.GetDirectoryName(d) == parent), name => env != null && env.TryGetValue(name, out var v) ? v : null);
    }

    [TestMethod]
    public void ExplicitFileWinsOverEverythingElse()
    {
        var locator = Linux(["/opt/my/libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so.12"]);
        NvrtcLocation found = locator.Locate("/opt/my/libnvrtc.so.12");
        Assert.AreEqual("/opt/my/libnvrtc.so.12", found.Path);
    }

    [TestMethod]
    public void ExplicitFolderIsSearchedForEveryKnownName()
    {
        var locator = Linux(["/opt/my/libnvrtc.so.11.2"]);
        Assert.AreEqual("/opt/my/libnvrtc.so.11.2", locator.Locate("/opt/my").Path);
    }

    [TestMethod]
    public void ExplicitPathThatHoldsNothingIsNotSilentlyReplaced()
    {
        var locator = Linux(["/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2"]);
        NvrtcLocation found = locator.Locate("/nowhere");
        Assert.IsFalse(found.Found);
        Assert.IsFalse(found.FromLoaderSearch);
        Assert.AreEqual("/nowhere", found.Probed[0]);
    }

    [TestMethod]
    public void CudaPathComesBeforeDistributionFolders()
    {
        var locator = Linux(["/toolkit/lib64/libnvrtc.so.12", "/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2"],
            new() { ["CUDA_PATH"] = "/toolkit" });
        Assert.AreEqual("/toolkit/lib64/libnvrtc.so.12", locator.Locate(null).Path);
    }

    [TestMethod]
    public void CudaHomeIsUsedWhenCudaPathIsNotSet()
    {
        var locator = Linux(["/home-toolkit/lib64/libnvrtc.so.13"], new() { ["CUDA_HOME"] = "/home-toolkit" });
        Assert.AreEqual("/home-toolkit/lib64/libnvrtc.so.13", locator.Locate(null).Path);
    }

    [TestMethod]
    public void NewestVersionedToolkitFolderWins()
    {
        var locator = Linux(["/usr/local/cuda-12.4/lib64/libnvrtc.so.12", "/usr/local/cuda-12.10/lib64/libnvrtc.so.12"],
            dirs: ["/usr/local", "/usr/local/cuda-12.4", "/usr/local/cuda-12.10", "/usr/local/bin"]);
        Assert.AreEqual("/usr/local/cuda-12.10/lib64/libnvrtc.so.12", locator.Locate(null).Path);
    }

    [TestMethod]
    public void DebianPackageLocationIsFound()
    {
        var locator = Linux(["/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2"]);
        Assert.AreEqual("/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2", locator.Locate(null).Path);
    }

    [TestMethod]
    public void NothingFoundFallsBackToTheLoaderAndListsEveryProbe()
    {
        NvrtcLocation found = Linux([]).Locate(null);
        Assert.IsFalse(found.Found);
        Assert.IsTrue(found.FromLoaderSearch);
        CollectionAssert.Contains(found.Probed.ToList(), "/usr/local/cuda/lib64/libnvrtc.so.12");
        StringAssert.Contains(found.Probed.Last(), "libnvrtc.so.13");
    }

    [TestMethod]
    public void WindowsLooksInCudaPathBinAndTheCuda13Subfolder()
    {
        var files = new HashSet<string> { Path.Combine(@"C:\CUDA\v13.0", "bin", "x64", "nvrtc64_130_0.dll") };
        var locator = new NvrtcLocator(true, files.Contains, _ => false, _ => [], n => n == "CUDA_PATH" ? @"C:\CUDA\v13.0" : null);
        Assert.AreEqual(files.Single(), locator.Locate(null).Path);
    }

    [TestMethod]
    public void NotFoundMessageListsPlacesAndHowToInstall()
    {
        var e = new NvrtcNotFoundException(["/a/libnvrtc.so.12", "/b/libnvrtc.so.12"], null);
        StringAssert.Contains(e.Message, "Looked in: /a/libnvrtc.so.12; /b/libnvrtc.so.12.");
        StringAssert.Contains(e.Message, "NvrtcPath");
        StringAssert.Contains(e.Message, "libnvrtc11.2");
    }
}
