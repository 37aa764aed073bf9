using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.State;
using KernelBuild.Tasks.Tests.Dependencies;

namespace KernelBuild.Tasks.Tests.Planning;

/// <summary>
/// The planner as plain code: items and a log in, a plan out, no MSBuild. Real files in a temp tree and the real
/// NVRTC of this machine (the planner loads it to learn its architectures).
/// </summary>
[TestClass]
public sealed class KernelPlannerTests
{
    private const string ProjectFile = "<project>";

    /// <summary>Errors as the tasks would log them; a project error is located on <see cref="ProjectFile"/>.</summary>
    private sealed class RecordingLog : IBuildLog
    {
        public List<(string Code, string File, string Message)> Errors { get; } = [];
        public bool HasLoggedErrors => Errors.Count > 0;
        public void LogError(string code, string file, int line, string message) => Errors.Add((code, file, message));
        public void LogProjectError(string code, string message) => Errors.Add((code, ProjectFile, message));
    }

    private static KernelItem Item(string spec, string? link = null, string? architectures = null)
    {
        var metadata = new Dictionary<string, string>();
        if (link != null) metadata["Link"] = link;
        if (architectures != null) metadata["Architectures"] = architectures;
        return new KernelItem(spec, metadata);
    }

    private static BuildPlan? Plan(TempTree tree, RecordingLog log, string? nvrtcPath, params KernelItem[] items) =>
        new KernelPlanner(new PlanRequest(tree.Root, tree.P("obj"), tree.P("obj/KernelBuild.state"), nvrtcPath, items), log).Plan();

    private static BuildPlan? Plan(TempTree tree, RecordingLog log, params KernelItem[] items) => Plan(tree, log, null, items);

    [TestMethod]
    public void TwoItemsForOneFileAreReportedOnTheSecond()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        string source = tree.Write("k/a.cu", "__global__ void a() {}\n");
        var log = new RecordingLog();

        BuildPlan? plan = Plan(tree, log, Item("k/a.cu"), Item("k/./a.cu"));

        Assert.IsNull(plan);
        Assert.AreEqual(1, log.Errors.Count, string.Join("\n", log.Errors));
        Assert.AreEqual(KbErrors.DuplicateKernel, log.Errors[0].Code);
        Assert.AreEqual(source, log.Errors[0].File);
        StringAssert.Contains(log.Errors[0].Message, "both map to 'k/a.cu'");
    }

    [TestMethod]
    public void KernelsDifferingOnlyInCaseAreDuplicates()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        tree.Write("k/a.cu", "__global__ void a() {}\n");
        tree.Write("k/other.cu", "__global__ void b() {}\n");
        var log = new RecordingLog();

        // A Link gives the second its case-different identity, so the test holds on case-insensitive disks too.
        BuildPlan? plan = Plan(tree, log, Item("k/a.cu"), Item("k/other.cu", link: "K/A.cu"));

        Assert.IsNull(plan);
        Assert.AreEqual(KbErrors.DuplicateKernel, log.Errors.Single().Code);
        StringAssert.Contains(log.Errors[0].Message, "'k/a.cu' and 'K/A.cu' differ only in letter case");
        Assert.AreEqual(tree.P("k/other.cu"), log.Errors[0].File);
    }

    [TestMethod]
    [DataRow("../a.cu")]
    [DataRow("/abs/a.cu")]
    [DataRow("k/../../a.cu")]
    public void ALinkLeavingTheProjectIsAProjectError(string link)
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        tree.Write("a.cu", "__global__ void a() {}\n");
        var log = new RecordingLog();

        Assert.IsNull(Plan(tree, log, Item("a.cu", link: link)));

        Assert.AreEqual((KbErrors.LinkOutsideProject, ProjectFile), (log.Errors.Single().Code, log.Errors[0].File));
        StringAssert.Contains(log.Errors[0].Message, "Use a path such as 'kernels/a.cu'");
    }

    [TestMethod]
    [DataRow("a/./b/../c.cu", "a/c.cu")]
    [DataRow("a\\b.cu", "a/b.cu")]
    [DataRow("..", null)]
    [DataRow("C:/a.cu", null)]
    [DataRow("./", null)]
    public void LinksAreNormalizedOrRejected(string link, string? expected) =>
        Assert.AreEqual(expected, KernelSettingsReader.NormalizeLink(link));

    [TestMethod]
    [DataRow("", true, true)]
    [DataRow("", false, false)]
    [DataRow("false", true, false)]
    [DataRow(" FALSE ", true, false)]
    [DataRow("true", false, true)]
    [DataRow("True", true, true)]
    public void GenerateLauncherMetadataOverridesTheProjectsDefault(string metadata, bool projectDefault, bool expected)
    {
        Assert.IsTrue(KernelSettingsReader.TryReadGenerateLauncher(metadata, projectDefault, out bool generate));
        Assert.AreEqual(expected, generate);
    }

    [TestMethod]
    [DataRow("yes")]
    [DataRow("0")]
    [DataRow("$(Undefined)x")]
    public void GenerateLauncherMetadataOtherThanTrueOrFalseIsRejected(string metadata) =>
        Assert.IsFalse(KernelSettingsReader.TryReadGenerateLauncher(metadata, true, out _));

    [TestMethod]
    public void AKernelWithoutALauncherReadsNoSignatures_AndOnlyItsFingerprintChanges()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        tree.Write("a.cu", "__global__ void a() {}\n");
        tree.Write("b.cu", "__global__ void b() {}\n");
        var log = new RecordingLog();
        KernelItem Without(string spec) => new KernelItem(spec, new Dictionary<string, string> { ["GenerateLauncher"] = "false" });

        BuildPlan both = Plan(tree, log, Item("a.cu"), Item("b.cu"))!;
        BuildPlan bWithout = Plan(tree, log, Item("a.cu"), Without("b.cu"))!;

        Assert.AreEqual(0, log.Errors.Count, string.Join("\n", log.Errors));
        CollectionAssert.AreEqual(new[] { true, false }, bWithout.Kernels.Select(k => k.Settings.ReadSignatures).ToArray());
        Assert.AreEqual(both.Kernels[0].Fingerprint, bWithout.Kernels[0].Fingerprint);
        Assert.AreNotEqual(both.Kernels[1].Fingerprint, bWithout.Kernels[1].Fingerprint);
    }

    [TestMethod]
    public void AnInvalidGenerateLauncherIsAProjectErrorNamingTheKernel()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        string source = tree.Write("a.cu", "__global__ void a() {}\n");
        var log = new RecordingLog();

        BuildPlan? plan = Plan(tree, log, new KernelItem("a.cu", new Dictionary<string, string> { ["GenerateLauncher"] = "yes" }));

        Assert.AreEqual(0, plan?.Kernels.Count ?? 0);
        Assert.AreEqual(1, log.Errors.Count, string.Join("\n", log.Errors));
        Assert.AreEqual(KbErrors.InvalidGenerateLauncher, log.Errors[0].Code);
        StringAssert.Contains(log.Errors[0].Message, "'yes' of CUDA kernel '" + source + "'");
    }

    [TestMethod]
    public void AMissingKernelIsLeftOutWithoutFailingThePlan()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        tree.Write("a.cu", "__global__ void a() {}\n");
        var log = new RecordingLog();

        BuildPlan? plan = Plan(tree, log, Item("a.cu"), Item("missing.cu"));

        Assert.IsNotNull(plan, string.Join("\n", log.Errors));
        Assert.AreEqual(0, log.Errors.Count, "the compile task reports it, so that the others still compile");
        Assert.AreEqual("a.cu", plan.Kernels.Single().Settings.RelativePath);
        Assert.AreEqual(tree.P("missing.cu"), plan.Unreadable.Single().Source);
        StringAssert.Contains(plan.Unreadable[0].Message, "does not exist");
    }

    [TestMethod]
    public void ADanglingLinkIsUnreadableAndItsTargetNamed()
    {
        Requirements.Nvrtc();
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("symbolic links need privileges on Windows");
        using var tree = new TempTree();
        File.CreateSymbolicLink(tree.P("a.cu"), tree.P("gone.cu"));
        var log = new RecordingLog();

        BuildPlan? plan = Plan(tree, log, Item("a.cu"));

        Assert.IsNotNull(plan);
        StringAssert.Contains(plan.Unreadable.Single().Message, "symbolic link to '" + tree.P("gone.cu") + "'");
    }

    [TestMethod]
    public void AnArchitectureNvrtcDoesNotKnowIsAProjectError()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        tree.Write("a.cu", "__global__ void a() {}\n");
        var log = new RecordingLog();

        Assert.IsNull(Plan(tree, log, Item("a.cu", architectures: "sm_80;sm_9")));

        Assert.AreEqual((KbErrors.InvalidArchitecture, ProjectFile), (log.Errors.Single().Code, log.Errors[0].File));
        StringAssert.Contains(log.Errors[0].Message, "'sm_9'");
    }

    [TestMethod]
    public void NoNvrtcWhereNvrtcPathPointsIsKB1001()
    {
        using var tree = new TempTree();
        tree.Write("a.cu", "__global__ void a() {}\n");
        Directory.CreateDirectory(tree.P("no-nvrtc-here"));
        var log = new RecordingLog();

        Assert.IsNull(Plan(tree, log, tree.P("no-nvrtc-here"), Item("a.cu")));

        Assert.AreEqual((KbErrors.NvrtcNotFound, ProjectFile), (log.Errors.Single().Code, log.Errors[0].File));
    }

    [TestMethod]
    public void StaleReasonsFollowTheRecordedState()
    {
        Requirements.Nvrtc();
        using var tree = new TempTree();
        tree.Write("a.cu", "__global__ void a() {}\n");
        var log = new RecordingLog();

        BuildPlan first = Plan(tree, log, Item("a.cu"))!;
        Assert.AreEqual("no state file", first.Kernels.Single().StaleReason);

        // A state from the same compiler that knows another kernel: this one is new, the other removed.
        var state = new BuildState { Compiler = first.Compiler };
        state.Kernels["old.cu"] = new KernelRecord { RelativePath = "old.cu", Fingerprint = "x" };
        WriteState(tree, state);
        BuildPlan second = Plan(tree, log, Item("a.cu"))!;
        Assert.AreEqual("not built before", second.Kernels.Single().StaleReason);
        Assert.AreEqual("old.cu", second.Removed.Single().RelativePath);

        state.Kernels["a.cu"] = new KernelRecord { RelativePath = "a.cu", Fingerprint = "other options" };
        WriteState(tree, state);
        Assert.AreEqual("its options changed", Plan(tree, log, Item("a.cu"))!.Kernels.Single().StaleReason);

        state.Kernels["a.cu"] = new KernelRecord { RelativePath = "a.cu", Fingerprint = first.Kernels[0].Fingerprint, Complete = false };
        WriteState(tree, state);
        StringAssert.StartsWith(Plan(tree, log, Item("a.cu"))!.Kernels.Single().StaleReason, "an #include could not be resolved statically");

        state.Kernels["a.cu"] = new KernelRecord { RelativePath = "a.cu", Fingerprint = first.Kernels[0].Fingerprint };
        WriteState(tree, state);
        Assert.AreEqual("an output is not recorded", Plan(tree, log, Item("a.cu"))!.Kernels.Single().StaleReason);
        Assert.AreEqual(0, log.Errors.Count, string.Join("\n", log.Errors));
    }

    [TestMethod]
    public void WithoutKernelsEveryRecordedKernelIsRemovedAndNvrtcIsNotNeeded()
    {
        using var tree = new TempTree();
        var state = new BuildState();
        state.Kernels["old.cu"] = new KernelRecord { RelativePath = "old.cu", Fingerprint = "x" };
        WriteState(tree, state);
        var log = new RecordingLog();

        BuildPlan? plan = Plan(tree, log, tree.P("no-nvrtc-here"));

        Assert.IsNotNull(plan);
        Assert.AreEqual("old.cu", plan.Removed.Single().RelativePath);
        Assert.IsNull(plan.Compiler);
    }

    private static void WriteState(TempTree tree, BuildState state)
    {
        Directory.CreateDirectory(tree.P("obj"));
        BuildStateFile.Write(tree.P("obj/KernelBuild.state"), state);
    }
}
