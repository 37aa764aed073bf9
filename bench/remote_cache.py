#!/usr/bin/env python3
"""Benchmark of the remote cache (docs/remote-cache.md): "cold machine, warm remote cache" next to a full local build.

For each N, on one generated project (bench/genproject.py) and a real Bazel HTTP cache (nginx WebDAV on loopback,
empty at the start):
  full local       clone A, nothing built, no remote cache: every kernel compiled by NVRTC
  full + upload    clone A again from clean, CudaRemoteCacheUrl set: compiles everything and uploads it
  cold, warm cache clone B, a copy of the sources in another folder with nothing built (a fresh CI agent):
                   every kernel restored from the cache
Times are wall clock of the whole `dotnet build --no-restore`; bytes are the ones the build's summary line reports.

  python3 bench/remote_cache.py --tasks-dll src/Tasks/bin/Release/netstandard2.0/KernelBuild.Tasks.dll --sizes 100,500
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import genproject  # noqa: E402

SUMMARY = re.compile(r"Remote cache \S+: (\d+) hit\(s\), (\d+) miss\(es\), (\d+) upload\(s\)[^;]*; ([0-9.]+ [KM]?B) down, ([0-9.]+ [KM]?B) up, in ([0-9.]+) s\.")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(root):
    """nginx as the tests run it (tests/.../NginxCacheServer.cs): one process, everything under root."""
    port = free_port()
    for d in ("store", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off; master_process off; worker_processes 1; pid {root}/nginx.pid; error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {root}/tmp/body; proxy_temp_path {root}/tmp/proxy;
  fastcgi_temp_path {root}/tmp/fastcgi; uwsgi_temp_path {root}/tmp/uwsgi; scgi_temp_path {root}/tmp/scgi;
  client_max_body_size 0;
  server {{ listen 127.0.0.1:{port}; root {root}/store; location / {{ dav_methods PUT; create_full_put_path on; }} }} }}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-p", root, "-c", conf, "-e", os.path.join(root, "error.log")])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("nginx did not start; see " + os.path.join(root, "error.log"))


def write_project(folder, tasks_dll, tfm):
    for name in ("Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"):
        with open(os.path.join(folder, name), "w") as f:
            f.write("<Project />\n")
    with open(os.path.join(folder, "Bench.cs"), "w") as f:
        f.write("namespace Bench { public static class Marker { public const int Value = 1; } }\n")
    with open(os.path.join(folder, "Bench.csproj"), "w") as f:
        f.write(f"""<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="{os.path.join(REPO, 'targets', 'KernelBuild.props')}" />
  <PropertyGroup>
    <TargetFramework>{tfm}</TargetFramework>
    <KernelBuildTasksAssembly>{tasks_dll}</KernelBuildTasksAssembly>
    <CudaArchitectures>compute_80</CudaArchitectures>
    <CudaIncludeDirectories>include</CudaIncludeDirectories>
    <CudaDefineConstants>BENCH_OPT=1</CudaDefineConstants>
  </PropertyGroup>
  <Import Project="{os.path.join(REPO, 'targets', 'KernelBuild.targets')}" />
</Project>
""")


def env():
    e = dict(os.environ)
    e.update(DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1", MSBUILDDISABLENODEREUSE="1",
             MSBUILDTERMINALLOGGER="off", DOTNET_CLI_USE_MSBUILD_SERVER="0")
    return e


def build(folder, url, log):
    cmd = ["dotnet", "build", "--no-restore", "-nodeReuse:false", "-v:n", "-clp:PerformanceSummary", "Bench.csproj", "-p:CudaRemoteCacheUrl=" + url]
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=folder, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    out = p.stdout.decode(errors="replace")
    with open(log, "w") as f:
        f.write(out)  # the whole build's log, with MSBuild's time per target and task
    if p.returncode != 0:
        raise SystemExit(f"build failed in {folder}:\n" + out[-4000:])
    compiled = len(re.findall(r"Compiling CUDA kernel \S+ \(", out))
    m = SUMMARY.search(out)
    return {"wall": wall, "tasks": task_seconds(out, "CheckCudaKernels") + task_seconds(out, "CompileCudaKernels"),
            "csc": task_seconds(out, "Csc"), "compiled": compiled, "hits": int(m.group(1)) if m else 0, "uploads": int(m.group(3)) if m else 0,
            "down": m.group(4) if m else "-", "up": m.group(5) if m else "-", "cache_s": m.group(6) + " s" if m else "-", "warning": "KB6001" in out}


def task_seconds(output, task):
    """The task's time from MSBuild's performance summary (-clp:PerformanceSummary)."""
    m = re.search(r"^\s*(\d+) ms\s+" + task + r"\s+\d+ calls", output.split("Task Performance Summary")[-1], re.M)
    return int(m.group(1)) / 1000 if m else 0.0


def clean(folder):
    shutil.rmtree(os.path.join(folder, "bin"), ignore_errors=True)
    obj = os.path.join(folder, "obj")
    for entry in os.listdir(obj) if os.path.isdir(obj) else []:
        if os.path.isdir(os.path.join(obj, entry)):
            shutil.rmtree(os.path.join(obj, entry))  # keeps the restore outputs


def store_size(root):
    total = 0
    for d, _, files in os.walk(os.path.join(root, "store")):
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total


def run_size(args, n, workdir):
    base = os.path.join(workdir, f"remote-{n}")
    shutil.rmtree(base, ignore_errors=True)
    a, b = os.path.join(base, "clone-a"), os.path.join(base, "elsewhere", "clone-b")
    genproject.generate(a, n)
    write_project(a, args.tasks_dll, args.tfm)
    subprocess.run(["dotnet", "restore", "Bench.csproj", "-nodeReuse:false", "-v:q"], cwd=a, env=env(), check=True, stdout=subprocess.DEVNULL)
    server, url = start_nginx(os.path.join(base, "server"))
    try:
        rows = {}
        rows["full local"] = build(a, "", os.path.join(base, "full-local.log"))
        clean(a)
        rows["full + upload"] = build(a, url, os.path.join(base, "full-upload.log"))
        stored = store_size(os.path.join(base, "server"))
        shutil.copytree(a, b, ignore=shutil.ignore_patterns("bin", "obj"))
        subprocess.run(["dotnet", "restore", "Bench.csproj", "-nodeReuse:false", "-v:q"], cwd=b, env=env(), check=True, stdout=subprocess.DEVNULL)
        rows["cold, warm cache"] = build(b, url, os.path.join(base, "cold-warm-cache.log"))
        return rows, stored
    finally:
        server.kill()
        server.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks-dll", required=True)
    p.add_argument("--sizes", default="100,500")
    p.add_argument("--tfm", default="net10.0")
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "kernelbuild-bench"))
    args = p.parse_args()
    args.tasks_dll = os.path.abspath(args.tasks_dll)
    load = os.getloadavg()[0]
    print(f"load average at start: {load:.1f} on {os.cpu_count()} cores")
    print("| N | scenario | wall | KernelBuild tasks | C# compile | NVRTC compiles | hits | uploads | down | up | in the cache |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        rows, stored = run_size(args, n, args.workdir)
        for name, r in rows.items():
            print(f"| {n} | {name} | {r['wall']:.1f} s | {r['tasks']:.1f} s | {r['csc']:.1f} s | {r['compiled']} | {r['hits']} | {r['uploads']} | {r['down']} | {r['up']} | {r['cache_s']} |"
                  + (" (KB6001)" if r["warning"] else ""), flush=True)
        print(f"| {n} | (cache size after upload) | | | | | | | {stored / 1024:.0f} KB on disk | | |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
