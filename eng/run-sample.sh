#!/usr/bin/env bash
# Builds and runs samples/Increment: the kernel in kernels/increment.cu calls step() from
# kernels/device/step.cuh. Without a GPU it prints what was compiled; with one it runs the kernel.
# Installs NVRTC first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/install-nvrtc.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project samples/Increment "$@"
