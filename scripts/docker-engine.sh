#!/usr/bin/env bash
# The Docker-compatible engine eMMA's tests and benchmarks run containers on.
#
# Test machines have no Docker daemon, so this script serves Podman's Docker API on a unix socket. It needs
# root and Debian's apt-get the first time (it installs podman, runc and busybox-static); afterwards it only
# starts what is not running. It is safe to call from several test files at once (one lock per DIR).
#
#   scripts/docker-engine.sh start [DIR]       start the API on DIR/podman.sock (default DIR: $TMPDIR/emma-engine)
#   scripts/docker-engine.sh base-image [DIR]  make node:20-bookworm-slim available without a registry
#   scripts/docker-engine.sh stop [DIR]        stop the API service
#
# Then: dockerode with { socketPath: 'DIR/podman.sock' }, or DOCKER_HOST=unix://DIR/podman.sock; the podman CLI
# with CONTAINERS_CONF=DIR/containers.conf. What is special about these machines:
# - Podman needs runc as its runtime and no default ulimits here (written to DIR/containers.conf).
# - No image registry is reachable. `start` imports localhost/emma-busybox:latest, a tiny image made of the
#   machine's static busybox (sh, sleep, httpd, nc, ping, wget...), for test containers. `base-image` builds
#   docker.io/library/node:20-bookworm-slim from this machine's node and npm, so the project's Dockerfiles
#   build unchanged with `podman build --format docker --pull=never --network host`.
# - `podman rm -f -t 0` leaves containers running under runc: stop them first, then remove them.
# - Podman runs no periodic health checks without systemd: run them with `podman healthcheck run NAME`.
# - The socket is made group-accessible (mode 660, group `docker`), as Docker's own socket is, so a
#   container started with `--group-add <socket gid>` may use it without running as root.
set -euo pipefail
cmd=${1:-start}
dir=${2:-${TMPDIR:-/tmp}/emma-engine}
sock=$dir/podman.sock
mkdir -p "$dir"
export CONTAINERS_CONF=$dir/containers.conf
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"

api_up() { curl -sf --unix-socket "$sock" http://engine/_ping >/dev/null 2>&1; }

install_engine() {
  command -v podman >/dev/null && command -v runc >/dev/null && [ -x /bin/busybox ] && return 0
  if ! "$(dirname "$0")/apt-install.sh" podman runc busybox-static 2>"$dir/apt.log"; then
    echo "docker-engine: could not install podman (see $dir/apt.log)" >&2
    exit 1
  fi
}

import_busybox() {
  podman image exists localhost/emma-busybox:latest && return 0
  local root=$dir/busybox-root
  rm -rf "$root" && mkdir -p "$root/bin" "$root/tmp" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for tool in sh sleep httpd nc ping ls cat echo wget kill true false; do ln -sf busybox "$root/bin/$tool"; done
  echo ok >"$root/www/index.html"
  tar -C "$root" -cf "$dir/busybox.tar" .
  podman import -q "$dir/busybox.tar" localhost/emma-busybox:latest >/dev/null
}

serve_api() {
  if ! api_up; then
    rm -f "$sock"
    # 9>&-: the service must not inherit the lock, or every later caller would wait for it forever.
    setsid podman system service --time=0 "unix://$sock" >"$dir/service.log" 2>&1 </dev/null 9>&- &
    echo $! >"$dir/service.pid"
    for _ in $(seq 100); do api_up && break; sleep 0.2; done
  fi
  api_up || { echo "docker-engine: the API did not come up (see $dir/service.log)" >&2; exit 1; }
  getent group docker >/dev/null || groupadd --system docker 2>/dev/null || true
  if getent group docker >/dev/null; then chgrp docker "$sock" && chmod 660 "$sock"; fi
}

# node:20-bookworm-slim, assembled: node and the libraries it links, npm, busybox as the shell, the CA
# certificates (the registry is reached through this machine's CA), users root and node.
build_node_base() {
  podman image exists docker.io/library/node:20-bookworm-slim && return 0
  local root=$dir/node-root node npm_dir lib
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  rm -rf "$root"
  mkdir -p "$root"/{usr/local/bin,usr/local/lib/node_modules,usr/bin,bin,etc,tmp,root,home/node}
  chmod 1777 "$root/tmp"
  cp "$node" "$root/usr/local/bin/node"
  for lib in $(ldd "$node" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"
  done
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  cp /bin/busybox "$root/usr/local/bin/busybox"
  for tool in sh env id stat chown; do
    ln -s /usr/local/bin/busybox "$root/bin/$tool"
    ln -s /usr/local/bin/busybox "$root/usr/bin/$tool"
  done
  cp -a /etc/ssl "$root/etc/" 2>/dev/null || true
  cp /etc/resolv.conf /etc/hosts "$root/etc/" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
  chown 1000:1000 "$root/home/node"
  tar -C "$root" -cf "$dir/node-base.tar" .
  podman import -q -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    -c 'ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt' \
    "$dir/node-base.tar" docker.io/library/node:20-bookworm-slim >/dev/null
}

# One caller at a time per DIR: parallel test files would otherwise start two services on one socket.
exec 9>"$dir/.lock"
flock 9
case $cmd in
start)
  install_engine
  import_busybox
  serve_api
  echo "export DOCKER_HOST=unix://$sock CONTAINERS_CONF=$CONTAINERS_CONF"
  ;;
base-image)
  install_engine
  build_node_base
  echo docker.io/library/node:20-bookworm-slim
  ;;
stop)
  if [ -f "$dir/service.pid" ]; then
    kill "$(cat "$dir/service.pid")" 2>/dev/null || true
    rm -f "$dir/service.pid"
  fi
  ;;
*)
  echo "usage: $0 start|base-image|stop [DIR]" >&2
  exit 2
  ;;
esac
