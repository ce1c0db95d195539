#!/usr/bin/env bash
# Installs Debian packages for the test set-up, one apt-get at a time: test files start in parallel and
# several need packages (podman, fping, mariadb, chromium); dpkg allows one install at once.
#
#   scripts/apt-install.sh [--no-recommends] PACKAGE...     output goes to stderr only on failure
set -euo pipefail
options=(-y -qq -o DPkg::Lock::Timeout=600)
if [ "${1:-}" = "--no-recommends" ]; then
  options+=(--no-install-recommends)
  shift
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-install: cannot install $* (needs root and apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
exec 8>/tmp/emma-apt.lock
flock 8
if ! apt-get install "${options[@]}" "$@" >"$log" 2>&1; then
  apt-get update -qq -o DPkg::Lock::Timeout=600 >>"$log" 2>&1 || true
  apt-get install "${options[@]}" "$@" >>"$log" 2>&1 || {
    cat "$log" >&2
    exit 1
  }
fi
