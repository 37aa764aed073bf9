#!/usr/bin/env bash
# Runs every test of the repository: unit tests, integration tests that drive the real `dotnet build`,
# and the runtime's tests (GPU tests report Inconclusive on a machine without a GPU).
# Installs what the tests need first (NVRTC, strace, gcc, make, ninja; nginx for the remote cache tests; Mono for the .NET Framework flavour).
#
#   eng/test.sh          the default suite: everything but the tests tagged Long
#   eng/test.sh --long   only the long fault suite (many kill -9 / racing-edit / overlap iterations;
#                        docs/reliability.md). Other arguments go to `dotnet test`; a --filter replaces ours.
set -euo pipefail
cd "$(dirname "$0")/.."

filter="TestCategory!=Long"
if [[ "${1:-}" == "--long" ]]; then
  filter="TestCategory=Long"
  shift
fi
for argument in "$@"; do
  if [[ "$argument" == "--filter" ]]; then filter=""; fi
done
filter_arguments=()
if [[ -n "$filter" ]]; then filter_arguments=(--filter "$filter"); fi

bash eng/install-nvrtc.sh
bash eng/install-mono.sh
bash eng/install-nginx.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
log=$(mktemp)
status=0
dotnet test KernelBuild.sln -nodeReuse:false "${filter_arguments[@]}" "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line over all test assemblies: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { gsub(",", "", $(i+1)); failed  += $(i+1) }
      if ($i == "Passed:")  { gsub(",", "", $(i+1)); passed  += $(i+1) }
      if ($i == "Skipped:") { gsub(",", "", $(i+1)); skipped += $(i+1) }
    }
    runs++
  }
  END {
    if (runs == 0) { print "no test results found"; exit 1 }
    printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
  }' "$log" || status=1
rm -f "$log"
exit $status
