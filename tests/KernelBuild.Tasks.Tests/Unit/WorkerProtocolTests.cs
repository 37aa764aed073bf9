using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// A kernel and its whole result cross the worker pipe unchanged: a kernel's result must read the same whichever
/// lane compiled it, since the task records and writes what it receives.
/// </summary>
[TestClass]
public sealed class WorkerProtocolTests
{
    [TestMethod]
    public void AKernelRequestRoundTrips()
    {
        var settings = new KernelCompileSettings
        {
            SourcePath = "/src/a b.cu",
            RelativePath = "kernels/a b.cu",
            Architectures = [Arch("compute_80"), Arch("sm_80"), Arch("sm_90a")],
            Options = new CudaOptions("c++17", ["/inc one", "/inc2"], ["NAME=\"x y\"", "FLAG"],
                [new CudaOption(CudaOptionKind.DefineMacro, "M=1", "-DM=1"), new CudaOption(CudaOptionKind.PassThrough, "--use_fast_math", "--use_fast_math"),
                 new CudaOption(CudaOptionKind.PreInclude, "/inc/pre.h", "-include=/inc/pre.h")]),
            ReadSignatures = true,
            Instantiations = ["scale<float>", "ns::k<2>"],
        };
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WorkerProtocol.WriteRequest(writer, "/lib/libnvrtc.so.12", settings);
        }
        stream.Position = 0;
        using var reader = new BinaryReader(stream);

        var (library, read) = WorkerProtocol.ReadRequest(reader)!.Value;
        Assert.AreEqual("/lib/libnvrtc.so.12", library);
        Assert.AreEqual(settings.SourcePath, read.SourcePath);
        Assert.AreEqual(settings.RelativePath, read.RelativePath);
        CollectionAssert.AreEqual(settings.Architectures.ToList(), read.Architectures.ToList());
        Assert.AreEqual("c++17", read.Options.LanguageStandard);
        CollectionAssert.AreEqual(settings.Options.IncludeDirectories.ToList(), read.Options.IncludeDirectories.ToList());
        CollectionAssert.AreEqual(settings.Options.DefineConstants.ToList(), read.Options.DefineConstants.ToList());
        CollectionAssert.AreEqual(settings.Options.AdditionalOptions.Select(o => (o.Kind, o.Value, o.NvrtcArgument)).ToList(),
            read.Options.AdditionalOptions.Select(o => (o.Kind, o.Value, o.NvrtcArgument)).ToList());
        foreach (TargetArchitecture architecture in settings.Architectures)
        {
            CollectionAssert.AreEqual(settings.Options.NvrtcArguments(architecture), read.Options.NvrtcArguments(architecture), "NVRTC gets the same arguments");
        }
        Assert.IsTrue(read.ReadSignatures);
        CollectionAssert.AreEqual(settings.Instantiations.ToList(), read.Instantiations.ToList());
        Assert.IsNull(WorkerProtocol.ReadRequest(reader), "end of input ends the worker's loop");
    }

    [TestMethod]
    public void AWholeResultRoundTrips()
    {
        var settings = new KernelCompileSettings { SourcePath = "/src/k.cu", RelativePath = "k.cu", Architectures = [Arch("compute_80"), Arch("sm_80")] };
        var result = new KernelCompileResult(settings)
        {
            Succeeded = true,
            Dependencies = new IncludeScanResult(
                [new ScannedFile("/src/k.cu", new string('a', 64), new FileStamp(true, 120, 638_000_000_000_000_001, 638_000_000_000_000_002, 77)),
                 new ScannedFile("/src/h.cuh", new string('b', 64), new FileStamp(true, 9, 638_000_000_000_000_003, 0, 78).Unverified())],
                ["/src/missing.cuh", "/inc/missing.cuh"], [new ScanDiagnostic("/src/k.cu", 7, "computed include")], complete: false),
            EntryPoints = ["k", "_Z5scaleIfEvPT_"],
            Elapsed = TimeSpan.FromMilliseconds(123.4),
            ScanElapsed = TimeSpan.FromMilliseconds(1.5),
            SignatureElapsed = TimeSpan.FromMilliseconds(2.5),
            SeparatelyProbed = 1,
        };
        result.Diagnostics.Add(new NvrtcDiagnostic("/src/h.cuh", 3, 9, DiagnosticSeverity.Warning, "177", "variable \"x\" was declared but never referenced"));
        result.Diagnostics.Add(new NvrtcDiagnostic(null, 0, 0, DiagnosticSeverity.Message, "NVRTC", "a remark\twith a tab\nand a line"));
        result.Errors.Add("invalid option -x");
        result.Faults.Add(new KernelFault(KbErrors.ByteOrderMark, "starts with a mark") { File = "/src/h.cuh", Line = 1 });
        result.Faults.Add(new KernelFault(KbErrors.InvalidInstantiation, "no such template"));
        result.Images[settings.Architectures[0]] = [1, 2, 3];
        result.Images[settings.Architectures[1]] = [];
        var typed = new EntrySignature { EntryPoint = "k", CppName = "k", Line = 4, Declaration = "extern \"C\" __global__ void k(float* p)" };
        typed.Parameters.Add(new SignatureParameter("p", CudaType.PointerTo(CudaType.Builtin("float")), new PtxParameter(8, 8)));
        result.Signatures.Add(typed);
        result.Signatures.Add(new EntrySignature { EntryPoint = "_Z5scaleIfEvPT_", CppName = "scale<float>", Line = 9, Problem = "a parameter of a class type" });

        KernelCompileResult read = RoundTrip(result);

        Assert.IsTrue(read.Succeeded);
        Assert.AreSame(settings, read.Settings);
        CollectionAssert.AreEqual(result.Diagnostics.Select(Describe).ToList(), read.Diagnostics.Select(Describe).ToList());
        CollectionAssert.AreEqual(result.Errors, read.Errors);
        CollectionAssert.AreEqual(result.Faults.Select(f => (f.Code, f.Message, f.File, f.Line)).ToList(), read.Faults.Select(f => (f.Code, f.Message, f.File, f.Line)).ToList());
        Assert.IsNotNull(read.Dependencies);
        // Field by field: an unverified stamp equals no stamp, itself included.
        CollectionAssert.AreEqual(result.Dependencies.Files.Select(Fields).ToList(), read.Dependencies.Files.Select(Fields).ToList());
        Assert.IsTrue(read.Dependencies.Files[1].StampBeforeRead.IsUnverified);
        CollectionAssert.AreEqual(result.Dependencies.AbsentProbes.ToList(), read.Dependencies.AbsentProbes.ToList());
        Assert.AreEqual("/src/k.cu(7): warning: computed include", read.Dependencies.Warnings.Single().ToString());
        Assert.IsFalse(read.Dependencies.Complete);
        Assert.AreEqual(2, read.Images.Count);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, read.Images[settings.Architectures[0]]);
        CollectionAssert.AreEqual(Array.Empty<byte>(), read.Images[settings.Architectures[1]]);
        CollectionAssert.AreEqual(result.EntryPoints, read.EntryPoints);
        Assert.AreEqual(result.SignatureEntryLines, read.SignatureEntryLines, "the signature file gets the same lines");
        StringAssert.Contains(read.SignatureEntryLines, "float*");
        EntrySignature problem = read.Signatures.Single();
        Assert.AreEqual(("_Z5scaleIfEvPT_", "scale<float>", 9, "a parameter of a class type"), (problem.EntryPoint, problem.CppName, problem.Line, problem.Problem));
        Assert.AreEqual((result.Elapsed, result.ScanElapsed, result.SignatureElapsed, 1), (read.Elapsed, read.ScanElapsed, read.SignatureElapsed, read.SeparatelyProbed));
    }

    [TestMethod]
    public void AFailedResultWithoutAScanRoundTrips()
    {
        var settings = new KernelCompileSettings { SourcePath = "/src/gone.cu", RelativePath = "gone.cu", Architectures = [Arch("compute_80")] };
        KernelCompileResult failed = KernelCompileResult.Failed(settings, new KernelFault(KbErrors.SourceUnreadable, "Could not read CUDA kernel /src/gone.cu."));

        KernelCompileResult read = RoundTrip(failed);

        Assert.IsFalse(read.Succeeded);
        Assert.IsNull(read.Dependencies);
        Assert.AreEqual(0, read.Images.Count);
        Assert.AreEqual((KbErrors.SourceUnreadable, "Could not read CUDA kernel /src/gone.cu.", (string?)null, 0),
            read.Faults.Select(f => (f.Code, f.Message, f.File, f.Line)).Single());
    }

    [TestMethod]
    public void AnImageForAnArchitectureTheKernelDoesNotBuildIsRefused()
    {
        var sent = new KernelCompileSettings { SourcePath = "/src/k.cu", Architectures = [Arch("sm_80")] };
        var result = new KernelCompileResult(sent) { Succeeded = true };
        result.Images[Arch("sm_80")] = [1];
        var other = new KernelCompileSettings { SourcePath = "/src/k.cu", Architectures = [Arch("sm_90")] };

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) WorkerProtocol.WriteResult(writer, result);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        // The lane treats this like a broken pipe: it compiles the kernel in process instead.
        Assert.ThrowsExactly<InvalidDataException>(() => WorkerProtocol.ReadResult(reader, other));
    }

    internal static KernelCompileResult RoundTrip(KernelCompileResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WorkerProtocol.WriteResult(writer, result);
        }
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        KernelCompileResult read = WorkerProtocol.ReadResult(reader, result.Settings);
        Assert.AreEqual(stream.Length, stream.Position, "the frame is read to its end");
        return read;
    }

    private static string Fields(ScannedFile f) =>
        $"{f.Path}|{f.Sha256}|{f.StampBeforeRead.Exists}|{f.StampBeforeRead.Size}|{f.StampBeforeRead.ModifiedTicks}|{f.StampBeforeRead.ChangedTicks}|{f.StampBeforeRead.Inode}";

    private static string Describe(NvrtcDiagnostic d) => $"{d.File}|{d.Line}|{d.Column}|{d.Severity}|{d.Code}|{d.Message}";

    private static TargetArchitecture Arch(string name)
    {
        Assert.IsTrue(TargetArchitecture.TryParse(name, out var arch), name);
        return arch!;
    }
}
