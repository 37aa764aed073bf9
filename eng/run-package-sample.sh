#!/usr/bin/env bash
# Packs KernelBuild and KernelBuild.Runtime from this checkout into artifacts/packages/, then builds and runs
# samples/PackageReference from that feed, as a user's project would consume them. Installs NVRTC first if needed.
# Each run packs a new version (0.1.0-local.<time>) so that NuGet never serves an older pack from its cache; those
# packages are extracted into artifacts/nuget-packages/, not into your global NuGet cache.
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/install-nvrtc.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
for project in src/Runtime/KernelBuild.Runtime.csproj src/Package/KernelBuild.csproj; do
  dotnet pack "$project" -c Release -nodeReuse:false -p:Version="$version" -v:q -clp:NoSummary
done

export NUGET_PACKAGES="$PWD/artifacts/nuget-packages"
dotnet build samples/PackageReference -nodeReuse:false -p:KernelBuildVersion="$version" -v:q -clp:NoSummary
dotnet run --project samples/PackageReference --no-build "$@"
