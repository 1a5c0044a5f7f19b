#!/usr/bin/env bash
# Real backing services for tests, on loopback only, with throwaway data dirs.
#
#   scripts/services.sh start   install (apt-get) if missing, start, print exports
#   scripts/services.sh env     print the exports for what is running
#   scripts/services.sh stop    stop what `start` started (never a server it found running)
#   scripts/services.sh status  say what is running
#
# stdout carries only `export NAME=value` lines, so `eval "$(scripts/services.sh start)"`
# works; progress and errors go to stderr. Idempotent: a second `start` reuses what runs.
set -euo pipefail

STATE_DIR=${RAMPART_SERVICES_DIR:-/tmp/rampart-services}
REDIS_PORT=${RAMPART_REDIS_PORT:-6390}
PG_PORT=${RAMPART_PG_PORT:-5440}
PG_USER=postgres
REDIS_URL_VALUE="redis://127.0.0.1:${REDIS_PORT}"
DATABASE_URL_VALUE="postgres://${PG_USER}@127.0.0.1:${PG_PORT}/postgres"

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* yourself"
  [ "$(id -u)" = 0 ] || die "$* missing and not root: install it (apt-get install -y $*)"
  if [ ! -f "$STATE_DIR/.apt-updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    touch "$STATE_DIR/.apt-updated"
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# Run a PostgreSQL binary as an unprivileged user: postgres refuses to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

redis_up() { command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
pg_up() { local bin; bin=$(pg_bindir) && "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }

start_redis() {
  if redis_up; then log "redis already answers on 127.0.0.1:$REDIS_PORT"; return 0; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  # the Debian package starts its own server on 6379 when systemd runs; ours is separate
  mkdir -p "$STATE_DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$STATE_DIR/redis" --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log" \
    --daemonize yes >&2
  for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  redis_up || die "redis-server did not answer on 127.0.0.1:$REDIS_PORT (see $STATE_DIR/redis.log)"
  touch "$STATE_DIR/redis.started"
  log "redis started on 127.0.0.1:$REDIS_PORT"
}

start_postgres() {
  if pg_up; then log "postgres already answers on 127.0.0.1:$PG_PORT"; return 0; fi
  pg_bindir >/dev/null || apt_install postgresql
  local bin data
  bin=$(pg_bindir) || die "postgresql installed but initdb not found"
  data="$STATE_DIR/pgdata"
  # socket dir and log live in a folder the postgres user owns
  mkdir -p "$STATE_DIR/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres "$STATE_DIR/pg"; chmod 755 "$STATE_DIR"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"; mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_pg "$bin/initdb" -D "$data" -U "$PG_USER" --auth=trust --encoding=UTF8 --no-sync >/dev/null 2>&1 \
      || die "initdb failed in $data"
  fi
  as_pg "$bin/pg_ctl" -D "$data" -l "$STATE_DIR/pg/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $STATE_DIR/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || die "postgres did not start (see $STATE_DIR/postgres.log)"
  touch "$STATE_DIR/postgres.started"
  log "postgres started on 127.0.0.1:$PG_PORT"
}

print_env() {
  redis_up && echo "export REDIS_URL=$REDIS_URL_VALUE"
  pg_up && echo "export DATABASE_URL=$DATABASE_URL_VALUE"
  return 0
}

stop_all() {
  if [ -f "$STATE_DIR/redis.started" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || log "redis was not running"
    rm -f "$STATE_DIR/redis.started"; log "redis stopped"
  fi
  if [ -f "$STATE_DIR/postgres.started" ]; then
    local bin; bin=$(pg_bindir)
    as_pg "$bin/pg_ctl" -D "$STATE_DIR/pgdata" -m fast -w stop >&2 || log "postgres was not running"
    rm -rf "$STATE_DIR/pgdata" "$STATE_DIR/postgres.started"; log "postgres stopped"
  fi
}

mkdir -p "$STATE_DIR"
case "${1:-}" in
  start) start_redis; start_postgres; print_env ;;
  env) print_env ;;
  stop) stop_all ;;
  status)
    if redis_up; then log "redis: up on 127.0.0.1:$REDIS_PORT"; else log "redis: down"; fi
    if pg_up; then log "postgres: up on 127.0.0.1:$PG_PORT"; else log "postgres: down"; fi ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
