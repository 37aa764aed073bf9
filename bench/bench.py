#!/usr/bin/env python3
"""KernelBuild vs nvcc + ninja vs the raw-NVRTC floor, on generated projects. Run through bench/run.sh, which
installs the tools and builds the task assembly first; `bench/run.sh --help` lists the options.

For each size N, three copies of the same generated project (bench/genproject.py) are built by:
  kernelbuild  `dotnet build --no-restore -nodeReuse:false -v:n` of a csproj importing targets/KernelBuild.*
  ninja        `ninja -j<cores>` over a build.ninja running `nvcc --ptx -MD` (depfile, deps = gcc, restat)
  floor        bench/nvrtc_floor: <cores> processes calling NVRTC directly, no build system
and a plain `dotnet build --no-restore` no-op of the same csproj without kernels and without KernelBuild gives
the fixed cost of `dotnet build`. Scenarios run scenario by scenario, the systems interleaved within each
repetition, so that a change in the machine's load hits all of them alike.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genproject  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)

# name, title, repetitions kind ("cheap" or "full")
SCENARIOS = [
    ("full", "full build from clean", "full"),
    ("noop", "no-op build", "cheap"),
    ("touch", "touch the header used by all (bytes unchanged)", "cheap"),
    ("edit_cs", "edit a C# file (the kernels unchanged)", "cheap"),
    ("edit_one", "edit a header used by 1 kernel", "cheap"),
    ("edit_tenth", "edit a header used by a tenth of the kernels", "cheap"),
    ("edit_all", "edit the header used by all kernels", "full"),
    ("option", "change one global option (a define)", "full"),
]
SYSTEMS = ["kernelbuild", "ninja", "floor"]
# Scenarios that change only the C# side: a kernel build system outside MSBuild (ninja, the floor) has nothing to do.
NO_CUDA_WORK = ("edit_cs",)
FAILURES = []


def log(msg):
    print(msg, flush=True)


def fail(msg):
    FAILURES.append(msg)
    log("FAIL: " + msg)


# ---------------------------------------------------------------------------------------------- measuring

class TreeSampler(threading.Thread):
    """Polls /proc and keeps the peak of the summed RSS of a process and all its descendants, plus that of any
    process whose name is in `extra` (daemons such as the C# compiler server, which leave the process tree)."""

    def __init__(self, pid, interval, extra=()):
        super().__init__(daemon=True)
        self.pid, self.interval, self.extra, self.peak_kb = pid, interval, tuple(extra), 0
        self.done = threading.Event()
        self.page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def sample(self):
        children, rss, total = {}, {}, 0
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            close = stat.rfind(b")")
            fields = stat[close + 2:].split()
            pid, ppid, kb = int(entry.name), int(fields[1]), int(fields[21]) * self.page_kb
            children.setdefault(ppid, []).append(pid)
            rss[pid] = kb
            if self.extra and stat[stat.find(b"(") + 1:close].decode(errors="replace").startswith(self.extra):
                total += kb
        todo = [self.pid]
        while todo:
            p = todo.pop()
            total += rss.get(p, 0)
            todo.extend(children.get(p, []))
        self.peak_kb = max(self.peak_kb, total)

    def run(self):
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)


class Measurement:
    def __init__(self, wall, rc, max_rss_kb, tree_kb, output):
        self.wall, self.rc, self.max_rss_kb, self.tree_kb, self.output = wall, rc, max_rss_kb, tree_kb, output
        self.count = None
        self.phase = None  # KernelBuild: the compile step's own time, from its log

    def to_dict(self):
        return {"wall": self.wall, "rc": self.rc, "max_rss_kb": self.max_rss_kb, "tree_kb": self.tree_kb,
                "count": self.count, "phase": self.phase}

    @staticmethod
    def from_dict(d):
        m = Measurement(d["wall"], d["rc"], d["max_rss_kb"], d["tree_kb"], "")
        m.count, m.phase = d.get("count"), d.get("phase")
        return m


def measure(cmd, cwd, env, args, log_path, extra=()):
    """Runs cmd under GNU time (largest process's max RSS) and the tree sampler; returns a Measurement."""
    time_file = log_path + ".time"
    full = ["/usr/bin/time", "-v", "-o", time_file] + cmd
    start = time.monotonic()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = None
        if args.sample_interval > 0:
            sampler = TreeSampler(proc.pid, args.sample_interval, extra)
            sampler.start()
        rc = proc.wait()
        wall = time.monotonic() - start
        if sampler:
            sampler.done.set()
            sampler.join()
    max_rss = 0
    try:
        with open(time_file) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
            max_rss = int(m.group(1)) if m else 0
    except OSError:
        pass
    with open(log_path, "rb") as f:
        output = f.read().decode(errors="replace")
    return Measurement(wall, rc, max_rss, sampler.peak_kb if sampler else 0, output)


def tail(text, lines=25):
    return "\n".join(text.rstrip().splitlines()[-lines:])


def run_quiet(cmd, cwd=None, env=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{tail(p.stdout.decode(errors='replace'))}")
    return p.stdout.decode(errors="replace")


# ---------------------------------------------------------------------------------------------- systems

def dotnet_env(args):
    """The environment of every `dotnet` command, pinned so that the machine's own settings do not leak in.
    Environment variables are MSBuild properties: UseSharedCompilation decides whether the C# compile (which
    reruns whenever an embedded kernel image changes) goes to the Roslyn compiler server or starts csc cold."""
    env = dict(os.environ)
    env.update(DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1", DOTNET_SKIP_FIRST_TIME_EXPERIENCE="1",
               MSBUILDDISABLENODEREUSE="1", MSBUILDTERMINALLOGGER="off", DOTNET_CLI_USE_MSBUILD_SERVER="0",
               UseSharedCompilation="true" if args.compiler_server == "on" else "false")
    return env


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def write_project_guards(folder):
    """Empty Directory.Build.* and Directory.Packages.props: MSBuild stops looking above the work folder, so
    a work folder inside some other repository does not pick up that repository's settings."""
    for name in ("Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"):
        write(os.path.join(folder, name), "<Project />\n")


CS_FILE = "namespace Bench\n{\n    public static class Marker\n    {\n        public const int Value = 1;\n    }\n}\n"


class System:
    name = ""

    def __init__(self, args, root, manifest):
        self.args, self.root, self.manifest = args, root, manifest
        self.n = len(manifest["kernels"])
        self.broken = False
        self.option_changed = False

    def path(self, rel):
        return os.path.join(self.root, rel)

    def expected(self, scenario):
        m = self.manifest
        return {"full": self.n, "noop": 0, "touch": 0, "edit_cs": 0, "edit_one": len(m["one"]["kernels"]),
                "edit_tenth": len(m["tenth"]["kernels"]), "edit_all": self.n, "option": self.n}[scenario]

    def prepare(self, scenario):
        """The untimed change before a timed build; returns False when the scenario does not apply."""
        m = self.manifest
        if scenario == "full":
            self.clean()
        elif scenario == "touch":
            os.utime(self.path(m["all"]["header"]))
        elif scenario == "edit_cs":
            # A new value each run: the C# compile runs again, with every generated launcher class in it.
            self.cs_edits = getattr(self, "cs_edits", 0) + 1
            write(self.path("Bench.cs"), CS_FILE.replace("Value = 1;", f"Value = {self.cs_edits + 1};"))
        elif scenario.startswith("edit_"):
            genproject.edit_header(self.path(m[scenario[5:]]["header"]))
        elif scenario == "option":
            self.option_changed = not self.option_changed
        return True


class KernelBuild(System):
    name = "kernelbuild"
    extra_properties = ""

    def setup(self):
        a = self.args
        write_project_guards(self.root)
        write(self.path("Bench.cs"), CS_FILE)
        write(self.path("Bench.csproj"), f"""<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="{os.path.join(REPO, 'targets', 'KernelBuild.props')}" />
  <PropertyGroup>
    <TargetFramework>{a.tfm}</TargetFramework>
    <KernelBuildTasksAssembly>{a.tasks_dll}</KernelBuildTasksAssembly>
    <CudaArchitectures>compute_80</CudaArchitectures>
    <CudaIncludeDirectories>include</CudaIncludeDirectories>
    <CudaDefineConstants>BENCH_OPT=1</CudaDefineConstants>
    <KernelBuildGeneratorAssembly>{a.generator_dll}</KernelBuildGeneratorAssembly>{self.extra_properties}
  </PropertyGroup>
  <!-- What the package gives a project: the runtime, which the generated launchers use. -->
  <ItemGroup>
    <Reference Include="{a.runtime_dll}" />
  </ItemGroup>
  <Import Project="{os.path.join(REPO, 'targets', 'KernelBuild.targets')}" />
</Project>
""")
        run_quiet(["dotnet", "restore", "Bench.csproj", "-nodeReuse:false", "-v:q"], cwd=self.root, env=dotnet_env(self.args))

    def clean(self):
        shutil.rmtree(self.path("bin"), ignore_errors=True)
        obj = self.path("obj")
        if os.path.isdir(obj):
            for entry in os.listdir(obj):  # keep the restore outputs (project.assets.json, nuget.g.*)
                full = os.path.join(obj, entry)
                if os.path.isdir(full):
                    shutil.rmtree(full)

    def command(self, scenario):
        cmd = ["dotnet", "build", "--no-restore", "-nodeReuse:false", "-v:n", "Bench.csproj"]
        if self.option_changed:
            cmd.append("-p:CudaDefineConstants=BENCH_OPT=2")
        return cmd

    def run(self, scenario, log_path):
        m = measure(self.command(scenario), self.root, dotnet_env(self.args), self.args, log_path,
                    extra=self.args.extra_processes)
        m.count = len(re.findall(r"Compiling CUDA kernel \S+ \(", m.output))
        phase = re.search(r"Compiled \d+ CUDA kernel\(s\) in ([0-9.]+) s", m.output)
        m.phase = float(phase.group(1)) if phase else None
        return m


class KernelBuildEmbedded(KernelBuild):
    """KernelBuild with EmbedCudaKernels=true in the Debug build that is measured: the kernels embedded in the
    assembly, as a Release build, `dotnet publish` and `dotnet pack` do, so that an edit of a kernel reruns the C#
    compile. The default Debug build keeps them in the bundle beside the assembly (the `kernelbuild` system). Timed
    in the scenarios an inner loop repeats."""
    name = "kernelbuild_embedded"
    extra_properties = "\n    <EmbedCudaKernels>true</EmbedCudaKernels>"
    scenarios = ("noop", "touch", "edit_one")
    built = False

    def prepare(self, scenario):
        if scenario not in self.scenarios:
            return False
        if not self.built:  # no timed full build here: the first scenario's build, untimed, compiles the kernels
            run_quiet(self.command("full"), cwd=self.root, env=dotnet_env(self.args))
            self.built = True
        return super().prepare(scenario)


class Plain(KernelBuild):
    """The same project without kernels and without KernelBuild: the fixed cost of `dotnet build`."""
    name = "plain"

    def items(self):
        return ""

    def setup(self):
        write_project_guards(self.root)
        write(self.path("Bench.cs"), CS_FILE)
        write(self.path("Bench.csproj"), f"""<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>{self.args.tfm}</TargetFramework>
  </PropertyGroup>{self.items()}
</Project>
""")
        run_quiet(["dotnet", "restore", "Bench.csproj", "-nodeReuse:false", "-v:q"], cwd=self.root, env=dotnet_env(self.args))
        run_quiet(["dotnet", "build", "--no-restore", "-nodeReuse:false", "-v:q", "Bench.csproj"], cwd=self.root, env=dotnet_env(self.args))


class PlainWithSources(Plain):
    """The plain project with the kernels' and headers' files in its folder, still without KernelBuild: the SDK
    makes every one a None item, which a developer's project pays for with or without KernelBuild. Measured for
    information only, beside the plain no-op that the targets use."""
    name = "plain_files"

    def setup(self):
        for folder in ("include", "kernels"):
            shutil.rmtree(self.path(folder), ignore_errors=True)
            shutil.copytree(os.path.join(self.source_root, folder), self.path(folder))
        super().setup()


class PlainWithRuntime(Plain):
    """The plain project referencing KernelBuild.Runtime, as every project that launches kernels does, still without
    kernels and without KernelBuild's targets: what the reference alone costs a no-op (resolving and copying one
    more assembly). For information, beside the plain no-op that the targets use."""
    name = "plain_runtime"

    def items(self):
        return f"""
  <ItemGroup>
    <Reference Include="{self.args.runtime_dll}" />
  </ItemGroup>"""


class Ninja(System):
    name = "ninja"

    def setup(self):
        self.write_ninja()

    def write_ninja(self):
        a = self.args
        define = "BENCH_OPT=2" if self.option_changed else "BENCH_OPT=1"
        lines = [
            "# Generated by bench/bench.py: nvcc --ptx of every kernel, dependencies from nvcc's depfiles.",
            "ninja_required_version = 1.5",
            "builddir = out",
            f"nvcc = {a.nvcc}",
            f"flags = -arch=compute_80 -ccbin {a.host_compiler} -I{self.path('include')} -D{define}",
            "rule ptx",
            "  command = $nvcc --ptx -MD -MF $out.d $flags -o $out $in",
            "  description = NVCC $out",
            "  depfile = $out.d",
            "  deps = gcc",
            "  restat = 1",
            "",
        ]
        for rel in self.manifest["kernels"]:
            stem = os.path.splitext(os.path.basename(rel))[0]
            lines.append(f"build out/{stem}.ptx: ptx {rel}")
        write(self.path("build.ninja"), "\n".join(lines) + "\n")

    def expected(self, scenario):
        # ninja decides by timestamps: a touched header rebuilds every kernel that includes it.
        return self.n if scenario == "touch" else super().expected(scenario)

    def clean(self):
        shutil.rmtree(self.path("out"), ignore_errors=True)

    def prepare(self, scenario):
        if scenario in NO_CUDA_WORK:
            return False
        super().prepare(scenario)
        if scenario == "option":
            self.write_ninja()
        return True

    def run(self, scenario, log_path):
        env = dict(os.environ, NINJA_STATUS="[%f/%t] ")
        m = measure([self.args.ninja, "-j", str(self.args.jobs)], self.root, env, self.args, log_path)
        m.count = len(re.findall(r"^\[\d+/\d+\] ", m.output, re.M))
        return m


class Floor(System):
    """Raw NVRTC: compiles exactly the kernels a scenario affects, <cores> processes, no build system."""
    name = "floor"

    def setup(self):
        pass

    def clean(self):
        shutil.rmtree(self.path("out"), ignore_errors=True)

    def prepare(self, scenario):
        if scenario in ("noop", "touch", "option") or scenario in NO_CUDA_WORK:
            return False
        super().prepare(scenario)
        return True

    def affected(self, scenario):
        if scenario == "full":
            return self.manifest["kernels"]
        return self.manifest[scenario[5:]]["kernels"]

    def run(self, scenario, log_path):
        os.makedirs(self.path("out"), exist_ok=True)
        files = [self.path(k) for k in self.affected(scenario)]
        cmd = [self.args.floor_bin, "-j", str(self.args.jobs), "-o", self.path("out"),
               "-arch=compute_80", "-I" + self.path("include"), "-DBENCH_OPT=1", "--"] + files
        m = measure(cmd, self.root, dict(os.environ), self.args, log_path)
        m.count = len(files) if m.rc == 0 else 0
        return m


# ---------------------------------------------------------------------------------------------- running

def run_light(args, n, base, logs, plain, results):
    """The full build of the --light shape (about 0.05-0.1 s of NVRTC per kernel), KernelBuild and the floor
    interleaved with a plain full build, run by run: there KernelBuild's fixed costs weigh most against the floor."""
    systems = []
    for cls in (KernelBuild, Floor):
        if cls.name not in args.systems:
            continue
        root = os.path.join(base, cls.name + "-light")
        manifest = genproject.generate(root, n, args.groups, args.depth, args.width, light=True)
        s = cls(args, root, manifest)
        s.name = cls.name + "_light"
        log(f"[N={n}] setting up {s.name} in {root}")
        s.setup()
        systems.append(s)
    for rep in range(args.reps_full):
        for s in systems:
            s.prepare("full")
            lp = os.path.join(logs, f"{s.name}-full-{rep + 1}.log")
            m = s.run("full", lp)
            results.setdefault((s.name, "full"), []).append(m)
            if m.rc != 0 or m.count != n:
                fail(f"N={n} {s.name} full run {rep + 1}: exit code {m.rc}, {m.count} kernels, expected {n} (log {lp})")
            log(f"[N={n}] full       {s.name:<17} run {rep + 1}/{args.reps_full}: {m.wall:7.2f} s  {m.count:4d} kernels")
        if plain is not None:
            plain.prepare("full")
            lp = os.path.join(logs, f"plain-full_light-{rep + 1}.log")
            m = plain.run("full", lp)
            results.setdefault(("plain", "full_light"), []).append(m)
            log(f"[N={n}] full       {'plain':<17} run {rep + 1}/{args.reps_full}: {m.wall:7.2f} s")


def run_size(args, n):
    load_start = loadavg()
    results, manifest = run_shapes(args, n)
    # Kept with the manifest so that --from-json reports it too.
    manifest["load"] = [load_start, loadavg()]
    return results, manifest


def run_shapes(args, n):
    base = os.path.join(args.workdir, f"n{n}")
    logs = os.path.join(base, "logs")
    os.makedirs(logs, exist_ok=True)
    systems = []
    manifest = None
    for cls in (KernelBuild, KernelBuildEmbedded, Ninja, Floor):
        if cls.name not in args.systems and not (cls is KernelBuildEmbedded and args.embedded and "kernelbuild" in args.systems):
            continue
        root = os.path.join(base, cls.name)
        manifest = genproject.generate(root, n, args.groups, args.depth, args.width)
        s = cls(args, root, manifest)
        log(f"[N={n}] setting up {s.name} in {root}")
        s.setup()
        systems.append(s)
    plain = plain_files = plain_runtime = None
    if "kernelbuild" in args.systems:
        plain_runtime = PlainWithRuntime(args, os.path.join(args.workdir, "plain-runtime"), manifest)
        plain_runtime.setup()
        plain = Plain(args, os.path.join(args.workdir, "plain"), manifest)
        plain.setup()
        plain_files = PlainWithSources(args, os.path.join(base, "plain-files"), manifest)
        plain_files.source_root = systems[0].root
        plain_files.setup()

    results = {}  # (system, scenario) -> list of Measurement
    for scenario, title, kind in SCENARIOS:
        reps = args.reps_full if kind == "full" else args.reps_cheap
        for rep in range(reps):
            for s in systems:
                # A scenario that makes a system compile everything (ninja after a touch) gets the full-build count.
                runs = min(reps, args.reps_full) if s.expected(scenario) == s.n else reps
                if rep >= runs:
                    continue
                if s.broken or not s.prepare(scenario):
                    continue
                lp = os.path.join(logs, f"{s.name}-{scenario}-{rep + 1}.log")
                m = s.run(scenario, lp)
                results.setdefault((s.name, scenario), []).append(m)
                want = s.expected(scenario)
                status = "ok"
                if m.rc != 0:
                    status = "BUILD FAILED"
                    fail(f"N={n} {s.name} {scenario} run {rep + 1}: exit code {m.rc}; log {lp}:\n{tail(m.output)}")
                    s.broken = True
                elif m.count != want:
                    status = f"expected {want}"
                    if s.name.startswith("kernelbuild"):
                        fail(f"N={n} kernelbuild {scenario} run {rep + 1}: compiled {m.count} kernels, expected {want} (log {lp})")
                    else:
                        log(f"NOTE: N={n} {s.name} {scenario}: ran {m.count} compiles, expected {want} (log {lp})")
                log(f"[N={n}] {scenario:<10} {s.name:<11} run {rep + 1}/{runs}: {m.wall:7.2f} s  "
                    f"{m.count:4d} kernels  max RSS {m.max_rss_kb / 1024:6.0f} MB  tree {m.tree_kb / 1024:6.0f} MB  {status}")
            if scenario in ("full", "noop", "edit_cs") and plain is not None:
                plain.prepare(scenario)
                lp = os.path.join(logs, f"plain-{scenario}-{rep + 1}.log")
                m = plain.run(scenario, lp)
                if m.rc != 0:
                    fail(f"N={n} plain dotnet build failed; log {lp}:\n{tail(m.output)}")
                results.setdefault(("plain", scenario), []).append(m)
                log(f"[N={n}] {scenario:<10} {'plain':<11} run {rep + 1}/{reps}: {m.wall:7.2f} s  "
                    f"           max RSS {m.max_rss_kb / 1024:6.0f} MB  tree {m.tree_kb / 1024:6.0f} MB")
            if scenario == "noop" and plain_files is not None:
                for extra in (plain_files, plain_runtime):
                    m = extra.run(scenario, os.path.join(logs, f"{extra.name}-noop-{rep + 1}.log"))
                    results.setdefault((extra.name, "noop"), []).append(m)
                    log(f"[N={n}] noop       {extra.name:<11} run {rep + 1}/{reps}: {m.wall:7.2f} s")
    if args.light:
        run_light(args, n, base, logs, plain, results)
    return results, manifest


# ---------------------------------------------------------------------------------------------- reporting

def med(ms):
    return statistics.median(m.wall for m in ms) if ms else None


def run_by_run(r, keys, ratio):
    """ratio(the walls of run i of each of keys) for every run i they all have: the systems ran interleaved, run by
    run, so a run's values saw the same moment of the machine's load, which a ratio of medians does not; None
    without two such runs."""
    values = [ratio(*(m.wall for m in runs)) for runs in zip(*(r.get(k) or [] for k in keys))]
    return values if len(values) >= 2 else None


def cell_time(ms):
    if not ms:
        return "—"
    walls = [m.wall for m in ms]
    if len(walls) == 1:
        return f"{walls[0]:.2f}"
    return f"{statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f})"


def cell_count(ms, want, strict):
    if not ms:
        return "—"
    counts = sorted({m.count for m in ms})
    text = "/".join(str(c) for c in counts)
    if any(m.rc != 0 for m in ms):
        return text + " **FAIL (build failed)**"
    if counts != [want]:
        return text + (f" **FAIL (expected {want})**" if strict else f" (expected {want})")
    return text


def cell_mem(ms):
    if not ms:
        return "—"
    largest = max(m.max_rss_kb for m in ms) / 1024
    # A sample can miss a short-lived peak; the tree's peak is at least its largest process's.
    tree = max(max(m.tree_kb, m.max_rss_kb) for m in ms) / 1024 if any(m.tree_kb for m in ms) else 0
    return f"{largest:.0f} / {tree:.0f}" if tree else f"{largest:.0f}"


def snapshot_tasks(dll, workdir):
    """Copies the task assembly's folder (the NVRTC worker lives beside it) into the work folder and returns the
    copy's path: a rebuild of the repository during the run must not change what is measured (KernelBuild rightly
    recompiles every kernel when its task assembly changes)."""
    copy = os.path.join(workdir, "tasks")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(os.path.dirname(dll), copy)
    return os.path.join(copy, os.path.basename(dll))


def snapshot_launcher_parts(workdir):
    """Builds the runtime and the launcher generator in Release and copies them into the work folder: the package
    gives a project both, so the measured C# compiles generate and compile a launcher class per kernel, as a
    user's do. Returns (runtime dll, generator dll)."""
    copy = os.path.join(workdir, "launchers")
    shutil.rmtree(copy, ignore_errors=True)
    parts = []
    for project, tfm, name in (("Runtime", "net10.0", "KernelBuild.Runtime.dll"), ("Generator", "netstandard2.0", "KernelBuild.Generator.dll")):
        run_quiet(["dotnet", "build", os.path.join(REPO, "src", project), "-c", "Release", "-nodeReuse:false", "-v:q"])
        shutil.copytree(os.path.join(REPO, "src", project, "bin", "Release", tfm), os.path.join(copy, project))
        parts.append(os.path.join(copy, project, name))
    return tuple(parts)


def repo_version():
    try:
        head = run_quiet(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).strip()
        dirty = run_quiet(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no", "--", "src", "targets"]).strip()
        return head + (" with uncommitted changes in src/ or targets/" if dirty else "")
    except (OSError, RuntimeError):
        return "unknown (not a git checkout)"


def machine_info(args):
    def first(cmd):
        try:
            out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout.decode()
            return out.strip().splitlines()
        except (OSError, subprocess.SubprocessError):
            return []
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    nvcc = [l for l in first([args.nvcc, "--version"]) if "release" in l]
    host = first([args.host_compiler, "--version"])
    return {
        "cores (nproc)": str(os.cpu_count() and len(os.sched_getaffinity(0))),
        "memory": mem,
        "CPU": cpu,
        "OS": f"{platform.system()} {platform.release()}",
        "dotnet SDK": (first(["dotnet", "--version"]) or ["?"])[0],
        "NVRTC": (first([args.floor_bin, "--version"]) or ["?"])[0].replace("NVRTC ", ""),
        "nvcc": nvcc[0].strip() if nvcc else "not found",
        "host compiler": host[0] if host else "not found",
        "ninja": (first([args.ninja, "--version"]) or ["not found"])[0],
        "KernelBuild": repo_version(),
    }


def pct(x):
    return f"{x * 100:+.1f}%"


def ratios(n, r, manifest):
    """Lines comparing against the targets; each says met / missed and by how much."""
    g = lambda s, sc: med(r.get((s, sc)))  # noqa: E731
    out = []
    plain = g("plain", "noop")
    kb_full, floor_full, ninja_full = g("kernelbuild", "full"), g("floor", "full"), g("ninja", "full")
    if kb_full and plain is not None and floor_full:
        x = (kb_full - plain) / floor_full
        verdict = "met" if x <= 1.15 else f"missed: {x:.2f}× instead of ≤ 1.15×"
        out.append(f"- Full build, KernelBuild minus the no-op `dotnet build` ({kb_full:.2f} − {plain:.2f} s) vs the "
                   f"raw-NVRTC floor ({floor_full:.2f} s): {x:.2f}× ({pct(x - 1)}); target ≤ 1.15×: **{verdict}**.")
    plain_full = g("plain", "full")
    if kb_full and plain_full is not None and floor_full:
        x = (kb_full - plain_full) / floor_full
        out.append(f"- (For information) the same, minus a plain `dotnet build` from clean instead, which also compiles "
                   f"the C# ({kb_full:.2f} − {plain_full:.2f} s): {x:.2f}× the floor ({pct(x - 1)}).")
    phases = [m.phase for m in r.get(("kernelbuild", "full"), []) if m.phase is not None]
    if phases and floor_full:
        x = statistics.median(phases) / floor_full
        out.append(f"- (For information) KernelBuild's compile step alone (\"Compiled N CUDA kernel(s) in … s\" in its "
                   f"log, median {statistics.median(phases):.2f} s): {x:.2f}× the floor ({pct(x - 1)}).")
    if kb_full and ninja_full:
        x = ninja_full / kb_full
        applies = n >= 100
        verdict = ("met" if x >= 3 else f"missed: {x:.2f}× instead of 3×") if applies else "target applies at N ≥ 100"
        out.append(f"- Full build, whole `dotnet build` ({kb_full:.2f} s) vs nvcc + ninja ({ninja_full:.2f} s): "
                   f"{x:.2f}× faster; target ≥ 3×: **{verdict}**.")
    kb_noop = g("kernelbuild", "noop")
    if kb_noop and plain:
        x = (kb_noop - plain) / plain
        applies = n >= 500
        verdict = ("met" if x < 0.05 else f"missed: {pct(x)} instead of < 5%") if applies else "target applies at N = 500"
        out.append(f"- No-op: KernelBuild {kb_noop:.2f} s vs plain `dotnet build` {plain:.2f} s: adds {pct(x)}; "
                   f"target < 5%: **{verdict}**.")
    kb_one, ninja_one = g("kernelbuild", "edit_one"), g("ninja", "edit_one")
    if kb_one and ninja_one and plain is not None:
        counts = sorted({m.count for m in r[("kernelbuild", "edit_one")]})
        limit = ninja_one + plain
        ok_count = counts == [len(manifest["one"]["kernels"])]
        verdict = ("met" if kb_one < limit else f"missed by {kb_one - limit:.2f} s") + \
            ("" if ok_count else f"; **recompiled {counts}, not exactly 1**")
        out.append(f"- Edit one header: KernelBuild {kb_one:.2f} s, recompiled {'/'.join(map(str, counts))} kernel(s); "
                   f"nvcc + ninja {ninja_one:.2f} s + no-op `dotnet build` {plain:.2f} s = {limit:.2f} s: **{verdict}**.")
    return out


def overhead_targets(n, r):
    """The targets of the no-op/small-build work (docs/benchmarks.md, "Overhead targets"); each line met / missed."""
    g = lambda s, sc: med(r.get((s, sc)))  # noqa: E731
    applies = n >= 100
    out = []

    def line(text, ok, ratio_text):
        verdict = ("met" if ok else f"missed ({ratio_text})") if applies else "for information: targets apply at N ≥ 100"
        out.append(f"- {text}: **{verdict}**.")

    plain_noop, kb_noop, kb_touch = g("plain", "noop"), g("kernelbuild", "noop"), g("kernelbuild", "touch")
    if plain_noop and kb_noop:
        x = (kb_noop - plain_noop) / plain_noop
        line(f"No-op: KernelBuild {kb_noop:.2f} s vs plain `dotnet build` {plain_noop:.2f} s: {pct(x)}; target < +5%",
             x < 0.05, pct(x))
        pairs = run_by_run(r, [("kernelbuild", "noop"), ("plain", "noop")], lambda k, p: (k - p) / p)
        if pairs:
            out.append(f"- (For information) the same, paired run by run (each KernelBuild no-op against the plain one "
                       f"right after it): median {pct(statistics.median(pairs))} over {len(pairs)} pairs.")
    plain_files = g("plain_files", "noop")
    if plain_files and kb_noop:
        out.append(f"- (For information) the same against the plain project with the kernels' and headers' files in its "
                   f"folder ({plain_files:.2f} s): {pct((kb_noop - plain_files) / plain_files)}.")
    plain_runtime = g("plain_runtime", "noop")
    if plain_runtime and kb_noop and plain_noop:
        out.append(f"- (For information) the plain project referencing KernelBuild.Runtime: {plain_runtime:.2f} s, "
                   f"{pct((plain_runtime - plain_noop) / plain_noop)} over the plain project; KernelBuild's no-op against "
                   f"it: {pct((kb_noop - plain_runtime) / plain_runtime)}.")
        pairs = run_by_run(r, [("plain_runtime", "noop"), ("plain", "noop")], lambda a, p: (a - p) / p)
        if pairs:
            out.append(f"- (For information) the runtime's reference alone, paired run by run (the plain project "
                       f"referencing KernelBuild.Runtime against the plain one of the same run): median "
                       f"{pct(statistics.median(pairs))} over {len(pairs)} pairs.")
    if kb_noop and kb_touch:
        x = (kb_touch - kb_noop) / kb_noop
        line(f"Touch of the header used by all: {kb_touch:.2f} s vs KernelBuild's no-op {kb_noop:.2f} s: {pct(x)}; "
             f"target < +5%", x < 0.05, pct(x))
    for suffix, shape in (("", "header graph"), ("_light", "--light kernels")):
        kb_full, floor_full = g("kernelbuild" + suffix, "full"), g("floor" + suffix, "full")
        plain_full = g("plain", "full" + suffix)
        if kb_full and floor_full and plain_full is not None:
            x = (kb_full - plain_full) / floor_full
            line(f"Full build ({shape}), KernelBuild's share ({kb_full:.2f} − plain full build {plain_full:.2f} s) vs "
                 f"the raw-NVRTC floor ({floor_full:.2f} s): {x:.2f}×; target ≤ 1.10×", x <= 1.10, f"{x:.2f}×")
            shares = run_by_run(r, [("kernelbuild" + suffix, "full"), ("floor" + suffix, "full"), ("plain", "full" + suffix)],
                                lambda k, f, p: (k - p) / f)
            if shares:
                out.append(f"- (For information) the same, run by run (KernelBuild, the floor and the plain project "
                           f"one after the other): median {statistics.median(shares):.2f}× over {len(shares)} runs "
                           f"({min(shares):.2f}–{max(shares):.2f}×).")
    floor_one = g("floor", "edit_one")
    for system, how in (("kernelbuild", "KernelBuild (Debug: the kernel bundle beside the assembly)"), ("kernelbuild_embedded", "KernelBuild with the kernels embedded")):
        kb_one = g(system, "edit_one")
        if kb_one and floor_one and plain_noop:
            limit = plain_noop + floor_one + 0.3
            text = (f"Edit one header of one kernel: {how} {kb_one:.2f} s vs plain no-op {plain_noop:.2f} s + one "
                    f"NVRTC compile {floor_one:.2f} s + 0.3 s = {limit:.2f} s")
            if n >= 500:
                out.append(f"- {text}: **{'met' if kb_one <= limit else f'missed by {kb_one - limit:.2f} s'}**.")
            else:
                out.append(f"- {text}: {'within' if kb_one <= limit else 'over'} (target applies at N = 500).")
    kb_cs, plain_cs = g("kernelbuild", "edit_cs"), g("plain", "edit_cs")
    if kb_cs and plain_cs:
        out.append(f"- (For information) edit of a C# file, the kernels unchanged: KernelBuild {kb_cs:.2f} s vs the plain "
                   f"project {plain_cs:.2f} s: {pct((kb_cs - plain_cs) / plain_cs)}; most of the difference is the C# "
                   f"compile of the generated launcher classes (docs/launchers.md, which kernels get a launcher).")
        pairs = run_by_run(r, [("kernelbuild", "edit_cs"), ("plain", "edit_cs")], lambda k, p: k - p)
        if pairs:
            out.append(f"- (For information) the same, paired run by run: median {statistics.median(pairs):+.2f} s over "
                       f"{len(pairs)} pairs.")
    kbe_noop = g("kernelbuild_embedded", "noop")
    if kbe_noop and plain_noop:
        out.append(f"- (For information) no-op with the kernels embedded: {kbe_noop:.2f} s, {pct((kbe_noop - plain_noop) / plain_noop)} "
                   f"over the plain project.")
    return out


def report(args, info, all_results, started, finished, load_start, load_end):
    lines = [f"### Results: {started:%Y-%m-%d %H:%M}{' (development run)' if args.dev_note else ''}", ""]
    lines.append("| machine | |")
    lines.append("| --- | --- |")
    for k, v in info.items():
        lines.append(f"| {k} | {v} |")
    lines.append(f"| load average (1 min) at start / end | {load_start} / {load_end} |")
    lines.append(f"| `dotnet build` | `--no-restore -nodeReuse:false -v:n`, C# compiler server "
                 f"(`UseSharedCompilation`) {args.compiler_server} |")
    lines.append(f"| run | {args.reps_cheap} runs of cheap scenarios, {args.reps_full} of full builds; "
                 f"{args.jobs} parallel jobs; generator: {args.groups} groups, depth {args.depth}, width {args.width}; "
                 f"took {(finished - started).total_seconds() / 60:.1f} min |")
    lines.append("")
    lines.append("Times: median seconds (min–max) of wall-clock time. Kernels: compiled per run (KernelBuild: "
                 "`Compiling CUDA kernel` lines at `-v:n`; nvcc + ninja: edges run; floor: files given). "
                 "Memory: MB, largest single process (GNU time max RSS) / peak sum over the whole process tree "
                 "(sampled every %.2f s; for `dotnet build` it includes %s)." % (
                     args.sample_interval, ", ".join(args.extra_processes) or "nothing outside the tree"))
    lines.append("")
    for n, (r, manifest) in all_results.items():
        lines.append(f"#### N = {n} kernels ({manifest['headers']} headers; the tenth-header is used by "
                     f"{len(manifest['tenth']['kernels'])} of them)")
        lines.append("")
        lines.append("| scenario | KernelBuild s | kernels | nvcc + ninja s | kernels | raw NVRTC floor s | kernels | "
                     "memory MB: KernelBuild | nvcc + ninja | floor |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for scenario, title, _ in SCENARIOS:
            row = [title]
            mems = []
            for s in SYSTEMS:
                ms = r.get((s, scenario))
                if (s == "floor" and scenario in ("noop", "touch", "option")) or (s != "kernelbuild" and scenario in NO_CUDA_WORK):
                    row += ["n/a", ""]
                    mems.append("n/a")
                    continue
                if ms is None:
                    row += ["—", ""]
                    mems.append("—")
                    continue
                want = {"kernelbuild": KernelBuild, "ninja": Ninja, "floor": Floor}[s](args, "", manifest).expected(scenario)
                row += [cell_time(ms), cell_count(ms, want, s == "kernelbuild")]
                mems.append(cell_mem(ms))
            lines.append("| " + " | ".join(row + mems) + " |")
        for scenario, title in (("full", "full build from clean"), ("noop", "no-op build"), ("edit_cs", "edit of a C# file")):
            plain = r.get(("plain", scenario))
            if plain:
                lines.append(f"| {title} of the same project without kernels and without KernelBuild (plain "
                             f"`dotnet build`) | {cell_time(plain)} | | | | | | {cell_mem(plain)} | | |")
        for scenario, title, _ in SCENARIOS:
            kbe = r.get(("kernelbuild_embedded", scenario))
            if kbe:
                want = KernelBuild(args, "", manifest).expected(scenario)
                lines.append(f"| {title}, KernelBuild with `EmbedCudaKernels=true` (embedded) | {cell_time(kbe)} | "
                             f"{cell_count(kbe, want, True)} | | | | | {cell_mem(kbe)} | | |")
        pr = r.get(("plain_runtime", "noop"))
        if pr:
            lines.append(f"| no-op build of the plain project referencing KernelBuild.Runtime (what a project that launches "
                         f"kernels references), still without kernels and KernelBuild | {cell_time(pr)} | | | | | | {cell_mem(pr)} | | |")
        pf = r.get(("plain_files", "noop"))
        if pf:
            lines.append(f"| no-op build of the plain project with the kernels' and headers' files in its folder (None "
                         f"items), still without KernelBuild | {cell_time(pf)} | | | | | | {cell_mem(pf)} | | |")
        for title, system in (("full build from clean, --light kernels", "_light"),):
            kb, fl, pl = r.get(("kernelbuild" + system, "full")), r.get(("floor" + system, "full")), r.get(("plain", "full" + system))
            if kb or fl:
                lines.append(f"| {title} (plain `dotnet build` from clean: {cell_time(pl)} s) | {cell_time(kb)} | "
                             f"{cell_count(kb, n, True) if kb else '—'} | — | | {cell_time(fl)} | {cell_count(fl, n, False) if fl else '—'} | "
                             f"{cell_mem(kb)} | — | {cell_mem(fl)} |")
        lines.append("")
        load = manifest.get("load")
        if load:
            lines.append(f"Load average (1 min) at the start / end of N = {n}: {load[0]} / {load[1]}.")
            lines.append("")
        lines.append("Against the targets:")
        lines.append("")
        lines += ratios(n, r, manifest) or ["- (not enough systems measured)"]
        lines.append("")
        lines.append("Against the overhead targets (no-op and small builds):")
        lines.append("")
        lines += overhead_targets(n, r) or ["- (not enough systems measured)"]
        lines.append("")
    lines.append("The floor runs only what a perfect build system would run: all kernels for a full build, exactly the "
                 "affected kernels for an edit; for no-op, touch and option changes it has no meaning (n/a).")
    return "\n".join(lines) + "\n"


REPORT_ARGS = ("dev_note", "reps_cheap", "reps_full", "jobs", "groups", "depth", "width", "sample_interval",
               "extra_processes", "compiler_server")


def save_raw(path, args, info, all_results, started, finished, load_start, load_end):
    """Every measurement, so that the report can be written again (--from-json) without measuring again."""
    raw = {
        "run": {key: getattr(args, key) for key in REPORT_ARGS},
        "machine": info, "started": started.isoformat(), "finished": finished.isoformat(),
        "load_start": load_start, "load_end": load_end,
        "sizes": {str(n): {"manifest": manifest,
                           "results": {"/".join(key): [m.to_dict() for m in ms] for key, ms in results.items()}}
                  for n, (results, manifest) in all_results.items()},
    }
    with open(path, "w") as f:
        json.dump(raw, f, indent=1)


def update_docs(path, text):
    begin, end = "<!-- bench-results:begin -->", "<!-- bench-results:end -->"
    with open(path) as f:
        doc = f.read()
    if begin not in doc or end not in doc:
        log(f"{path} has no {begin} … {end} markers; not updated.")
        return
    head, rest = doc.split(begin, 1)
    _, foot = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + begin + "\n" + text + end + foot)
    log(f"updated {path}")


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,500", help="kernel counts, comma-separated (default 10,100,500)")
    ap.add_argument("--quick", action="store_true", help="development: N=10, 3 cheap runs, 1 full run")
    ap.add_argument("--reps-cheap", type=int, default=5, help="runs of no-op/touch/small edits (default 5)")
    ap.add_argument("--reps-full", type=int, default=3, help="runs of scenarios that compile everything (default 3)")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="subset of kernelbuild,ninja,floor")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="parallel compiles (default: cores)")
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--width", type=int, default=2)
    ap.add_argument("--light", action=argparse.BooleanOptionalAction, default=True,
                    help="also time the full build of light kernels (genproject --light), KernelBuild vs the floor "
                         "(default on; --no-light skips it)")
    ap.add_argument("--embedded", action=argparse.BooleanOptionalAction, default=True,
                    help="with kernelbuild, also time a copy of its project with EmbedCudaKernels=true (the kernels "
                         "embedded, as Release builds do) in the no-op, touch and edit-one scenarios (default on; "
                         "--no-embedded skips it)")
    ap.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "kernelbuild-bench"))
    ap.add_argument("--out", default=None, help="results file (default bench/results/<date>-<time>.md)")
    ap.add_argument("--update-docs", action="store_true", help="replace the results section of docs/benchmarks.md")
    ap.add_argument("--dev-note", action="store_true", help="label the results as a development run")
    ap.add_argument("--sample-interval", type=float, default=0.1, help="process-tree memory sampling period; 0 = off")
    ap.add_argument("--compiler-server", choices=["on", "off"], default="on",
                    help="UseSharedCompilation for the dotnet builds (default on, the SDK's default)")
    ap.add_argument("--extra-processes", default="VBCSCompiler",
                    help="process names (comma-separated) whose memory counts in a dotnet build's tree even when "
                         "they are not its descendants (default VBCSCompiler, the C# compiler server)")
    ap.add_argument("--from-json", default=None, metavar="RAW",
                    help="measure nothing: write the report again from a run's raw .json (saved beside its results)")
    ap.add_argument("--tasks-dll", default=None)
    ap.add_argument("--nvcc", default="nvcc")
    ap.add_argument("--host-compiler", default="g++-11")
    ap.add_argument("--ninja", default="ninja")
    ap.add_argument("--tfm", default=None, help="target framework of the generated projects (default: the SDK's)")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.reps_cheap, args.reps_full = "10", 3, 1
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    args.extra_processes = tuple(p.strip()[:15] for p in args.extra_processes.split(",") if p.strip())
    args.workdir = os.path.abspath(args.workdir)
    os.makedirs(args.workdir, exist_ok=True)
    if not args.tfm and not args.from_json:
        sdk = run_quiet(["dotnet", "--version"], cwd=args.workdir).strip().splitlines()[-1]
        args.tfm = f"net{sdk.split('.')[0]}.0"

    if args.from_json:
        with open(args.from_json) as f:
            raw = json.load(f)
        for key in REPORT_ARGS:
            if key != "dev_note" or not args.dev_note:
                setattr(args, key, raw["run"][key])
        args.extra_processes = tuple(args.extra_processes)
        info, all_results = raw["machine"], {}
        for n, entry in raw["sizes"].items():
            results = {}
            for key, runs in entry["results"].items():
                results[tuple(key.split("/"))] = [Measurement.from_dict(d) for d in runs]
            all_results[int(n)] = (results, entry["manifest"])
        started = datetime.datetime.fromisoformat(raw["started"])
        finished = datetime.datetime.fromisoformat(raw["finished"])
        load_start, load_end = raw["load_start"], raw["load_end"]
        out = args.out or os.path.splitext(args.from_json)[0] + ".md"
    else:
        if not args.tasks_dll:
            ap.error("--tasks-dll is required (bench/run.sh passes it)")
        args.tasks_dll = snapshot_tasks(os.path.abspath(args.tasks_dll), args.workdir)
        args.runtime_dll, args.generator_dll = snapshot_launcher_parts(args.workdir)
        args.floor_bin = os.path.join(args.workdir, "nvrtc_floor")
        run_quiet(["gcc", "-O2", "-pthread", "-o", args.floor_bin, os.path.join(BENCH_DIR, "nvrtc_floor.c"), "-ldl"])

        started, load_start = datetime.datetime.now(), loadavg()
        out = args.out or os.path.join(BENCH_DIR, "results", f"{started:%Y%m%d-%H%M%S}.md")
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        info = machine_info(args)
        for k, v in info.items():
            log(f"{k}: {v}")
        all_results = {}
        for n in args.sizes:
            all_results[n] = run_size(args, n)
            finished, load_end = datetime.datetime.now(), loadavg()
            save_raw(os.path.splitext(out)[0] + ".json", args, info, all_results, started, finished, load_start, load_end)

    text = report(args, info, all_results, started, finished, load_start, load_end)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    print("\n" + text)
    log(f"results written to {out}" + ("" if args.from_json else f" (raw measurements: {os.path.splitext(out)[0]}.json)"))
    if args.update_docs:
        update_docs(os.path.join(REPO, "docs", "benchmarks.md"), text)
    if FAILURES:
        log(f"{len(FAILURES)} FAILURE(S):")
        for f_ in FAILURES:
            log("  FAIL: " + f_.splitlines()[0])
        sys.exit(1)


if __name__ == "__main__":
    main()
