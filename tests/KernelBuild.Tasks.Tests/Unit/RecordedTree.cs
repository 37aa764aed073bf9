using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.State;
using KernelBuild.Tasks.Tests.Dependencies;

namespace KernelBuild.Tasks.Tests.Unit;

/// <summary>
/// A one-kernel tree as a build leaves it (a source, a header, an absent include probe, three outputs under obj/),
/// the state that build would have recorded, and the changes the staleness tests make to it afterwards.
/// </summary>
internal static class RecordedTree
{
    public const string Kernel = "k/a.cu";

    /// <summary>Each change made to the tree after it was recorded, before the check.</summary>
    public static readonly Dictionary<string, Action<TempTree>> Changes = new()
    {
        ["nothing"] = _ => { },
        ["a header's bytes"] = t => t.Write("include/h.cuh", "#define STEP 2\n"),
        ["a header touched only"] = t => File.SetLastWriteTimeUtc(t.P("include/h.cuh"), DateTime.UtcNow.AddMinutes(-5)),
        ["a header deleted"] = t => File.Delete(t.P("include/h.cuh")),
        ["an absent probe created"] = t => t.Write("k/h.cuh", "#define STEP 3\n"),
        ["an image deleted"] = t => File.Delete(t.P("obj/k/a.compute_80.ptx")),
        ["an image edited"] = t => t.Write("obj/k/a.compute_80.ptx", "// edited\n"),
        ["an image touched only"] = t => File.SetLastWriteTimeUtc(t.P("obj/k/a.compute_80.ptx"), DateTime.UtcNow.AddMinutes(-5)),
    };

    public static void Write(TempTree tree)
    {
        tree.Write(Kernel, "#include \"h.cuh\"\nextern \"C\" __global__ void a() {}\n");
        tree.Write("include/h.cuh", "#define STEP 1\n");
        tree.Write("obj/k/a.compute_80.ptx", "// ptx\n");
        tree.Write("obj/k/a.cu.d", "a: b\n");
        tree.Write("obj/k/a.cu.signatures", "\n");
    }

    /// <summary>The state a build would have written for the tree as it is now: one kernel, its header, three outputs.</summary>
    public static BuildState Record(TempTree tree)
    {
        var state = new BuildState();
        var kernel = new KernelRecord { RelativePath = Kernel, Fingerprint = "fingerprint" };
        foreach (string dependency in new[] { tree.P(Kernel), tree.P("include/h.cuh") })
        {
            state.Files[dependency] = new TrackedFile(dependency, FileStamp.Of(dependency), ContentHash.OfFile(dependency)!);
            kernel.Dependencies.Add(dependency);
        }
        kernel.AbsentProbes.Add(tree.P("k/h.cuh"));
        kernel.Outputs.Add(Output(tree, "k/a.compute_80.ptx", OutputKind.Ptx));
        kernel.Outputs.Add(Output(tree, "k/a.cu.d", OutputKind.DependencyFile));
        kernel.Outputs.Add(Output(tree, "k/a.cu.signatures", OutputKind.Signatures));
        state.Kernels[Kernel] = kernel;
        return state;
    }

    /// <summary>What the staleness checker says of the kernel (null: up to date), as the full check asks it.</summary>
    public static string? Check(StalenessChecker checker) =>
        checker.Check(Kernel, "fingerprint", ["k/a.compute_80.ptx"], stateProblem: null, compilerChanged: false);

    private static OutputRecord Output(TempTree tree, string relativePath, OutputKind kind)
    {
        string path = tree.P("obj/" + relativePath);
        return new OutputRecord { RelativePath = relativePath, Kind = kind, Stamp = FileStamp.Of(path), Sha256 = ContentHash.OfFile(path)! };
    }
}
