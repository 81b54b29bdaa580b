#!/bin/bash
# Benchmark (issue 3): members at scale.
#  1. import N members from a CSV (bench/gen-members.mjs), against raw SQLite
#     inserts of the same rows in the same run (sqlite3 .import into a plain
#     table with as many indexes, no validation, no encryption);
#  2. log-in throughput (argon2id dominates; parameters printed);
#  3. GET /api/v1/members?q=… latency with N members in the database.
#   bench/members.sh [N] [seconds]   (defaults 1000000, 10)
source "$(dirname "$0")/lib.sh"
n=${1:-1000000}
secs=${2:-10}
dir=$(mktemp -d)
db="sqlite:$dir/bench.db"
echo "generating $n members…" >&2
node "$BENCH_ROOT/bench/gen-members.mjs" "$n" >"$dir/members.csv"
size=$(stat -c %s "$dir/members.csv")

# 1a. raw SQLite baseline
sqlite3 "$dir/raw.db" "PRAGMA journal_mode=WAL; CREATE TABLE members_raw (name TEXT, id_number TEXT UNIQUE, mobile TEXT, form TEXT, frontline TEXT, join_date TEXT); CREATE INDEX r1 ON members_raw(name); CREATE INDEX r2 ON members_raw(mobile); CREATE INDEX r3 ON members_raw(substr(id_number, 15)); CREATE INDEX r4 ON members_raw(substr(mobile, 8)); CREATE INDEX r5 ON members_raw(form);" >/dev/null
t0=$(date +%s.%N)
sqlite3 "$dir/raw.db" ".import --csv --skip 1 $dir/members.csv members_raw"
t1=$(date +%s.%N)
raw_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b-a}')
raw_n=$(sqlite3 "$dir/raw.db" 'SELECT COUNT(*) FROM members_raw')

# 1b. gonghui import
"$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
org=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '南京紫金软件股份有限公司工会'")
t0=$(date +%s.%N)
"$BIN" import members "$dir/members.csv" --org "$org" --db "$db" --key-file "$dir/k" 2>/dev/null | tail -1 >&2
t1=$(date +%s.%N)
gh_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b-a}')
gh_n=$(sqlite3 "$dir/bench.db" 'SELECT COUNT(*) FROM members')

# 2 + 3. the server on the imported database
start_server "$db" "$dir/k"
cat >"$dir/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"nj_officer","password":"Gonghui@2026","mode":"bearer"}'
LUA
read -r l_rps l_p99 l_bad < <(wrk_run -t2 -c8 -d"${secs}s" -s "$dir/login.lua" "$URL/api/v1/session")
token=$(login_token "$URL" admin Gonghui@2026)
some_id=$(sed -n '5000p' "$dir/members.csv" | cut -d, -f2)
some_mobile=$(sed -n '5000p' "$dir/members.csv" | cut -d, -f3)
enc() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }
results=""
for q in "" "$(enc 王伟)" "$(enc 张)" "4321" "$some_id" "$some_mobile"; do
  read -r rps p99 bad < <(wrk_run -t2 -c16 -d"${secs}s" -H "Authorization: Bearer $token" "$URL/api/v1/members?q=$q")
  label=${q:-"(none: newest 20)"}
  label=$(node -e 'process.stdout.write(decodeURIComponent(process.argv[1]))' "$label")
  case "$label" in "$some_id") label="full ID number (keyed hash)" ;; "$some_mobile") label="full mobile (keyed hash)" ;; esac
  results="$results| q=$label | $rps | $p99 | $bad |\n"
done
read -r h_rps h_p99 h_bad < <(wrk_run -t2 -c16 -d"${secs}s" "$URL/healthz")
rss=$(rss_kib "$SERVER_PID")
stop_server
params=$("$BIN" --help >/dev/null; echo "argon2id t=3 m=64MiB p=1 (libsodium crypto_pwhash)")
{
  echo "members: $n rows, CSV $((size / 1024 / 1024)) MiB; $(nproc) cores"
  echo
  echo "| import | rows | seconds | rows/s |"
  echo "|---|---|---|---|"
  echo "| raw SQLite .import (baseline: plain table, 6 indexes, no checks) | $raw_n | $raw_s | $(awk -v n="$raw_n" -v s="$raw_s" 'BEGIN {printf "%.0f", n/s}') |"
  echo "| gonghui import (validate, dedupe, seal, hash, mask, 7 indexes, one transaction) | $gh_n | $gh_s | $(awk -v n="$gh_n" -v s="$gh_s" 'BEGIN {printf "%.0f", n/s}') |"
  awk -v a="$raw_s" -v b="$gh_s" 'BEGIN {printf "ratio gonghui / raw (rows/s): %.2f\n", a/b}'
  echo
  echo "log-in: $l_rps log-ins/s (p99 $l_p99 ms, non-2xx $l_bad) with $params, wrk -c8"
  echo
  echo "| GET /api/v1/members as admin (whole tree) | requests/s | p99 ms | non-2xx |"
  echo "|---|---|---|---|"
  printf "$results"
  echo "| GET /healthz (baseline, same run) | $h_rps | $h_p99 | $h_bad |"
  echo "server resident memory: $((rss / 1024)) MiB"
} | tee "$OUT/members.txt"
rm -rf "$dir"
