#!/bin/bash
# The HTTP edge under attack (issue 20), release build, loopback only:
#   1. slow-loris: 4100 slow connections from one address, then spread over
#      100 addresses; /healthz latency from another address meanwhile;
#   2. four 250 MiB .xlsx bombs and four lying ones at once: peak RSS.
# GONGHUI_BIN=… runs it against another build (the figures of
# docs/BENCHMARKS.md compare with the build before the fix).
# Usage: bench/edge.sh [SECONDS]   (default 20 s per slow-loris run)
source "$(dirname "$0")/lib.sh"
secs=${1:-20}
dir=$(mktemp -d)
trap 'stop_server 2>/dev/null; rm -rf "$dir"' EXIT
ulimit -n 20000 2>/dev/null || true
"$BIN" demo-data --db "sqlite:$dir/b.db" --key-file "$dir/k" >/dev/null 2>&1
out=$OUT/edge.txt
: >"$out"
for addrs in 1 100; do
  start_server "sqlite:$dir/b.db" "$dir/k" --max-conns-per-ip 64
  node "$BENCH_ROOT/bench/edge.mjs" loris "$URL" 4100 "$addrs" "$secs" | tee -a "$out"
  stop_server
done
start_server "sqlite:$dir/b.db" "$dir/k" --max-jobs 8 --max-jobs-per-user 8
token=$(login_token "$URL" nj_officer Gonghui@2026)
org=$(curl -s -H "Authorization: Bearer $token" "$URL/api/v1/orgs?q=%E5%8D%97%E4%BA%AC%E7%B4%AB%E9%87%91%E8%BD%AF%E4%BB%B6" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
node "$BENCH_ROOT/bench/edge.mjs" bomb "$URL" "$SERVER_PID" "$token" "$org" | tee -a "$out"
stop_server
