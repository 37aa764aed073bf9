namespace KernelBuild.Tasks.Tests;

[TestClass]
public sealed class Smoke
{
    [TestMethod]
    public void TaskAssemblyLoads() => Assert.AreEqual("KernelBuild.Tasks", typeof(KernelBuild.Tasks.Placeholder).Assembly.GetName().Name);
}
