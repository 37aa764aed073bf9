#!/usr/bin/env python3
"""Generates a synthetic CUDA project: N kernels sharing a layered header graph.

Layout (under ROOT):
  include/common/common.cuh          included (transitively) by every kernel
  include/gGG/base.cuh               group GG's base: includes common.cuh; used by the kernels of group GG
  include/gGG/lL_hH.cuh              layer L (0 = bottom), header H: layer 0 includes base.cuh, a higher layer
                                     includes headers H and H+1 (mod width) of the layer below
  include/own/kNNNN.cuh              used by kernel NNNN only
  kernels/kNNNN.cu                   kernel NNNN, in group NNNN % groups: includes the top-layer header
                                     (NNNN // groups) % width of its group, and its own header

With --light (light=True) there are no layers: a kernel includes its group's base.cuh and its own header, so
it inlines two small functions and NVRTC spends about 0.05-0.1 s on it (the default graph: 2^depth calls). The
header used by one kernel, by a tenth and by all are the same files in both shapes.

So, with the default 10 groups, include/own/k0000.cuh is used by exactly one kernel, include/g00/base.cuh by
about a tenth of them, and include/common/common.cuh by all. Every header has a line
  #define BENCH_EDIT_<id> <number>
that the benchmark rewrites to make a real code change (the number is used in the header's device function).
common.cuh uses BENCH_OPT (default 1), the macro that the "change one global option" scenario sets.

Usable as a module (generate(), edit_header()) or from the command line:
  python3 bench/genproject.py ROOT --kernels 100 --groups 10 --depth 4 --width 2 [--light]
"""
import argparse
import json
import os
import re

EDIT_LINE = re.compile(rb"^#define (BENCH_EDIT_\w+) (\d+)$", re.M)


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode()
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except FileNotFoundError:
        pass
    with open(path, "wb") as f:
        f.write(data)


def _header(guard_id, includes, function, body):
    lines = [f"#ifndef BENCH_{guard_id.upper()}_CUH", f"#define BENCH_{guard_id.upper()}_CUH"]
    lines += [f'#include "{inc}"' for inc in includes]
    lines.append(f"#define BENCH_EDIT_{guard_id} 0")
    lines.append(f"__device__ inline float {function}(float x)")
    lines.append("{")
    lines.append(f"    return {body} + (float)BENCH_EDIT_{guard_id};")
    lines.append("}")
    lines.append("#endif")
    return "\n".join(lines) + "\n"


def generate(root, kernels, groups=10, depth=4, width=2, light=False):
    """Writes the project under root and returns its manifest (a dict, also written to root/manifest.json)."""
    groups = max(1, min(groups, kernels))
    depth = max(1, depth)
    width = max(1, width)
    inc = os.path.join(root, "include")

    _write(os.path.join(inc, "common", "common.cuh"), "\n".join([
        "#ifndef BENCH_COMMON_CUH",
        "#define BENCH_COMMON_CUH",
        "#ifndef BENCH_OPT",
        "#define BENCH_OPT 1",
        "#endif",
        "#define BENCH_EDIT_common 0",
        "__device__ inline float common_fn(float x)",
        "{",
        "    return x * (float)BENCH_OPT + (float)BENCH_EDIT_common;",
        "}",
        "#endif",
    ]) + "\n")

    users = {"include/common/common.cuh": []}
    for g in range(groups):
        gid = f"g{g:02d}"
        _write(os.path.join(inc, gid, "base.cuh"),
               _header(f"{gid}_base", ["common/common.cuh"], f"{gid}_base", "common_fn(x) * 0.5f"))
        users[f"include/{gid}/base.cuh"] = []
        for layer in range(0 if light else depth):
            for h in range(width):
                name = f"{gid}_l{layer}_h{h}"
                if layer == 0:
                    includes = [f"{gid}/base.cuh"]
                    body = f"{gid}_base(x + {h + 1}.0f)"
                else:
                    below = sorted({h, (h + 1) % width})
                    includes = [f"{gid}/l{layer - 1}_h{b}.cuh" for b in below]
                    body = " + ".join(f"{gid}_l{layer - 1}_h{b}(x * {i + 2}.0f)" for i, b in enumerate(below))
                _write(os.path.join(inc, gid, f"l{layer}_h{h}.cuh"), _header(name, includes, name, body))

    kernel_files = []
    for k in range(kernels):
        kid = f"k{k:04d}"
        g = k % groups
        gid = f"g{g:02d}"
        top = (k // groups) % width
        _write(os.path.join(inc, "own", f"{kid}.cuh"),
               _header(f"own_{kid}", [], f"own_{kid}", f"x * {k % 7 + 1}.0f"))
        rel = f"kernels/{kid}.cu"
        # The light shape includes the group's base directly; the default, a top-layer header of the group.
        top_header, top_fn = (f"{gid}/base.cuh", f"{gid}_base") if light else (f"{gid}/l{depth - 1}_h{top}.cuh", f"{gid}_l{depth - 1}_h{top}")
        _write(os.path.join(root, rel), "\n".join([
            f'#include "{top_header}"',
            f'#include "own/{kid}.cuh"',
            "",
            f'extern "C" __global__ void {kid}(float* out, const float* in, int n)',
            "{",
            "    int i = blockIdx.x * blockDim.x + threadIdx.x;",
            "    if (i < n)",
            "    {",
            f"        out[i] = {top_fn}(in[i]) + own_{kid}(in[i]);",
            "    }",
            "}",
        ]) + "\n")
        kernel_files.append(rel)
        users["include/common/common.cuh"].append(rel)
        users[f"include/{gid}/base.cuh"].append(rel)
        users[f"include/own/{kid}.cuh"] = [rel]

    manifest = {
        "kernels": kernel_files,
        "groups": groups,
        "depth": depth,
        "width": width,
        "light": light,
        "headers": len(users) + (0 if light else groups * depth * width),
        # The headers the scenarios edit, and the kernels that use each.
        "one": {"header": "include/own/k0000.cuh", "kernels": users["include/own/k0000.cuh"]},
        "tenth": {"header": "include/g00/base.cuh", "kernels": users["include/g00/base.cuh"]},
        "all": {"header": "include/common/common.cuh", "kernels": users["include/common/common.cuh"]},
    }
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def edit_header(path):
    """Changes the code of a generated header (its BENCH_EDIT number goes up by one); returns the new number."""
    with open(path, "rb") as f:
        data = f.read()
    m = EDIT_LINE.search(data)
    if not m:
        raise ValueError(f"{path}: no BENCH_EDIT line")
    value = int(m.group(2)) + 1
    data = data[:m.start()] + b"#define " + m.group(1) + b" " + str(value).encode() + data[m.end():]
    with open(path, "wb") as f:
        f.write(data)
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root")
    ap.add_argument("--kernels", type=int, default=100)
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--width", type=int, default=2)
    ap.add_argument("--light", action="store_true", help="no header layers: about 0.05-0.1 s of NVRTC per kernel")
    a = ap.parse_args()
    m = generate(a.root, a.kernels, a.groups, a.depth, a.width, a.light)
    print(f"{len(m['kernels'])} kernels, {m['headers']} headers; one: {m['one']['header']} "
          f"({len(m['one']['kernels'])}), tenth: {m['tenth']['header']} ({len(m['tenth']['kernels'])}), "
          f"all: {m['all']['header']} ({len(m['all']['kernels'])})")


if __name__ == "__main__":
    main()
