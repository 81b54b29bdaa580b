#!/bin/bash
# Benchmark (issue 4): the same three wrk scenarios, in one run, against
#   (a) SQLite, one server;
#   (b) PostgreSQL (throw-away cluster from scripts/pg-temp.sh), one server;
#   (c) the same PostgreSQL, two servers behind nginx configured by
#       deploy/nginx.conf (upstream ports and listen address rewritten).
# Scenarios: GET /healthz (baseline), a point read GET /api/v1/orgs/{id}
# (Bearer session, scope check; random demo orgs), and a write
# PATCH /api/v1/members/{id} {"employer": …} on members imported first
# (random ids; each write is one transaction with history and an audit-chain
# entry). Plus nginx answering by itself, to show what the proxy costs here.
# Prints a markdown table and writes it to bench/out/multi.txt.
#   bench/multi.sh [seconds per wrk run]   (default 5)
source "$(dirname "$0")/lib.sh"
secs=${1:-5}
members=${MEMBERS:-200}
conns=${CONNS:-32}
dir=$(mktemp -d /tmp/gonghui-bench-multi.XXXXXX)
chmod 755 "$dir" # nginx workers (nobody, when run as root) read below it
key="$dir/bench.key"
pg_dir=""
ngx_pid=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$ngx_pid" ]; then kill -QUIT "$ngx_pid" 2>/dev/null || true; wait "$ngx_pid" 2>/dev/null || true; fi
  [ -n "$pg_dir" ] && "$BENCH_ROOT/scripts/pg-temp.sh" stop "$pg_dir"
  rm -rf "$dir"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no release binary at $BIN (make)" >&2; exit 1; }

node "$BENCH_ROOT/bench/gen-members.mjs" "$members" >"$dir/members.csv"

# sql DB-URL QUERY: one value per line
sql() {
  case "$1" in
    sqlite:*) sqlite3 "${1#sqlite:}" "$2" ;;
    *) psql "$1" -qAtc "$2" ;;
  esac
}

# prepare DB-URL: demo data, imported members, and the Lua scripts for this DB
prepare() {
  local db=$1 tag=$2
  "$BIN" demo-data --db "$db" --key-file "$key" >/dev/null 2>&1
  local org
  org=$(sql "$db" "SELECT id FROM orgs WHERE name = '南京紫金软件股份有限公司工会'")
  "$BIN" import members "$dir/members.csv" --org "$org" --db "$db" --key-file "$key" >/dev/null 2>&1
  local mids oids
  mids=$(sql "$db" "SELECT id FROM members WHERE org_id = $org ORDER BY id" | paste -sd, -)
  oids=$(sql "$db" "SELECT id FROM orgs ORDER BY id" | paste -sd, -)
  [ "$(echo "$mids" | tr , '\n' | wc -l)" -ge "$members" ] || { echo "import into $db failed" >&2; exit 1; }
  cat >"$dir/read-$tag.lua" <<LUA
local ids = {$oids}
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/orgs/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer " .. TOKEN})
end
LUA
  cat >"$dir/write-$tag.lua" <<LUA
local ids = {$mids}
math.randomseed(7)
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"employer":"压测单位%d-%d"}', n, math.random(1000000))
  return wrk.format("PATCH", "/api/v1/members/" .. ids[math.random(#ids)],
    {["Authorization"] = "Bearer " .. TOKEN, ["Content-Type"] = "application/json"}, body)
end
LUA
}

# scenarios URL TAG COLUMN: runs the three wrk scenarios; results in R_<col>_<scenario>
scenarios() {
  local url=$1 tag=$2 col=$3 token
  token=$(login_token "$url" admin Gonghui@2026)
  [ -n "$token" ] || { echo "log-in failed on $url" >&2; exit 1; }
  for f in read write; do sed -i "1i TOKEN = \"$token\"" "$dir/$f-$tag.lua"; done
  wrk -t2 -c"$conns" -d1s "$url/healthz" >/dev/null 2>&1 # warm-up
  wrk -t2 -c"$conns" -d1s -s "$dir/read-$tag.lua" "$url" >/dev/null 2>&1
  read -r "R_${col}_health" "P_${col}_health" "N_${col}_health" < <(wrk_run -t2 -c"$conns" -d"${secs}s" "$url/healthz")
  read -r "R_${col}_read" "P_${col}_read" "N_${col}_read" < <(wrk_run -t2 -c"$conns" -d"${secs}s" -s "$dir/read-$tag.lua" "$url")
  read -r "R_${col}_write" "P_${col}_write" "N_${col}_write" < <(wrk_run -t2 -c"$conns" -d"${secs}s" -s "$dir/write-$tag.lua" "$url")
  sed -i '1d' "$dir/read-$tag.lua" "$dir/write-$tag.lua"
}

# (a) SQLite, one server
echo "(a) SQLite, one server…" >&2
prepare "sqlite:$dir/bench.db" lite
start_server "sqlite:$dir/bench.db" "$key"
pids+=("$SERVER_PID")
scenarios "$URL" lite a
stop_server
unset 'pids[-1]'

# (b) PostgreSQL, one server
echo "(b) PostgreSQL, one server…" >&2
eval "$("$BENCH_ROOT/scripts/pg-temp.sh" start)"
pg_dir=$PG_TEMP_DIR
pg_url=${GONGHUI_TEST_PG%/*}/gonghui_bench
psql "$GONGHUI_TEST_PG" -qAtc "CREATE DATABASE gonghui_bench"
prepare "$pg_url" pg
start_server "$pg_url" "$key"
pids+=("$SERVER_PID")
scenarios "$URL" pg b
stop_server
unset 'pids[-1]'

# (c) the same PostgreSQL, two servers behind nginx (deploy/nginx.conf)
echo "(c) PostgreSQL, two servers behind nginx…" >&2
start_server "$pg_url" "$key" --trust-proxy
pids+=("$SERVER_PID"); url_a=$URL
start_server "$pg_url" "$key" --trust-proxy
pids+=("$SERVER_PID"); url_b=$URL
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
ngx_port=$(free_port)
raw_port=$(free_port)
sed -e "s/127\.0\.0\.1:8081/${url_a#http://}/; s/127\.0\.0\.1:8082/${url_b#http://}/" \
    -e "s/^\( *\)listen 80;/\1listen 127.0.0.1:$ngx_port;/; /listen \[::\]:80;/d" \
    "$BENCH_ROOT/deploy/nginx.conf" >"$dir/site.conf"
cat >"$dir/nginx.conf" <<NGX
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/ngx-body;
  proxy_temp_path $dir/ngx-proxy;
  fastcgi_temp_path $dir/ngx-fastcgi;
  uwsgi_temp_path $dir/ngx-uwsgi;
  scgi_temp_path $dir/ngx-scgi;
  include $dir/site.conf;
  # nginx answering by itself: what the proxy hop costs on this machine
  server { listen 127.0.0.1:$raw_port; location / { return 200 "ok\n"; } }
}
NGX
/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" -g 'daemon off;' &
ngx_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$ngx_port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$ngx_port/healthz" >/dev/null || { cat "$dir/nginx-error.log"; exit 1; }
scenarios "http://127.0.0.1:$ngx_port" pg c
read -r R_n P_n N_n < <(wrk_run -t2 -c"$conns" -d"${secs}s" "http://127.0.0.1:$raw_port/")

row() { # label key
  local k=$2
  local ra="R_a_$k" pa="P_a_$k" rb="R_b_$k" pb="P_b_$k" rc="R_c_$k" pc="P_c_$k"
  printf '| %s | %.0f | %s | %.0f | %s | %.0f | %s |\n' "$1" "${!ra}" "${!pa}" "${!rb}" "${!pb}" "${!rc}" "${!pc}"
}
bad=""
for c in a b c; do for k in health read write; do
  v="N_${c}_$k"
  if [ "${!v}" != 0 ]; then bad="$bad ($c) $k: ${!v} non-2xx;"; fi
done; done
if [ "$N_n" != 0 ]; then bad="$bad nginx alone: $N_n non-2xx;"; fi
{
  echo "wrk -t2 -c$conns, ${secs} s per run (short on purpose: $(nproc) cores shared by wrk, nginx, the servers and PostgreSQL), loopback"
  echo "release build; $members imported members; the write is PATCH /api/v1/members/{id} (history row + audit-chain entry, one transaction)"
  echo "SQLite: WAL, synchronous=FULL. PostgreSQL: throw-away cluster of scripts/pg-temp.sh (fsync=off, synchronous_commit=off: write figures are not durable-commit figures)"
  echo
  echo "| scenario | (a) SQLite, 1 server req/s | p99 ms | (b) PostgreSQL, 1 server req/s | p99 ms | (c) PostgreSQL, 2 servers + nginx req/s | p99 ms |"
  echo "|---|---|---|---|---|---|---|"
  row "GET /healthz (baseline)" health
  row "GET /api/v1/orgs/{id} (Bearer, scope check)" read
  row "PATCH /api/v1/members/{id} (write)" write
  printf '| nginx alone (return 200, same run) | | | | | %.0f | %s |\n' "$R_n" "$P_n"
  echo
  echo "non-2xx responses: ${bad:-none}"
} | tee "$OUT/multi.txt"
