#!/usr/bin/env bash
# What the dashboard's end-to-end tests need: Debian's Chromium (installed with apt-get as root when
# missing; never a browser download) and a fresh build of the dashboard in DIR. Safe to call from several
# test files at once: one lock, and the build is skipped when DIR is newer than every source file.
#
#   scripts/ensure-e2e.sh DIR      prints the browser's path (EMMA_CHROMIUM overrides it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: ensure-e2e.sh DIR}
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9

# EMMA_CHROMIUM wins; else Debian's chromium; else a Chrome already there (GitHub's Ubuntu runners have one,
# and Ubuntu's chromium package is only a snap shim); else install Debian's.
browser=""
for candidate in "${EMMA_CHROMIUM:-}" chromium google-chrome; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
    browser=$(command -v "$candidate")
    break
  fi
done
if [ -z "$browser" ]; then
  "$root/scripts/apt-install.sh" --no-recommends chromium || {
    echo "ensure-e2e: Chromium is missing and could not be installed (apt-get install chromium)" >&2
    exit 1
  }
  browser=$(command -v chromium)
fi

stamp=$dir/index.html
newer=""
if [ -f "$stamp" ]; then
  newer=$(find "$root/dashboard/src" "$root/dashboard/index.html" "$root/dashboard/vite.config.ts" \
    "${BASH_SOURCE[0]}" -newer "$stamp" -print -quit)
fi
if [ ! -f "$stamp" ] || [ -n "$newer" ]; then
  # NODE_ENV=production: under vitest it is "test", and Vite would then bundle Solid's development build.
  (cd "$root/dashboard" && NODE_ENV=production npx vite build --outDir "$dir" --emptyOutDir --logLevel warn) \
    >"$dir.build.log" 2>&1 ||
    { cat "$dir.build.log" >&2; exit 1; }
fi
echo "$browser"
