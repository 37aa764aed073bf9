#!/usr/bin/env bash
# Installs what KernelBuild's build and tests need on Debian/Ubuntu:
#   - NVRTC (Debian's non-free component: libnvrtc11.2 + libnvrtc-builtins11.8), no GPU or driver needed;
#   - for the tests: strace and gcc (the dependency oracle), make and ninja (the .d files must parse in both),
#     and the Thrust, CUB and libcu++ headers (real header trees for the scanner's precision; best effort).
# Safe to run repeatedly; does nothing when everything is already there.
set -euo pipefail

have_nvrtc() {
  ldconfig -p 2>/dev/null | grep -qE 'libnvrtc\.so\.(11\.2|12|13)' \
    || ls /usr/lib/x86_64-linux-gnu/libnvrtc.so.* >/dev/null 2>&1 \
    || ls /usr/local/cuda*/lib64/libnvrtc.so.* >/dev/null 2>&1
}

tools="strace gcc make ninja"
missing_tool() {
  for t in $tools; do command -v "$t" >/dev/null 2>&1 || return 0; done
  return 1
}

have_cccl() { [ -e /usr/include/thrust/version.h ] && [ -e /usr/include/cub/cub.cuh ] && [ -e /usr/include/cuda/std/atomic ]; }

if have_nvrtc && ! missing_tool && have_cccl; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

. /etc/os-release
case "${ID:-}" in
  debian)
    # NVRTC lives in Debian's non-free component; the stock sources list only main.
    list=/etc/apt/sources.list.d/kernelbuild-nonfree.sources
    if [ ! -f "$list" ]; then
      $SUDO tee "$list" >/dev/null <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: ${VERSION_CODENAME}
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    fi
    ;;
  ubuntu)
    # Ubuntu ships NVRTC in multiverse.
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q software-properties-common >/dev/null
    $SUDO add-apt-repository -y multiverse >/dev/null
    ;;
  *)
    echo "install-nvrtc: unsupported distribution '${ID:-unknown}'. Install NVRTC (the CUDA toolkit) and strace yourself." >&2
    exit 1
    ;;
esac

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# The package names carry NVRTC's version (libnvrtc11.2 with libnvrtc-builtins11.8 on Debian 12): take what the
# distribution has rather than hard-coding one release.
nvrtc=$(apt-cache search --names-only '^libnvrtc[0-9.]+$' | awk '{print $1}' | sort -V | tail -n 1)
builtins=$(apt-cache search --names-only '^libnvrtc-builtins[0-9.]+$' | awk '{print $1}' | sort -V | tail -n 1)
if [ -z "$nvrtc" ] || [ -z "$builtins" ]; then
  echo "install-nvrtc: no NVRTC package found in the configured apt sources; install the CUDA toolkit instead." >&2
  exit 1
fi
$SUDO apt-get install -y -q --no-install-recommends "$nvrtc" "$builtins" strace gcc libc6-dev make ninja-build
# Header-only, in Debian's main component; the tests that use them are inconclusive without them.
$SUDO apt-get install -y -q --no-install-recommends libthrust-dev libcub-dev libcu++-dev || echo "install-nvrtc: Thrust/CUB/libcu++ headers not installed." >&2
