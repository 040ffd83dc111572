#!/usr/bin/env bash
# Installs (from Debian) and starts a throw-away PostgreSQL on 127.0.0.1 without systemd,
# then prints the DATABASE_URL to use. Idempotent: a running server is left as it is.
set -euo pipefail
PGPORT=${PGPORT:-54329}
PGDATA=${PGDATA:-/tmp/sp01-pg/data}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
mkdir -p "$(dirname "$PGDATA")"
chown postgres:postgres "$(dirname "$PGDATA")"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  su postgres -c "$BIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
fi
if ! su postgres -c "$BIN/pg_ctl -D '$PGDATA' status" >/dev/null 2>&1; then
  su postgres -c "$BIN/pg_ctl -D '$PGDATA' -w -t 60 -l '$PGDATA/../server.log' -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >&2
fi
su postgres -c "$BIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='sp01'\"" | grep -q 1 \
  || su postgres -c "$BIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres sp01" >&2
echo "postgres://postgres@127.0.0.1:$PGPORT/sp01"
