using System;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Launching;

[TestClass]
public sealed class Dim3Tests
{
    [TestMethod]
    public void AnIntIsAOneDimensionalShape()
    {
        Dim3 shape = 256;

        Assert.AreEqual(new Dim3(256, 1, 1), shape);
        Assert.AreEqual(256UL, shape.Count);
    }

    [TestMethod]
    public void TuplesAreTwoAndThreeDimensionalShapes()
    {
        Dim3 plane = (16, 8);
        Dim3 volume = (4, 3, 2);

        Assert.AreEqual(new Dim3(16, 8, 1), plane);
        Assert.AreEqual(new Dim3(4, 3, 2), volume);
        Assert.AreEqual(24UL, volume.Count);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    public void RefusesEmptyOrNegativeDimensions(int value)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => { Dim3 shape = value; });
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => { Dim3 shape = (4, value); });
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => { Dim3 shape = (4, 4, value); });
    }

    [TestMethod]
    public void TheDefaultShapeIsEmpty() => Assert.AreEqual(0UL, default(Dim3).Count);
}
