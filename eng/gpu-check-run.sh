#!/usr/bin/env bash
# The GPU machine's half of eng/gpu-check.sh, which copies it to FOLDER/run.sh: runs every check, writes the logs and
# .trx files to RESULTS (default FOLDER/results), and exits 0 only when all passed. Needs the NVIDIA driver. Runs the
# apps with `dotnet` from PATH if it has .NET 10, else (or with KERNELBUILD_GPU_CHECK_PACKED_RUNTIME=1) with the
# runtime packed beside this script.
#   FOLDER/run.sh [RESULTS]
set -u
cd "$(dirname "$0")"
folder=$PWD
results=$(realpath -m "${1:-$folder/results}")
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PATH=$PATH:/usr/local/cuda/bin

if [ "${KERNELBUILD_GPU_CHECK_PACKED_RUNTIME:-}" != 1 ] && command -v dotnet > /dev/null &&
   dotnet --list-runtimes 2> /dev/null | grep -q '^Microsoft.NETCore.App 10\.'; then
  dotnet=dotnet
else
  if [ ! -x "$folder/dotnet/dotnet" ]; then
    mkdir -p "$folder/dotnet" && tar -C "$folder/dotnet" -xJf "$folder/dotnet-runtime.tar.xz"
  fi
  export DOTNET_ROOT=$folder/dotnet
  dotnet=$folder/dotnet/dotnet
fi

if [ ! -d "$folder/apps" ]; then
  mkdir -p "$folder/apps" && tar -C "$folder/apps" -xJf "$folder/apps.tar.xz"
fi

failed=()
# check NAME LOG COMMAND...: runs COMMAND with its output in RESULTS/LOG (and here), and records a failure.
check() {
  local name=$1 log=$results/$2
  shift 2
  echo "=== $name"
  if "$@" > "$log" 2>&1; then echo "--- passed: $name"; else echo "--- FAILED: $name (see $log)"; failed+=("$name"); fi
  grep -E 'total:|succeeded:|skipped:|failed:|ERROR SUMMARY|Running on|Ran on|added' "$log" | sed 's/^/    /'
}
tests() { # tests NAME-OF-TRX DLL [ARGUMENTS...]: a test app, with its .trx report
  local trx=$1 dll=$2
  shift 2
  "$dotnet" "$dll" --no-progress --output detailed --report-trx --report-trx-filename "$trx" --results-directory "$results" "$@"
}
# expect PATTERN COMMAND...: COMMAND succeeds and prints a line that matches PATTERN (its output is shown too).
expect() {
  local pattern=$1 output status
  shift
  output=$("$@" 2>&1)
  status=$?
  printf '%s\n' "$output"
  [ $status -eq 0 ] && grep -qE "$pattern" <<< "$output"
}
# Every runtime test passes and none is skipped: on a GPU machine the GPU tests must really run.
gpu_tests() {
  expect 'skipped: 0$' tests runtime.trx apps/runtime-tests/KernelBuild.Runtime.Tests.dll
}

{
  date -u
  nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv || echo "nvidia-smi not found"
  echo "dotnet: $dotnet ($("$dotnet" --list-runtimes 2>/dev/null | grep NETCore.App | tail -1))"
  ldconfig -p | grep -E 'libcuda\.so|libnvrtc\.so' || true
} 2>&1 | tee "$results/environment.txt"

check "runtime tests (GPU tests included)" runtime-tests.log gpu_tests
# The sample launches its kernel on a million elements and checks that each went up by step().
check "Increment sample, step() = 1" increment-1.log \
  expect '^increment added 1 to each of' timeout 120 "$dotnet" apps/increment-1/Increment.dll
check "Increment sample rebuilt after step.cuh changed to 7" increment-7.log \
  expect '^increment added 7 to each of' timeout 120 "$dotnet" apps/increment-7/Increment.dll
check "PackageReference sample" package-sample.log expect '^Ran on ' timeout 120 "$dotnet" apps/package-sample/PackageReference.dll
if command -v compute-sanitizer > /dev/null; then
  check "GPU tests under compute-sanitizer memcheck" sanitizer.log compute-sanitizer --tool memcheck --report-api-errors no \
    --error-exitcode 3 "$dotnet" apps/runtime-tests/KernelBuild.Runtime.Tests.dll --no-progress --filter 'FullyQualifiedName~KernelBuild.Runtime.Tests.Gpu'
else
  echo "=== compute-sanitizer not found: memcheck skipped"
fi
check "task tests against this machine's NVRTC" tasks-tests.log tests tasks.trx apps/tasks-tests/KernelBuild.Tasks.Tests.dll \
  --filter 'FullyQualifiedName~KernelBuild.Tasks.Tests.Unit|FullyQualifiedName~KernelBuild.Tasks.Tests.Output|FullyQualifiedName~KernelBuild.Tasks.Tests.Dependencies'

if [ ${#failed[@]} -eq 0 ]; then echo "All GPU checks passed. Results: $results"; exit 0; fi
printf 'FAILED: %s\n' "${failed[@]}"
exit 1
