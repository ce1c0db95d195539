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

# shellcheck disable=SC2086
"$(dirname "$0")/apt-install.sh" --no-recommends $missing || {
  echo "ensure-test-tools: missing:$missing; install them as root: apt-get install -y$missing" >&2
  exit 1
}
echo "ensure-test-tools: installed$missing" >&2
