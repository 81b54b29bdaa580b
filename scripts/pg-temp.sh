#!/bin/sh
# A throw-away PostgreSQL cluster for the tests.
#   eval "$(scripts/pg-temp.sh start)"   prints GONGHUI_TEST_PG=… and PG_TEMP_DIR=… to eval
#   scripts/pg-temp.sh stop DIR
# initdb and the server refuse to run as root, so as root they run as the
# 'postgres' user the Debian package creates. The cluster lives in a
# temporary directory, listens on loopback on a free port, trusts local
# connections (it holds nothing but test data) and is deleted on stop.
# It runs without fsync (test data); PG_TEMP_OPTS adds or overrides server
# options, e.g. "-c fsync=on -c synchronous_commit=on" for durable commits.
set -eu
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "no PostgreSQL server installed" >&2; exit 3; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/gonghui-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_TEMP_OPTS:-}" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "GONGHUI_TEST_PG=postgres://postgres@127.0.0.1:$port/postgres; export GONGHUI_TEST_PG; PG_TEMP_DIR=$dir; export PG_TEMP_DIR"
  ;;
stop)
  dir=${2:?usage: pg-temp.sh stop DIR}
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
