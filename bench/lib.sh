# Shared helpers for the benchmark scripts (sourced).
set -eu
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${GONGHUI_BIN:-$BENCH_ROOT/build/gonghui}
OUT=$BENCH_ROOT/bench/out
mkdir -p "$OUT"

# start_server DB KEY [extra args]: sets SERVER_PID and URL. wrk loads from
# one address with up to 64 connections, run after run: the per-address cap
# is off unless the extra args set it (the first value of an option wins).
start_server() {
  db=$1; key=$2; shift 2
  log=$(mktemp)
  ${SERVER_CPUS:+taskset -c $SERVER_CPUS} "$BIN" serve --db "$db" --key-file "$key" --listen 127.0.0.1:0 --ui-dir "$BENCH_ROOT/ui" --no-access-log "$@" --max-conns-per-ip 0 >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    URL=$(grep -o 'listening on http://[0-9.:]*' "$log" | sed 's/listening on //' || true)
    [ -n "$URL" ] && break
    sleep 0.1
  done
  [ -n "$URL" ] || { cat "$log"; exit 1; }
}

stop_server() { kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

login_token() { # URL LOGIN PASSWORD
  curl -s -H 'Content-Type: application/json' \
    -d "{\"login\":\"$2\",\"password\":\"$3\",\"mode\":\"bearer\"}" "$1/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# wrk_rps URL-OR-SCRIPT-ARGS…: prints requests/s and p99 (ms) as "RPS P99"
wrk_run() {
  ${WRK_CPUS:+taskset -c $WRK_CPUS} wrk --latency "$@" 2>&1 | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    /Non-2xx/ {bad=$NF}
    END {printf "%s %s %s\n", rps, p99, (bad==""?0:bad)}'
}
