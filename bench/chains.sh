#!/bin/bash
# Benchmark (issue 11): write throughput of the hash-chained audit log and
# ledger with two `gonghui serve` processes sharing one PostgreSQL (a
# throw-away cluster of scripts/pg-temp.sh), writes coming from six provinces
# at once. Every write appends to the audit chain; a ledger posting also
# appends to the ledger chain. With one chain each, every writer on both
# servers queues on one head row; with a chain per province they queue only
# behind writers of the same province.
#
# Scenarios, each as two wrk processes at once (one per server, loopback):
#   GET /healthz                        baseline of the same run
#   PATCH /api/v1/members/{id}          {"employer": …}, random member of 6
#                                       provinces (history row + audit entry)
#   POST /api/v1/ledger/transfers       manual entry between two accounts of
#                                       a random province (transfer, balances,
#                                       audit entry: both chains)
# Then `audit verify` and `ledger check` must pass on the database. While
# the writes run, pg_stat_activity is sampled every 0.1 s: the share of busy
# server connections that wait for a row lock shows the queue directly, where
# throughput on 2 shared cores is bounded by CPU first.
#
# Two PostgreSQL set-ups (MODES, default "fast durable"): "fast" is the test
# cluster (fsync=off, synchronous_commit=off: a commit costs no flush);
# "durable" turns fsync and synchronous_commit on, as in production, where a
# head row stays locked until the commit's WAL flush is done.
#
# Before/after in one run: BASE_REV=<commit> builds that commit (git archive)
# into a temporary directory, or BASE_BIN=<binary> names a built one; the
# same scenarios run against it first, then against build/gonghui.
#   BASE_REV=8c56905 bench/chains.sh [seconds per wrk run]   (default 8)
# ROUNDS=N alternates before/after N times (machine load drifts).
# Prints markdown tables; appends them to bench/out/chains.txt.
source "$(dirname "$0")/lib.sh"
secs=${1:-8}
per_org=${MEMBERS_PER_ORG:-50}
conns=${CONNS:-16} # per wrk process, two at once
rounds=${ROUNDS:-1}
modes=${MODES:-fast durable}
dir=$(mktemp -d /tmp/gonghui-bench-chains.XXXXXX)
key="$dir/bench.key"
pg_dir=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -n "$pg_dir" ] && "$BENCH_ROOT/scripts/pg-temp.sh" stop "$pg_dir"
  rm -rf "$dir"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/deps.sh bench)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no release binary at $BIN (make)" >&2; exit 1; }
AFTER_BIN=$BIN

base_bin=${BASE_BIN:-}
if [ -z "$base_bin" ] && [ -n "${BASE_REV:-}" ]; then
  echo "building $BASE_REV for the 'before' figures…" >&2
  mkdir -p "$dir/base"
  git -C "$BENCH_ROOT" archive "$BASE_REV" | tar -x -C "$dir/base"
  make -C "$dir/base" -j"$(nproc)" all >"$dir/base-build.log" 2>&1 || { tail -20 "$dir/base-build.log"; exit 1; }
  base_bin="$dir/base/build/gonghui"
fi

sql() { psql "$1" -qAtc "$2"; }
json_id() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(!j.id){console.error(s);process.exit(1)}console.log(j.id)})'; }

# The six provinces: the demo's two and four more, each with a grassroots
# union whose members are written to.
extra=("河北省总工会 130000 石家庄压测工会 130102"
       "浙江省总工会 330000 杭州压测工会 330102"
       "山东省总工会 370000 济南压测工会 370102"
       "广东省总工会 440000 广州压测工会 440103")
node "$BENCH_ROOT/bench/gen-members.mjs" $((per_org * 6)) >"$dir/members.csv"
for i in 0 1 2 3 4 5; do
  { head -1 "$dir/members.csv"; tail -n +2 "$dir/members.csv" | sed -n "$((i * per_org + 1)),$(((i + 1) * per_org))p"; } >"$dir/members-$i.csv"
done

# setup TAG BIN: a database with demo data, provinces, members and accounts;
# starts two servers (URL_A, URL_B), writes the wrk scripts.
setup() {
  local tag=$1 bin=$2 db="$pg_root/gonghui_chains_$1"
  sql "$GONGHUI_TEST_PG" "DROP DATABASE IF EXISTS gonghui_chains_$tag WITH (FORCE)"
  sql "$GONGHUI_TEST_PG" "CREATE DATABASE gonghui_chains_$tag"
  "$bin" demo-data --db "$db" --key-file "$key" >/dev/null 2>&1 || { echo "demo-data failed ($tag)" >&2; exit 1; }
  BIN=$bin start_server "$db" "$key"
  pids+=("$SERVER_PID"); URL_A=$URL
  TOKEN=$(login_token "$URL_A" admin Gonghui@2026)
  [ -n "$TOKEN" ] || { echo "log-in failed ($tag)" >&2; exit 1; }
  local national provs grass p gid
  national=$(sql "$db" "SELECT id FROM orgs WHERE level = 'national' ORDER BY id LIMIT 1")
  provs="$(sql "$db" "SELECT id FROM orgs WHERE name IN ('江苏省总工会', '宁夏回族自治区总工会') ORDER BY id" | paste -sd' ' -)"
  grass="$(sql "$db" "SELECT id FROM orgs WHERE name IN ('南京紫金软件股份有限公司工会', '银川宏达物流有限公司工会') ORDER BY id" | paste -sd' ' -)"
  for e in "${extra[@]}"; do
    set -- $e
    p=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"parent_id\":$national,\"level\":\"province\",\"kind\":\"regional\",\"name\":\"$1\",\"region_code\":\"$2\"}" \
      "$URL_A/api/v1/orgs" | json_id)
    gid=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"parent_id\":$p,\"level\":\"grassroots\",\"kind\":\"enterprise\",\"name\":\"$3\",\"region_code\":\"$4\"}" \
      "$URL_A/api/v1/orgs" | json_id)
    provs="$provs $p"; grass="$grass $gid"
  done
  local i=0
  for gid in $grass; do
    "$bin" import members "$dir/members-$i.csv" --org "$gid" --db "$db" --key-file "$key" >/dev/null 2>&1 \
      || { echo "member import failed ($tag, org $gid)" >&2; exit 1; }
    i=$((i + 1))
  done
  # Two accounts of each province (the chart's codes; created as
  # ledger_account would create them on first use).
  local acct="" b f
  for p in $provs; do
    sql "$db" "INSERT INTO ledger_accounts (org_id, code, name, kind, normal_side, created_at) VALUES
      ($p, 'bank', '银行存款', 'asset', 'debit', '2026-01-01T00:00:00Z'),
      ($p, 'fund_balance', '经费结余', 'equity', 'credit', '2026-01-01T00:00:00Z') ON CONFLICT (org_id, code) DO NOTHING"
    b=$(sql "$db" "SELECT id FROM ledger_accounts WHERE org_id = $p AND code = 'bank'")
    f=$(sql "$db" "SELECT id FROM ledger_accounts WHERE org_id = $p AND code = 'fund_balance'")
    acct="$acct{$b,$f},"
  done
  local mids
  mids=$(sql "$db" "SELECT m.id FROM members m WHERE m.org_id IN ($(echo $grass | tr ' ' ,)) ORDER BY m.id" | paste -sd, -)
  [ "$(echo "$mids" | tr , '\n' | wc -l)" -ge $((per_org * 6)) ] || { echo "members missing ($tag)" >&2; exit 1; }
  local seed
  for seed in a b; do
  cat >"$dir/patch-$seed.lua" <<LUA
local ids = {$mids}
local n = 0
math.randomseed(string.byte("$seed") * 7919)
request = function()
  n = n + 1
  local body = string.format('{"employer":"压测单位%d-%d"}', n, math.random(1000000))
  return wrk.format("PATCH", "/api/v1/members/" .. ids[math.random(#ids)],
    {["Authorization"] = "Bearer $TOKEN", ["Content-Type"] = "application/json"}, body)
end
LUA
  cat >"$dir/ledger-$seed.lua" <<LUA
local acc = {$acct}
math.randomseed(string.byte("$seed") * 104729)
request = function()
  local a = acc[math.random(#acc)]
  local body = string.format('{"debit_account_id":%d,"credit_account_id":%d,"amount_fen":%d,"memo":"压测记账"}',
    a[1], a[2], math.random(10000))
  return wrk.format("POST", "/api/v1/ledger/transfers",
    {["Authorization"] = "Bearer $TOKEN", ["Content-Type"] = "application/json"}, body)
end
LUA
  done
  BIN=$bin start_server "$db" "$key"
  pids+=("$SERVER_PID"); URL_B=$URL
  DB=$db
}

teardown() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}

# pair OUT-PREFIX PATH [SCRIPT]: two wrk at once, one per server (each with
# its own copy of the script: another random sequence); sets <prefix>_rps
# (sum), <prefix>_p99 (the larger), <prefix>_bad (non-2xx)
pair() {
  local out=$1 path=$2 script=${3:-}
  wrk_run -t1 -c"$conns" -d"${secs}s" ${script:+-s "$dir/$script-a.lua"} "$URL_A$path" >"$dir/wa" &
  local wa=$!
  wrk_run -t1 -c"$conns" -d"${secs}s" ${script:+-s "$dir/$script-b.lua"} "$URL_B$path" >"$dir/wb" &
  wait "$wa" $!
  read -r ra pa na <"$dir/wa"
  read -r rb pb nb <"$dir/wb"
  printf -v "${out}_rps" '%.0f' "$(echo "$ra + $rb" | bc -l)"
  printf -v "${out}_p99" '%s' "$(echo "if ($pa > $pb) $pa else $pb" | bc -l | sed 's/^\./0./')"
  printf -v "${out}_bad" '%s' $((na + nb))
}

# Busy client connections and those among them waiting for a lock, every
# 0.1 s, from one psql session; sample_stop sets <prefix>_wait (percent).
sample_start() {
  printf "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() \\watch 0.1\n" |
    psql "$GONGHUI_TEST_PG" -qAt -F ' ' >"$dir/samples" 2>/dev/null &
  SAMPLER=$!
  if [ -n "${VERBOSE:-}" ]; then # VERBOSE=1: which waits, with the waiting statement
    printf "SELECT wait_event_type || ':' || wait_event || ' ' || left(query, 60) FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND wait_event IS NOT NULL AND pid <> pg_backend_pid() \\watch 0.1\n" |
      psql "$GONGHUI_TEST_PG" -qAt >"$dir/samples2" 2>/dev/null &
    SAMPLER2=$!
  fi
}
sample_stop() {
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  printf -v "${1}_wait" '%s' "$(awk 'NF == 2 {w += $1; a += $2} END {printf "%.0f", a ? 100 * w / a : 0}' "$dir/samples")"
  if [ -n "${VERBOSE:-}" ]; then kill "$SAMPLER2" 2>/dev/null || true; wait "$SAMPLER2" 2>/dev/null || true
    echo "$1: what busy connections waited for (samples)" >&2; sort "$dir/samples2" | uniq -c | sort -rn | head -8 >&2; fi
}

# measure TAG BIN
measure() {
  local tag=$1 bin=$2
  echo "[$tag] setting up…" >&2
  setup "$tag" "$bin"
  wrk -t1 -c"$conns" -d1s "$URL_A/healthz" >/dev/null 2>&1
  wrk -t1 -c"$conns" -d1s -s "$dir/patch-a.lua" "$URL_A" >/dev/null 2>&1 # warm the caches
  echo "[$tag] measuring…" >&2
  pair "${tag}_health" /healthz
  sample_start
  pair "${tag}_patch" / patch
  sample_stop "${tag}_patch"
  sample_start
  pair "${tag}_ledger" / ledger
  sample_stop "${tag}_ledger"
  teardown
  local v l
  v=$("$bin" audit verify --db "$DB" 2>&1 | tail -1)
  l=$("$bin" ledger check --db "$DB" 2>&1 | tail -1)
  printf -v "${tag}_verify" '%s' "$v"
  printf -v "${tag}_check" '%s' "$l"
  printf -v "${tag}_parts" '%s' "$(sql "$DB" "SELECT COUNT(DISTINCT part) FROM audit_log" 2>/dev/null || echo 1)"
  sql "$GONGHUI_TEST_PG" "DROP DATABASE IF EXISTS gonghui_chains_$tag WITH (FORCE)"
}

ratio() { echo "scale=3; $1 / $2" | bc -l | sed 's/^\./0./'; }
for mode in $modes; do
  case $mode in
    fast) opts="" ;;
    durable) opts="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  eval "$(PG_TEMP_OPTS=$opts "$BENCH_ROOT/scripts/pg-temp.sh" start)"
  pg_dir=$PG_TEMP_DIR
  pg_root=${GONGHUI_TEST_PG%/*}
  settings=$(sql "$GONGHUI_TEST_PG" "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')")
  for r in $(seq 1 "$rounds"); do
    if [ -n "$base_bin" ]; then measure before "$base_bin"; fi
    measure after "$AFTER_BIN"
    {
      echo "PostgreSQL \"$mode\" ($settings), round $r of $rounds: wrk -t1 -c$conns ×2 (one per server), ${secs} s per run, loopback, $(nproc) cores shared by wrk, two servers and PostgreSQL"
      echo "release builds; $((per_org * 6)) members in 6 provinces; lock waits = busy connections waiting for a row lock, sampled every 0.1 s"
      echo
      echo "| scenario | build | req/s (sum of 2 servers) | p99 ms | / healthz | lock waits | non-2xx |"
      echo "|---|---|---|---|---|---|---|"
      for t in ${base_bin:+before} after; do
        for s in health patch ledger; do
          rps="${t}_${s}_rps"; p="${t}_${s}_p99"; bad="${t}_${s}_bad"; h="${t}_health_rps"; w="${t}_${s}_wait"
          case $s in health) label='GET /healthz (baseline)' ;; patch) label='PATCH /api/v1/members/{id}' ;; ledger) label='POST /api/v1/ledger/transfers' ;; esac
          echo "| $label | $t | ${!rps} | ${!p} | $(ratio "${!rps}" "${!h}") | ${!w:+${!w}%} | ${!bad} |"
        done
      done
      if [ -n "$base_bin" ]; then
        echo
        echo "after / before, each normalised by its own /healthz: member PATCH $(ratio "$(ratio "$after_patch_rps" "$after_health_rps")" "$(ratio "$before_patch_rps" "$before_health_rps")"), ledger POST $(ratio "$(ratio "$after_ledger_rps" "$after_health_rps")" "$(ratio "$before_ledger_rps" "$before_health_rps")")"
        echo "after / before, raw: member PATCH $(ratio "$after_patch_rps" "$before_patch_rps"), ledger POST $(ratio "$after_ledger_rps" "$before_ledger_rps")"
        echo "before: $before_verify / $before_check"
      fi
      echo "after:  $after_verify / $after_check (audit partitions written: $after_parts)"
      echo
    } | tee -a "$OUT/chains.txt"
  done
  "$BENCH_ROOT/scripts/pg-temp.sh" stop "$pg_dir"
  pg_dir=""
done
