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
# Then one request at a time, alternating the builds (bench/chain-seq.mjs):
# what one write costs when nothing queues. Then `audit verify` and
# `ledger check` must pass on both databases. While
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
# into a temporary directory, or BASE_BIN=<binary> names a built one. Both
# builds get their own database and two servers each, all up at once; the
# scenarios then alternate between the builds, ROUNDS times (default 3), so
# the load other work puts on the machine meets both alike. Reported: the
# median over the rounds (and the range), each build's ratio to its own
# /healthz, and after/before.
#   BASE_REV=8c56905 bench/chains.sh [seconds per wrk run]   (default 8)
# Prints markdown tables; appends them, with every round, to bench/out/chains.txt.
source "$(dirname "$0")/lib.sh"
secs=${1:-8}
per_org=${MEMBERS_PER_ORG:-50}
conns=${CONNS:-16} # per wrk process, two at once
rounds=${ROUNDS:-3}
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
# starts two servers (URLA[TAG], URLB[TAG]) and writes TAG's wrk scripts.
declare -A URLA URLB DBS
setup() {
  local tag=$1 bin=$2 db="$pg_root/gonghui_chains_$1"
  sql "$GONGHUI_TEST_PG" "CREATE DATABASE gonghui_chains_$tag"
  "$bin" demo-data --db "$db" --key-file "$key" >/dev/null 2>&1 || { echo "demo-data failed ($tag)" >&2; exit 1; }
  BIN=$bin start_server "$db" "$key"
  pids+=("$SERVER_PID"); URLA[$tag]=$URL
  local token
  token=$(login_token "$URL" admin Gonghui@2026)
  [ -n "$token" ] || { echo "log-in failed ($tag)" >&2; exit 1; }
  local national provs grass p gid
  national=$(sql "$db" "SELECT id FROM orgs WHERE level = 'national' ORDER BY id LIMIT 1")
  provs="$(sql "$db" "SELECT id FROM orgs WHERE name IN ('江苏省总工会', '宁夏回族自治区总工会') ORDER BY id" | paste -sd' ' -)"
  grass="$(sql "$db" "SELECT id FROM orgs WHERE name IN ('南京紫金软件股份有限公司工会', '银川宏达物流有限公司工会') ORDER BY id" | paste -sd' ' -)"
  for e in "${extra[@]}"; do
    set -- $e
    p=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"parent_id\":$national,\"level\":\"province\",\"kind\":\"regional\",\"name\":\"$1\",\"region_code\":\"$2\"}" \
      "$URL/api/v1/orgs" | json_id)
    gid=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"parent_id\":$p,\"level\":\"grassroots\",\"kind\":\"enterprise\",\"name\":\"$3\",\"region_code\":\"$4\"}" \
      "$URL/api/v1/orgs" | json_id)
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
  for seed in a b; do # one copy per server: another random sequence
    cat >"$dir/$tag-patch-$seed.lua" <<LUA
local ids = {$mids}
local n = 0
math.randomseed(string.byte("$seed") * 7919)
request = function()
  n = n + 1
  local body = string.format('{"employer":"压测单位%d-%d"}', n, math.random(1000000))
  return wrk.format("PATCH", "/api/v1/members/" .. ids[math.random(#ids)],
    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
LUA
    cat >"$dir/$tag-ledger-$seed.lua" <<LUA
local acc = {$acct}
math.randomseed(string.byte("$seed") * 104729)
request = function()
  local a = acc[math.random(#acc)]
  local body = string.format('{"debit_account_id":%d,"credit_account_id":%d,"amount_fen":%d,"memo":"压测记账"}',
    a[1], a[2], math.random(10000))
  return wrk.format("POST", "/api/v1/ledger/transfers",
    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
LUA
  done
  printf '{"url":"%s","token":"%s","members":[%s],"accounts":[%s]}\n' "$URL" "$token" "$mids" \
    "$(echo "${acct%,}" | sed 's/{/[/g; s/}/]/g')" >"$dir/$tag-target.json"
  BIN=$bin start_server "$db" "$key"
  pids+=("$SERVER_PID"); URLB[$tag]=$URL
  DBS[$tag]=$db
  wrk -t1 -c"$conns" -d1s -s "$dir/$tag-patch-a.lua" "${URLA[$tag]}" >/dev/null 2>&1 # warm the caches
}

# Busy client connections and those among them waiting for a lock, every
# 0.1 s, from one psql session; sample_stop prints the percentage waiting.
sample_start() {
  printf "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() \\\\watch 0.1\n" |
    psql "$GONGHUI_TEST_PG" -qAt -F ' ' >"$dir/samples" 2>/dev/null &
  SAMPLER=$!
}
sample_stop() {
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  awk 'NF == 2 {w += $1; a += $2} END {printf "%.0f", a ? 100 * w / a : 0}' "$dir/samples"
}

# run TAG SCENARIO: two wrk at once, one per server of TAG; appends
# "req/s(sum) p99(larger) lock-wait% non-2xx" to $dir/res-TAG-SCENARIO
run() {
  local tag=$1 sc=$2 path=/ sa="" sb=""
  if [ "$sc" = health ]; then path=/healthz; else sa="$dir/$tag-$sc-a.lua"; sb="$dir/$tag-$sc-b.lua"; fi
  [ "$sc" = health ] || sample_start
  wrk_run -t1 -c"$conns" -d"${secs}s" ${sa:+-s "$sa"} "${URLA[$tag]}$path" >"$dir/wa" &
  local wa=$!
  wrk_run -t1 -c"$conns" -d"${secs}s" ${sb:+-s "$sb"} "${URLB[$tag]}$path" >"$dir/wb" &
  wait "$wa" $!
  local w=-
  [ "$sc" = health ] || w=$(sample_stop)
  read -r ra pa na <"$dir/wa"
  read -r rb pb nb <"$dir/wb"
  echo "$(echo "$ra + $rb" | bc -l) $(echo "if ($pa > $pb) $pa else $pb" | bc -l | sed 's/^\./0./') $w $((na + nb))" >>"$dir/res-$tag-$sc"
}

# median FILE COLUMN; range FILE COLUMN
median() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f", m}'; }
median_f() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m}'; }
range() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.0f–%.0f", lo, hi}'; }
ratio() { echo "scale=9; ($1) / ($2)" | bc -l | awk -v d="${3:-3}" '{printf "%.*f", d, $1}'; }

tags="after"
[ -n "$base_bin" ] && tags="before after"
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
  rm -f "$dir"/res-*
  for t in $tags; do
    echo "[$mode] setting up $t…" >&2
    if [ "$t" = before ]; then setup before "$base_bin"; else setup after "$AFTER_BIN"; fi
  done
  for r in $(seq 1 "$rounds"); do
    order=$tags
    [ $((r % 2)) = 0 ] && [ -n "$base_bin" ] && order="after before"
    for t in $order; do
      echo "[$mode] round $r: $t…" >&2
      for sc in health patch ledger; do run "$t" "$sc"; done
    done
  done
  # One request at a time, alternating the builds: the cost of a write
  # when nothing queues.
  seq_out=""
  if [ -n "$base_bin" ]; then
    echo "[$mode] one request at a time…" >&2
    seq_out=$(node "$BENCH_ROOT/bench/chain-seq.mjs" "$dir/before-target.json" "$dir/after-target.json" 12 150)
  fi
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  {
    echo "PostgreSQL \"$mode\" ($settings): $rounds rounds alternating the builds, wrk -t1 -c$conns ×2 (one per server), ${secs} s per run, loopback, $(nproc) cores shared by wrk, four servers (two per build, idle when not measured) and PostgreSQL"
    echo "release builds; $((per_org * 6)) members in 6 provinces; lock waits = busy connections waiting for a row lock, sampled every 0.1 s"
    echo
    echo "| scenario | build | req/s, median (range) | p99 ms, median | / healthz | lock waits | non-2xx |"
    echo "|---|---|---|---|---|---|---|"
    for t in $tags; do
      h=$(median "$dir/res-$t-health" 1)
      for sc in health patch ledger; do
        f="$dir/res-$t-$sc"
        case $sc in health) label='GET /healthz (baseline)' ;; patch) label='PATCH /api/v1/members/{id}' ;; ledger) label='POST /api/v1/ledger/transfers' ;; esac
        w=""; [ "$sc" = health ] || w="$(median "$f" 3)%"
        echo "| $label | $t | $(median "$f" 1) ($(range "$f" 1)) | $(median_f "$f" 2) | $(ratio "$(median "$f" 1)" "$h" 4) | $w | $(awk '{s += $4} END {print s}' "$f") |"
      done
    done
    if [ -n "$base_bin" ]; then
      echo
      for sc in patch ledger; do
        a=$(median "$dir/res-after-$sc" 1); b=$(median "$dir/res-before-$sc" 1)
        ah=$(median "$dir/res-after-health" 1); bh=$(median "$dir/res-before-health" 1)
        echo "after / before ($sc): $(ratio "$a" "$b") in req/s, $(ratio "$a * $bh" "$b * $ah") normalised by each build's /healthz"
      done
    fi
    if [ -n "$seq_out" ]; then
      echo
      echo "one request at a time (one connection, the builds alternating, median of 12 × 150; ms per request, before → after):"
      echo "$seq_out" | while read -r k b a; do echo "  $k: $b → $a"; done
    fi
    echo
    echo "every round (req/s p99 lock-wait% non-2xx):"
    for t in $tags; do for sc in health patch ledger; do echo "  $t $sc: $(paste -sd'|' "$dir/res-$t-$sc" | sed 's/|/ ; /g')"; done; done
    for t in $tags; do
      bin=$AFTER_BIN; [ "$t" = before ] && bin=$base_bin
      echo "$t: $("$bin" audit verify --db "${DBS[$t]}" --key-file "$key" 2>&1 | tail -1) / $("$bin" ledger check --db "${DBS[$t]}" --key-file "$key" 2>&1 | tail -1)"
    done
    echo "after: audit partitions written: $(sql "${DBS[after]}" "SELECT COUNT(DISTINCT part) FROM audit_log")"
    echo
  } | tee -a "$OUT/chains.txt"
  "$BENCH_ROOT/scripts/pg-temp.sh" stop "$pg_dir"
  pg_dir=""
done
