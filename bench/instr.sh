#!/bin/bash
# Instructions per request, counted by valgrind's callgrind: repeatable
# whatever else this shared machine is doing, unlike requests/s. The server
# runs on one thread; a client sends N sequential requests on one keep-alive
# connection; a run with no requests (start, log-in, stop) is subtracted.
#   bench/instr.sh [N]   (default 3000)
source "$(dirname "$0")/lib.sh"
n=${1:-3000}
dir=$(mktemp -d)
db="sqlite:$dir/bench.db"
"$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
node "$BENCH_ROOT/bench/gen-orgs.mjs" 10000 2>/dev/null | sqlite3 "$dir/bench.db"
port=18233
run() { # count template...
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" \
    "$BIN" serve --db "$db" --key-file "$dir/k" --listen 127.0.0.1:$port --no-access-log --threads 1 >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 200); do curl -s -o /dev/null http://127.0.0.1:$port/healthz && break; sleep 0.2; done
  local token; token=$(login_token http://127.0.0.1:$port admin Gonghui@2026)
  node "$BENCH_ROOT/bench/client.mjs" http://127.0.0.1:$port "$1" "$token" "${@:2}"
  kill -TERM $pid; wait $pid 2>/dev/null
  callgrind_annotate "$dir/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1}'
}
zero=$(run 0)
health=$(run "$n")
org=$(run "$n" '/api/v1/orgs/{id}' 1000 11000)
h=$(( (health - zero) / n )); o=$(( (org - zero) / n ))
{
  echo "| scenario | instructions per request (callgrind, server side) |"
  echo "|---|---|"
  echo "| GET /healthz (baseline) | $h |"
  echo "| GET /api/v1/orgs/{id} (Bearer session, scope check, SQLite) | $o |"
  awk -v h="$h" -v o="$o" 'BEGIN {printf "throughput ratio implied by instructions (healthz cost / org cost): %.2f\n", h/o}'
} | tee "$OUT/instr.txt"
rm -rf "$dir"
