using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using KernelBuild.Runtime;

namespace KernelBuild.Runtime.Tests.Launching;

[TestClass]
public sealed class KernelArgumentLayoutTests
{
    // The C layout of `struct Affine { float multiply; int add; }` in kernels/mixed_args.cu.
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Affine(float Multiply, int Add);

    private readonly record struct Float3(float X, float Y, float Z);

    private readonly record struct IntThenDouble(int A, double B);

    private readonly record struct Named(string Name, int Value);

    [TestMethod]
    public void AlignsAnIntADoubleAndAPointerAsC()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(typeof(int), typeof(double), typeof(DeviceBuffer<float>));

        AssertSlots(layout, (0, 4), (8, 8), (16, 8));
        Assert.AreEqual(24, layout.Size);
    }

    [TestMethod]
    public void PacksSmallScalarsIntoThePaddingOfLargerOnes()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(
            typeof(byte), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(DeviceBuffer<int>));

        AssertSlots(layout, (0, 1), (2, 2), (4, 4), (8, 8), (16, 4), (24, 8), (32, 8));
        Assert.AreEqual(40, layout.Size);
    }

    [TestMethod]
    public void LaysOutTheMixedArgsKernelsParametersAsTheDeviceDoes()
    {
        // mixed_args(int n, double scale, const int* input, Affine affine, double* output)
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(
            typeof(int), typeof(double), typeof(DeviceBuffer<int>), typeof(Affine), typeof(DeviceBuffer<double>));

        AssertSlots(layout, (0, 4), (8, 8), (16, 8), (24, 8), (32, 8));
    }

    [TestMethod]
    public void UsesTheAlignmentOfAStructsWidestField()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(
            typeof(byte), typeof(Float3), typeof(byte), typeof(IntThenDouble), typeof(bool), typeof(char));

        AssertSlots(layout, (0, 1), (4, 12), (16, 1), (24, 16), (40, 1), (42, 2));
        CollectionAssert.AreEqual(new[] { 1, 4, 1, 8, 1, 2 }, layout.Slots.Select(slot => slot.Alignment).ToArray());
    }

    [TestMethod]
    public void PassesEnumsAsTheirUnderlyingType()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(typeof(byte), typeof(DayOfWeek), typeof(ConsoleKey));

        AssertSlots(layout, (0, 1), (4, 4), (8, 4));
    }

    [TestMethod]
    public void WritesEachArgumentsBytesAtItsOffset()
    {
        object[] arguments = [7, 2.5, new Affine(1.5f, -3), (byte)9, -4L];
        KernelArgumentLayout layout = KernelArgumentLayout.Of(arguments);
        var block = new byte[layout.Size];

        layout.Write(arguments, block);

        Assert.AreEqual(7, BitConverter.ToInt32(block, 0));
        Assert.AreEqual(2.5, BitConverter.ToDouble(block, 8));
        Assert.AreEqual(1.5f, BitConverter.ToSingle(block, 16));
        Assert.AreEqual(-3, BitConverter.ToInt32(block, 20));
        Assert.AreEqual(9, block[24]);
        Assert.AreEqual(-4L, BitConverter.ToInt64(block, 32));
        Assert.AreEqual(40, layout.Size);
    }

    [TestMethod]
    public void AcceptsNoArguments()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.Of([]);

        Assert.IsEmpty(layout.Slots);
        Assert.AreEqual(0, layout.Size);
    }

    [TestMethod]
    public void RefusesNull() =>
        AssertRefused([1, null!], "kernel argument 1 is null");

    [TestMethod]
    public void RefusesAnArrayAndSaysToUseADeviceBuffer() =>
        AssertRefused([new int[3]], "kernel argument 0 is an array (Int32[])", "DeviceBuffer<Int32>");

    [TestMethod]
    public void RefusesAString() =>
        AssertRefused([1, 2.0, "text"], "kernel argument 2 has type String, a managed reference");

    [TestMethod]
    public void RefusesOtherClasses() =>
        AssertRefused([new List<int>()], "kernel argument 0 has type List<Int32>, a managed reference");

    [TestMethod]
    public void RefusesAStructThatHoldsReferences() =>
        AssertRefused([0, new Named("x", 1)], "kernel argument 1 has type Named, a struct that contains managed references");

    [TestMethod]
    public void AcceptsArgumentsThatMatchTheParameters()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(typeof(DeviceBuffer<int>), typeof(int));

        layout.CheckAgainst([new KernelParameter(0, 8), new KernelParameter(8, 4)], "increment");

        Assert.HasCount(2, layout.Slots);
    }

    [TestMethod]
    public void RefusesTooFewArguments()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(typeof(DeviceBuffer<int>));

        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(
            () => layout.CheckAgainst([new KernelParameter(0, 8), new KernelParameter(8, 4)], "increment"));

        Assert.Contains("kernel 'increment' takes 2 parameter(s) (8 bytes, 4 bytes) but 1 argument(s) were given (DeviceBuffer<Int32>: 8 bytes)", exception.Message);
    }

    [TestMethod]
    public void RefusesAnArgumentOfTheWrongSize()
    {
        KernelArgumentLayout layout = KernelArgumentLayout.OfTypes(typeof(DeviceBuffer<int>), typeof(long));

        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(
            () => layout.CheckAgainst([new KernelParameter(0, 8), new KernelParameter(8, 4)], "increment"));

        Assert.Contains("parameter 1 is 4 bytes but argument 1 (Int64) is 8 bytes", exception.Message);
    }

    private static void AssertSlots(KernelArgumentLayout layout, params (int Offset, int Size)[] expected) =>
        CollectionAssert.AreEqual(expected, layout.Slots.Select(slot => (slot.Offset, slot.Size)).ToArray());

    private static void AssertRefused(object[] arguments, params string[] expectedFragments)
    {
        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(() => KernelArgumentLayout.Of(arguments));

        Assert.AreEqual("arguments", exception.ParamName);
        foreach (string fragment in expectedFragments)
        {
            Assert.Contains(fragment, exception.Message);
        }
    }
}
