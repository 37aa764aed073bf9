#!/usr/bin/env bash
# Benchmark: KernelBuild (`dotnet build`) vs `nvcc --ptx` under ninja vs raw NVRTC, on generated projects of
# N kernels sharing a layered header graph. See docs/benchmarks.md.
#
#   bench/run.sh                  N = 10, 100, 500; 5 runs of cheap scenarios, 3 of full builds (1-1.5 h on 2 cores)
#   bench/run.sh --quick          N = 10; 3 and 1 runs (a few minutes): for development
#   bench/run.sh --sizes 10,100   other sizes
#
# Options (the rest go to bench/bench.py; `bench/run.sh --help` lists them all):
#   --no-install        do not install missing tools (nvcc, g++-11, ninja, GNU time, NVRTC)
#   --tasks-dll PATH    use this KernelBuild.Tasks.dll instead of building src/Tasks in Release
#   --update-docs       also replace the results section of docs/benchmarks.md
#   --workdir DIR       where the generated projects go (default ${TMPDIR:-/tmp}/kernelbuild-bench)
#   --from-json RAW     measure nothing: write the report again from a run's saved measurements
# Results: bench/results/<date>-<time>.md (or --out FILE), raw measurements beside it (.json).
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench/.." && pwd)"

install=1
tasks_dll=""
ninja=1
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --systems) case ",$2," in *,ninja,*) ;; *) ninja=0 ;; esac; pass+=("$1") ;;
    --systems=*) case ",${1#*=}," in *,ninja,*) ;; *) ninja=0 ;; esac; pass+=("$1") ;;
    --no-install) install=0 ;;
    --tasks-dll) tasks_dll="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    --tasks-dll=*) v="${1#*=}"; tasks_dll="$(cd "$(dirname "$v")" && pwd)/$(basename "$v")" ;;
    --from-json|--from-json=*) exec python3 "$bench/bench.py" ${pass[@]+"${pass[@]}"} "$@" ;;  # only writes a report again
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; echo; python3 "$bench/bench.py" --help | sed -n '/^options:/,$p'; exit 0 ;;
    *) pass+=("$1") ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 1. Tools. nvcc 11.8 (Debian's nvidia-cuda-toolkit, about 3 GB, in non-free) needs g++-11 as host compiler.
# Without ninja among the --systems, nvcc, g++-11 and ninja are not needed.
missing=()
if [ "$ninja" = 1 ]; then
  command -v nvcc >/dev/null 2>&1 || missing+=(nvidia-cuda-toolkit)
  command -v g++-11 >/dev/null 2>&1 || missing+=(g++-11)
  command -v ninja >/dev/null 2>&1 || missing+=(ninja-build)
fi
[ -x /usr/bin/time ] || missing+=(time)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if [ "$install" = 1 ]; then
  # NVRTC itself, and the non-free component that nvidia-cuda-toolkit also needs.
  bash "$repo/eng/install-nvrtc.sh"
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    echo "bench: installing ${missing[*]} (nvidia-cuda-toolkit is about 3 GB; this takes a while)"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
elif [ ${#missing[@]} -gt 0 ]; then
  echo "bench: missing ${missing[*]}; run without --no-install, or install them" >&2
  exit 1
fi

# 2. The task assembly, built in Release.
if [ -z "$tasks_dll" ]; then
  echo "bench: building src/Tasks in Release"
  dotnet build "$repo/src/Tasks" -c Release -nodeReuse:false -v:q -nologo
  tasks_dll="$repo/src/Tasks/bin/Release/netstandard2.0/KernelBuild.Tasks.dll"
fi
[ -f "$tasks_dll" ] || { echo "bench: $tasks_dll not found" >&2; exit 1; }

# 3. Generate, build, measure, report.
exec python3 "$bench/bench.py" --tasks-dll "$tasks_dll" "${pass[@]+"${pass[@]}"}"
