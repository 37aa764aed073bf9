#!/usr/bin/env python3
"""What a no-op build is made of: no-op `dotnet build`s of several projects, interleaved (a, b, c, a, b, c, ...) so
that the machine's load hits them alike, each with MSBuild's performance summary. Prints, per project, the medians of
the wall clock, of MSBuild's elapsed time, and of the time of each target and task that KernelBuild adds or that
differs between the projects by more than a millisecond.

The projects must have been built once (this script times no-ops only). bench/run.sh leaves such projects in its
work folder (${TMPDIR:-/tmp}/kernelbuild-bench): at N = 500, n500/kernelbuild, n500/kernelbuild_embedded and
n500/plain-files (a plain project with the kernels' files in its folder), and plain (no kernels at all).

    python3 bench/noop_targets.py [--runs 9] PROJECT_DIR [PROJECT_DIR ...]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

# "       12 ms  CoreCompile                                  1 calls" in the target and task summaries.
SUMMARY_LINE = re.compile(r"^\s+(\d+) ms\s+(\S+)\s+(\d+) calls", re.M)
ELAPSED = re.compile(r"Time Elapsed (\d+):(\d+):(\d+\.\d+)")


def summaries(output):
    """{('target'|'task', name): ms} from one build's performance summary."""
    found = {}
    section = None
    for line in output.splitlines():
        if "Target Performance Summary" in line:
            section = "target"
        elif "Task Performance Summary" in line:
            section = "task"
        elif section:
            m = SUMMARY_LINE.match(line)
            if m:
                found[(section, m.group(2))] = int(m.group(1))
    return found


def noop(project, env):
    csproj = next(f for f in sorted(os.listdir(project)) if f.endswith(".csproj"))
    cmd = ["dotnet", "build", "--no-restore", "-nodeReuse:false", "-v:m", "-clp:PerformanceSummary", csproj]
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    output = p.stdout.decode(errors="replace")
    if p.returncode != 0:
        sys.exit(f"no-op build of {project} failed:\n{bench.tail(output)}")
    m = ELAPSED.search(output)
    elapsed = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else float("nan")
    return wall, elapsed, summaries(output)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("projects", nargs="+")
    args = ap.parse_args()
    args.compiler_server = "on"
    env = bench.dotnet_env(args)
    projects = [os.path.abspath(p) for p in args.projects]
    names = [os.path.relpath(p, os.path.commonpath(projects)) if len(projects) > 1 else os.path.basename(p) for p in projects]
    for project in projects:  # warm the disk cache and the compiler server
        noop(project, env)
    load = [bench.loadavg()]
    runs = {p: [] for p in projects}
    for rep in range(args.runs):
        for project, name in zip(projects, names):
            runs[project].append(noop(project, env))
            print(f"run {rep + 1}/{args.runs} {name}: {runs[project][-1][0]:.3f} s", flush=True)
    load.append(bench.loadavg())

    def median_of(project, key):
        return statistics.median(r[2].get(key, 0) for r in runs[project])

    keys = set()
    for project in projects:
        for r in runs[project]:
            keys.update(r[2])
    shown = []
    for key in sorted(keys, key=lambda k: (k[0], k[1])):
        medians = [median_of(p, key) for p in projects]
        if "Cuda" in key[1] or key[1] in ("CoreCompile", "Csc") or max(medians) - min(medians) > 1:
            shown.append((key, medians))

    print(f"\n{args.runs} interleaved no-op runs each, load average {load[0]} -> {load[1]}; medians")
    print("| | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(projects))
    print("| wall clock (s) | " + " | ".join(f"{statistics.median(r[0] for r in runs[p]):.3f}" for p in projects) + " |")
    print("| MSBuild's elapsed time (s) | " + " | ".join(f"{statistics.median(r[1] for r in runs[p]):.3f}" for p in projects) + " |")
    for (kind, name), medians in shown:
        print(f"| {kind} `{name}` (ms) | " + " | ".join(f"{m:g}" for m in medians) + " |")


if __name__ == "__main__":
    main()
