#!/usr/bin/env bash
# Installs nginx (Debian/Ubuntu package, built with its WebDAV module) for the remote cache's integration tests:
# they start it on a loopback port as a Bazel HTTP cache (docs/remote-cache.md). Nothing is started here.
# Safe to run repeatedly; does nothing when nginx is already there.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
. /etc/os-release
case "${ID:-}" in
  debian|ubuntu)
    $SUDO apt-get update -q
    # policy-rc.d or no init system may refuse to start the service: the tests run their own instance anyway.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nginx || command -v nginx >/dev/null
    ;;
  *)
    echo "install-nginx: unsupported distribution '${ID:-unknown}'. Install nginx with its dav module yourself; the remote cache tests are Inconclusive without it." >&2
    exit 1
    ;;
esac
