#!/usr/bin/env python3
"""What the typed launchers cost a full build: the same generated project built from clean with
CudaGenerateLaunchers on and off, interleaved (on, off, on, off, ...), so that the machine's load hits both alike.
Reports the medians of the wall time, of KernelBuild's compile step ("Compiled N CUDA kernel(s) in ... s") and
of the CPU time of the build's process tree (the compile workers included), and their ratios.

    bench/run.sh builds the task assembly; this script reuses its copy, or builds one:
    python3 bench/launcher_cost.py [--kernels 100] [--reps 3] [--light] [--tasks-dll PATH] [--workdir DIR]
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import genproject  # noqa: E402


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(system, launchers, logs, rep):
    system.clean()
    cmd = system.command("full") + [f"-p:CudaGenerateLaunchers={launchers}"]
    before = children_cpu()
    m = bench.measure(cmd, system.root, bench.dotnet_env(system.args), system.args,
                      os.path.join(logs, f"{launchers}-{rep}.log"))
    cpu = children_cpu() - before
    if m.rc != 0:
        bench.fail(f"build with launchers {launchers} failed:\n{bench.tail(m.output)}")
    phase = re.search(r"Compiled (\d+) CUDA kernel\(s\) in ([0-9.]+) s", m.output)
    return m.wall, float(phase.group(2)) if phase else float("nan"), cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernels", type=int, default=100)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--light", action="store_true", help="light kernels (genproject --light)")
    ap.add_argument("--tasks-dll", default=None, help="default: build src/Tasks in Release")
    ap.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "kernelbuild-launcher-cost"))
    args = ap.parse_args()
    sdk = bench.run_quiet(["dotnet", "--version"]).strip().splitlines()[-1]
    args.tfm = f"net{sdk.split('.')[0]}.0"
    args.compiler_server, args.sample_interval, args.extra_processes = "on", 0, ()
    os.makedirs(args.workdir, exist_ok=True)
    if args.tasks_dll is None:
        bench.run_quiet(["dotnet", "build", os.path.join(bench.REPO, "src", "Tasks"), "-c", "Release", "-nodeReuse:false", "-v:q"])
        args.tasks_dll = os.path.join(bench.REPO, "src", "Tasks", "bin", "Release", "netstandard2.0", "KernelBuild.Tasks.dll")
    args.tasks_dll = bench.snapshot_tasks(os.path.abspath(args.tasks_dll), args.workdir)
    args.runtime_dll, args.generator_dll = bench.snapshot_launcher_parts(args.workdir)

    root = os.path.join(args.workdir, "project")
    logs = os.path.join(args.workdir, "logs")
    os.makedirs(logs, exist_ok=True)
    manifest = genproject.generate(root, args.kernels, light=args.light)
    system = bench.KernelBuild(args, root, manifest)
    system.setup()
    load = [bench.loadavg()]
    runs = {"true": [], "false": []}
    for rep in range(args.reps):
        for launchers in ("true", "false"):
            runs[launchers].append(build(system, launchers, logs, rep))
            wall, phase, cpu = runs[launchers][-1]
            print(f"run {rep + 1}/{args.reps} launchers {launchers:5}: wall {wall:6.2f} s  compile step {phase:6.2f} s  CPU {cpu:7.2f} s", flush=True)
    load.append(bench.loadavg())

    print(f"\nN = {args.kernels}{' (light)' if args.light else ''}, {args.reps} runs each, load average {load[0]} -> {load[1]}")
    print("| | launchers on | launchers off | on / off |\n| --- | ---: | ---: | ---: |")
    for i, what in enumerate(("full build, wall clock (s)", "compile step (s)", "CPU time of the build's processes (s)")):
        on, off = (statistics.median(r[i] for r in runs[k]) for k in ("true", "false"))
        print(f"| {what} | {on:.2f} | {off:.2f} | {on / off:.2f}× |")


if __name__ == "__main__":
    main()
