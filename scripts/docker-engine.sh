#!/usr/bin/env bash
# The Docker-compatible engine eMMA's tests and benchmarks run containers on.
#
# Test machines have no Docker daemon, so this script serves Podman's Docker API on a unix socket. It needs
# root and Debian's apt-get the first time (it installs podman, runc, busybox-static and podman-compose, which
# runs the project's docker-compose.yml on it); afterwards it only
# starts what is not running. It is safe to call from several test files at once (one lock per DIR).
#
#   scripts/docker-engine.sh start [DIR]       start the API on DIR/podman.sock (default DIR: $TMPDIR/emma-engine)
#   scripts/docker-engine.sh base-image [DIR]  make the pinned node and debian base images available
#   scripts/docker-engine.sh stop [DIR]        stop the API service
#
# Then: dockerode with { socketPath: 'DIR/podman.sock' }, or DOCKER_HOST=unix://DIR/podman.sock; the podman CLI
# with CONTAINERS_CONF=DIR/containers.conf. What is special about these machines:
# - Podman needs runc as its runtime and no default ulimits here (written to DIR/containers.conf).
# - No image registry is reachable. `start` imports localhost/emma-busybox:latest, a tiny image made of the
#   machine's static busybox (sh, sleep, httpd, nc, ping, wget...), for test containers. `base-image` makes
#   the base images the Dockerfiles pin (ARG DEBIAN_IMAGE / NODE_IMAGE in deploy/*.Dockerfile): it pulls
#   them where a registry answers, else builds them here: Debian by debootstrap from Debian's mirror, node
#   as that Debian plus this machine's node and npm. The project's Dockerfiles then build unchanged with
#   `podman build --format docker --pull=never --network host`.
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
  command -v podman >/dev/null && command -v runc >/dev/null && [ -x /bin/busybox ] &&
    command -v podman-compose >/dev/null && return 0
  if ! "$(dirname "$0")/apt-install.sh" podman runc busybox-static podman-compose 2>"$dir/apt.log"; then
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

# The base image a Dockerfile pins: `ARG NAME=image:tag` -> docker.io/library/image:tag.
pinned() {
  local ref
  ref=$(sed -n "s/^ARG $1=//p" "$2" | head -n1)
  [ -n "$ref" ] || { echo "docker-engine: no ARG $1 in $2" >&2; exit 1; }
  echo "docker.io/library/$ref"
}

# Debian bookworm, minimal, with the machine's apt sources (Debian's mirror is reachable; registries are not).
build_debian_base() {
  local image=$1 root=$dir/debian-root
  podman image exists "$image" && return 0
  podman pull -q "$image" >/dev/null 2>&1 && return 0
  command -v debootstrap >/dev/null || "$(dirname "$0")/apt-install.sh" debootstrap
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$dir/debootstrap.log" 2>&1 || {
    echo "docker-engine: debootstrap failed (see $dir/debootstrap.log)" >&2
    exit 1
  }
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$root/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
  fi
  # As Docker's debian:*-slim images: no documentation, manuals or translations, now or from later installs.
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*
  tar -C "$root" -cf "$dir/debian-base.tar" .
  podman import -q -c 'CMD ["bash"]' "$dir/debian-base.tar" "$image" >/dev/null
  rm -rf "$root" "$dir/debian-base.tar"
}

# node on that Debian: this machine's node and npm, user node (1000), the machine's CA bundle (the registry
# is reached through it).
build_node_base() {
  local image=$1 debian=$2 ctx=$dir/node-ctx
  if ! podman image exists "$image" && ! podman pull -q "$image" >/dev/null 2>&1; then
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp "$(readlink -f "$(command -v node)")" "$ctx/node"
    cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$ctx/npm"
    cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
    cat >"$ctx/Containerfile" <<EOF
FROM $debian
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt npm_config_cafile=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
EOF
    podman build -q --format docker --pull=never -t "$image" "$ctx" >"$dir/node-base.log" 2>&1 || {
      echo "docker-engine: the node base image did not build (see $dir/node-base.log)" >&2
      exit 1
    }
    rm -rf "$ctx"
  fi
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
  deploy=$(dirname "$0")/../deploy
  debian=$(pinned DEBIAN_IMAGE "$deploy/postgres.Dockerfile")
  node=$(pinned NODE_IMAGE "$deploy/server.Dockerfile")
  build_debian_base "$debian"
  build_node_base "$node" "$debian"
  echo "$debian"
  echo "$node"
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
