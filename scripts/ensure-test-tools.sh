#!/bin/sh
# Makes sure the system tools the probe tests (and the ICMP probe) need are present: fping, ping, ip,
# openssl. Idempotent: checks `command -v` first and installs only what is missing, via apt-get as root.
set -eu

missing=""
command -v fping >/dev/null 2>&1 || missing="$missing fping"
command -v ping >/dev/null 2>&1 || missing="$missing iputils-ping"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
command -v nft >/dev/null 2>&1 || missing="$missing nftables"

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-test-tools: missing:$missing; run as root or install them: apt-get install -y$missing" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: missing:$missing and no apt-get to install them" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
  apt-get update >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $missing >/dev/null
fi
echo "ensure-test-tools: installed$missing" >&2
