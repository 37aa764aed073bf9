#!/usr/bin/env bash
# Installs Mono's runtime and the class libraries a .NET Framework (net472) MSBuild task needs, on Debian/Ubuntu.
# The tests use it to run the .NET Framework flavour of the task assembly (tests/KernelBuild.NetFx.Probe), the
# closest a Linux machine gets to Visual Studio's MSBuild (docs/packaging.md). Safe to run repeatedly.
set -euo pipefail

libraries="libmono-corlib4.5-cil libmono-system4.0-cil libmono-system-core4.0-cil libmono-system-xml4.0-cil
  libmono-system-xml-linq4.0-cil libmono-system-runtime4.0-cil libmono-system-numerics4.0-cil
  libmono-system-configuration4.0-cil libmono-system-xaml4.0-cil"

have_all() {
  command -v mono >/dev/null 2>&1 || return 1
  for package in $libraries; do dpkg -s "$package" >/dev/null 2>&1 || return 1; done
}
if have_all; then exit 0; fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -q --no-install-recommends mono-runtime $libraries
