#!/usr/bin/env bash
# A real Docker-compatible engine for tests (carried from shared/tools/docker-engine.sh): Podman serving the Docker API.
# No Docker daemon runs here, but Podman does, with two settings (runc as runtime, no default ulimits).
# Images cannot be pulled (no registry access): the script imports a tiny busybox image from the local
# busybox-static binary; build others FROM it, or FROM an image you import the same way.
#
#   shared/tools/docker-engine.sh start [DIR]       # prints: export DOCKER_HOST=unix://DIR/podman.sock ...
#   shared/tools/docker-engine.sh base-image [DIR]  # node:20-bookworm-slim, assembled from this machine
#   shared/tools/docker-engine.sh stop  [DIR]
#
# After `start`, dockerode works with new Docker({ socketPath: 'DIR/podman.sock' }) and the `podman`
# CLI works with the printed CONTAINERS_CONF exported. Test image: localhost/emma-busybox:latest
# (has sh, sleep, httpd, nc, ping). Remove containers with `podman stop NAME; podman rm NAME`
# (`rm -f -t 0` does not stop them under runc). Needs root and Debian's apt-get the first time.
# `base-image` tags docker.io/library/node:20-bookworm-slim made of this machine's node, npm, their
# libraries and busybox, so a Dockerfile that starts FROM node:20-bookworm-slim builds unchanged with
# `podman build --format docker --pull=never` (--format docker keeps HEALTHCHECK; `--network host` lets
# RUN npm ci reach the registry). Podman runs no periodic health checks here (no systemd): use
# `podman healthcheck run NAME`.
set -euo pipefail
cmd=${1:-start}
dir=${2:-${TMPDIR:-/tmp}/emma-engine}
sock=$dir/podman.sock
mkdir -p "$dir"
export CONTAINERS_CONF=$dir/containers.conf
cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
CONF

case $cmd in
start)
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null || [ ! -x /bin/busybox ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc busybox-static) >"$dir/apt.log" 2>&1 \
      || { echo "docker-engine: installing podman failed, see $dir/apt.log" >&2; exit 1; }
  fi
  if ! podman image exists localhost/emma-busybox:latest; then
    root=$dir/bbroot
    rm -rf "$root" && mkdir -p "$root/bin" "$root/tmp" "$root/www"
    cp /bin/busybox "$root/bin/"
    for c in sh sleep httpd nc ping ls cat echo wget; do ln -sf busybox "$root/bin/$c"; done
    echo ok >"$root/www/index.html"
    tar -C "$root" -cf "$dir/bb.tar" .
    podman import -q "$dir/bb.tar" localhost/emma-busybox:latest >/dev/null
  fi
  if [ ! -S "$sock" ] || ! curl -sf --unix-socket "$sock" http://d/_ping >/dev/null; then
    rm -f "$sock"
    setsid podman system service --time=0 "unix://$sock" >"$dir/service.log" 2>&1 < /dev/null &
    echo $! >"$dir/service.pid"
    for _ in $(seq 50); do curl -sf --unix-socket "$sock" http://d/_ping >/dev/null && break; sleep 0.2; done
  fi
  curl -sf --unix-socket "$sock" http://d/_ping >/dev/null || { echo "docker-engine: API did not come up, see $dir/service.log" >&2; exit 1; }
  echo "export DOCKER_HOST=unix://$sock CONTAINERS_CONF=$CONTAINERS_CONF"
  ;;
base-image)
  if ! podman image exists docker.io/library/node:20-bookworm-slim; then
    root=$dir/noderoot node=$(readlink -f "$(command -v node)")
    rm -rf "$root" && mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/usr/bin" "$root/bin" "$root/etc" "$root/tmp" "$root/root"
    chmod 1777 "$root/tmp"
    cp "$node" "$root/usr/local/bin/node"
    for lib in $(ldd "$node" | grep -o '/[^ ]*'); do mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; done
    npmdir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
    cp -a "$npmdir" "$root/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
    cp /bin/busybox "$root/usr/local/bin/busybox"
    for c in sh env; do ln -s /usr/local/bin/busybox "$root/bin/$c"; ln -s /usr/local/bin/busybox "$root/usr/bin/$c"; done
    cp -a /etc/ssl "$root/etc/" 2>/dev/null || true
    cp /etc/resolv.conf /etc/hosts "$root/etc/" 2>/dev/null || true
    printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
    tar -C "$root" -cf "$dir/node-base.tar" .
    # the registry is reached through this machine's certificate authority: trust it inside too
    podman import -q -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
      -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
      -c 'ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt' \
      "$dir/node-base.tar" docker.io/library/node:20-bookworm-slim >/dev/null
  fi
  echo docker.io/library/node:20-bookworm-slim
  ;;
stop)
  if [ -f "$dir/service.pid" ]; then kill "$(cat "$dir/service.pid")" 2>/dev/null || true; rm -f "$dir/service.pid"; fi
  ;;
*) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
