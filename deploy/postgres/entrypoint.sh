#!/bin/sh
# First start: initdb in the (empty) volume with the POSTGRES_* settings, password authentication over TCP,
# then the database. Every start: PostgreSQL in the foreground as PID 1.
set -eu
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD: the superuser's password for connections over TCP}"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  {
    echo "listen_addresses = '*'"
    echo "unix_socket_directories = '/run/postgresql'"
  } >>"$PGDATA/postgresql.conf"
  # Local socket: the postgres OS user as the database superuser (health check, maintenance via exec).
  echo "local all all trust" >"$PGDATA/pg_hba.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    createdb -h /run/postgresql -U "$user" "$db"
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  echo "emma-postgres: initialised $PGDATA (user $user, database $db)"
fi
exec postgres -D "$PGDATA"
