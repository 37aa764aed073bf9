#!/usr/bin/env bash
# Packs the checks that need a GPU into one folder, for a machine that has an NVIDIA GPU and driver but no .NET SDK
# (a cluster node, a cloud VM). Run it here, where the SDK and NVRTC are; copy the folder there; run its run.sh.
#
#   eng/gpu-check.sh [FOLDER]     builds into FOLDER (default artifacts/gpu-check), about 35 MB
#   FOLDER/run.sh [RESULTS]       on the GPU machine: logs and .trx files go to RESULTS (default FOLDER/results);
#                                 exit status 0 when every check passed
#
# What it holds (docs/runtime.md, "Checking on a GPU"):
#   - the runtime's tests as a test app that runs itself (GPU tests run for real there, none may end Inconclusive);
#   - samples/Increment built twice: as it is, then rebuilt incrementally after step.cuh was changed to return 7;
#   - samples/PackageReference built from packages packed from this checkout;
#   - the task's NVRTC-facing tests (Unit, Output, Dependencies), run against the NVRTC that machine has, if any;
#   - the .NET runtime this SDK runs on, used there when the machine has no `dotnet`.
# The build happens in a scratch copy of the checkout (uncommitted changes included), so your bin/ and obj/ and
# the sample's header are left as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
folder=$(realpath -m "${1:-artifacts/gpu-check}")

bash eng/install-nvrtc.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Tracked and untracked files as they are now; a tracked file deleted in the working tree has nothing to copy.
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$scratch" 2>/dev/null || true
rm -rf "$folder" && mkdir -p "$folder/apps"
apps=$folder/apps

build() { dotnet build "$@" -c Release -nodeReuse:false -v:q -clp:NoSummary; }
cd "$scratch"
build tests/KernelBuild.Runtime.Tests -p:KernelBuildTestApp=true
build tests/KernelBuild.Tasks.Tests -p:KernelBuildTestApp=true
cp -r tests/KernelBuild.Runtime.Tests/bin/Release/net10.0 "$apps/runtime-tests"
cp -r tests/KernelBuild.Tasks.Tests/bin/Release/net10.0 "$apps/tasks-tests"

build samples/Increment
cp -r samples/Increment/bin/Release/net10.0 "$apps/increment-1"
sed -i 's/return 1; }/return 7; }/' samples/Increment/kernels/device/step.cuh
grep -q 'return 7; }' samples/Increment/kernels/device/step.cuh
build samples/Increment
cp -r samples/Increment/bin/Release/net10.0 "$apps/increment-7"

bash eng/run-package-sample.sh > "$scratch/package-sample.log"
cp -r samples/PackageReference/bin/Debug/net10.0 "$apps/package-sample"

# Native assets of other platforms (code coverage's) are a third of the size and never loaded on linux-x64.
find "$apps" -mindepth 3 -maxdepth 3 -path '*/runtimes/*' -type d ! -name linux-x64 -exec rm -rf {} +

tar -C "$apps" -cJf "$folder/apps.tar.xz" . && rm -rf "$apps"
dotnet_root=$(dirname "$(realpath "$(command -v dotnet)")")
runtime_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')
tar -C "$dotnet_root" -cJf "$folder/dotnet-runtime.tar.xz" dotnet host "shared/Microsoft.NETCore.App/$runtime_version"
cp "$repo/eng/gpu-check-run.sh" "$folder/run.sh"
chmod +x "$folder/run.sh"
echo "GPU checks packed in $folder ($(du -sh "$folder" | cut -f1)). On the GPU machine: $folder/run.sh"
