#!/bin/bash
# Benchmark (issue 2): GET /healthz against GET /api/v1/orgs/{id} with 10,000
# orgs on SQLite, one wrk run each on loopback, and the server's resident
# memory. The org read goes through everything a real read does: session
# lookup (Bearer token), scope check, query, JSON.
#   bench/orgs.sh [seconds]   (default 10)
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
dir=$(mktemp -d)
db="sqlite:$dir/bench.db"
"$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
node "$BENCH_ROOT/bench/gen-orgs.mjs" 10000 2>/dev/null | sqlite3 "$dir/bench.db"
n=$(sqlite3 "$dir/bench.db" 'SELECT COUNT(*) FROM orgs')
start_server "$db" "$dir/k"
token=$(login_token "$URL" admin Gonghui@2026)
cat >"$dir/org.lua" <<LUA
local ids = {}
math.randomseed(42)
request = function()
  local id = math.random(1000, 10999)
  return wrk.format("GET", "/api/v1/orgs/" .. id, {["Authorization"] = "Bearer $token"})
end
LUA
wrk -t2 -c32 -d2s "$URL/healthz" >/dev/null 2>&1 # warm-up
read -r h_rps h_p99 h_bad < <(wrk_run -t2 -c64 -d"${secs}s" "$URL/healthz")
read -r o_rps o_p99 o_bad < <(wrk_run -t2 -c64 -d"${secs}s" -s "$dir/org.lua" "$URL")
rss=$(rss_kib "$SERVER_PID")
stop_server
ratio=$(awk -v a="$o_rps" -v b="$h_rps" 'BEGIN {printf "%.2f", a/b}')
{
  echo "orgs in database: $n; wrk -t2 -c64 -d${secs}s on loopback, $(nproc) cores shared by server and wrk"
  echo "| scenario | requests/s | p99 ms | non-2xx |"
  echo "|---|---|---|---|"
  echo "| GET /healthz (baseline) | $h_rps | $h_p99 | $h_bad |"
  echo "| GET /api/v1/orgs/{id} (Bearer session, scope check, SQLite) | $o_rps | $o_p99 | $o_bad |"
  echo "ratio org read / healthz: $ratio"
  echo "server resident memory after the runs: $((rss / 1024)) MiB ($rss KiB)"
} | tee "$OUT/orgs.txt"
rm -rf "$dir"
