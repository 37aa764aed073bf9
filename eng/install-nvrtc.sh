#!/usr/bin/env bash
# Installs what KernelBuild's build and tests need on Debian/Ubuntu:
#   - NVRTC (Debian's non-free component: libnvrtc11.2 + libnvrtc-builtins11.8), no GPU or driver needed;
#   - strace, the oracle the dependency tests compare against.
# Safe to run repeatedly; does nothing when everything is already there.
set -euo pipefail

have_nvrtc() {
  ldconfig -p 2>/dev/null | grep -qE 'libnvrtc\.so\.(11\.2|12|13)' \
    || ls /usr/lib/x86_64-linux-gnu/libnvrtc.so.* >/dev/null 2>&1 \
    || ls /usr/local/cuda*/lib64/libnvrtc.so.* >/dev/null 2>&1
}

if have_nvrtc && command -v strace >/dev/null 2>&1; then
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
    pkgs="libnvrtc11.2 libnvrtc-builtins11.8"
    ;;
  ubuntu)
    # Ubuntu ships NVRTC in multiverse.
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q software-properties-common >/dev/null
    $SUDO add-apt-repository -y multiverse >/dev/null
    pkgs="libnvrtc11.2 libnvrtc-builtins11.8"
    ;;
  *)
    echo "install-nvrtc: unsupported distribution '${ID:-unknown}'. Install NVRTC (the CUDA toolkit) and strace yourself." >&2
    exit 1
    ;;
esac

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $pkgs strace
