#!/bin/bash
# Benchmark (issue 5): union fees at provincial scale.
#  1. N enterprises with M months of payments (bench/gen-fees.mjs): import
#     rows/s of the payments file against raw SQLite inserts of the same rows
#     in the same run (sqlite3 .import into a plain table with one unique index);
#  2. a half-year refund run over all enterprises (seconds, transfers/s);
#  3. `gonghui ledger check` over everything.
#   bench/fees.sh [N] [M]   (defaults 300000 36)
source "$(dirname "$0")/lib.sh"
n=${1:-300000}
m=${2:-36}
dir=$(mktemp -d)
db="sqlite:$dir/bench.db"
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b-a}'; }
"$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
union=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '江苏华建建设集团有限公司工会'")
county=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '江宁区总工会'")
city=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '南京市总工会'")
echo "generating $n enterprises × $m months…" >&2
node "$BENCH_ROOT/bench/gen-fees.mjs" "$n" "$m" 2020-01 "$dir" "$union"
rows=$(( $(wc -l < "$dir/payments.csv") - 1 ))

# 1a. raw SQLite baseline: the same payment rows, no checks
sqlite3 "$dir/raw.db" "PRAGMA journal_mode=WAL; CREATE TABLE pay_raw (uscc TEXT, month TEXT, payroll TEXT, amount TEXT, paid_on TEXT, kind TEXT, UNIQUE (uscc, month, kind));" >/dev/null
t0=$(date +%s.%N)
sqlite3 "$dir/raw.db" ".import --csv --skip 1 $dir/payments.csv pay_raw"
t1=$(date +%s.%N)
raw_s=$(secs "$t0" "$t1")

# 1b. gonghui
t0=$(date +%s.%N)
"$BIN" import enterprises "$dir/enterprises.csv" --org "$county" --db "$db" --key-file "$dir/k" >/dev/null 2>&1
t1=$(date +%s.%N)
ent_s=$(secs "$t0" "$t1")
# (the demo data's Jiangsu policies apply: 60/10/10/15/5 split, refunds of
# 2020–2022 fees to small-scale enterprises and those under 20 people)
before=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM fee_payments")
t0=$(date +%s.%N)
"$BIN" import fees "$dir/payments.csv" --org "$county" --db "$db" --key-file "$dir/k" 2>/dev/null | tail -2 >&2
t1=$(date +%s.%N)
gh_s=$(secs "$t0" "$t1")
imported=$(( $(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM fee_payments") - before ))

# 2. a half-year refund run over every enterprise (the demo data already
# holds Nanjing's 2022H2 run, so this is 2022H1: fees of 2020-01..2022-06)
lines0=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM refund_lines")
t0=$(date +%s.%N)
"$BIN" refund run --period 2022H1 --org "$city" --db "$db" --key-file "$dir/k" 2>/dev/null >&2
t1=$(date +%s.%N)
run_s=$(secs "$t0" "$t1")
lines=$(( $(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM refund_lines") - lines0 ))

# 3. ledger check
transfers=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM ledger_transfers")
t0=$(date +%s.%N)
"$BIN" ledger check --db "$db" --key-file "$dir/k" >/dev/null
t1=$(date +%s.%N)
chk_s=$(secs "$t0" "$t1")
size=$(du -m "$dir/bench.db" | cut -f1)
{
  echo "enterprises: $n, months: $m, payment rows: $rows; $(nproc) cores; database $size MiB"
  echo
  echo "| step | rows | seconds | rows/s |"
  echo "|---|---|---|---|"
  echo "| raw SQLite .import of the payment rows (baseline: plain table, one unique index) | $rows | $raw_s | $(awk -v n="$rows" -v s="$raw_s" 'BEGIN {printf "%.0f", n/s}') |"
  echo "| gonghui import fees (check every row, 2% rule, dedupe, split through the ledger, one transaction) | $imported | $gh_s | $(awk -v n="$imported" -v s="$gh_s" 'BEGIN {printf "%.0f", n/s}') |"
  echo "| gonghui import enterprises (credit codes, sealed bank accounts) | $n | $ent_s | $(awk -v n="$n" -v s="$ent_s" 'BEGIN {printf "%.0f", n/s}') |"
  awk -v a="$raw_s" -v b="$gh_s" 'BEGIN {printf "ratio gonghui / raw for payments (rows/s): %.2f\n", a/b}'
  echo
  echo "refund run 2022H1 over $n enterprises: $run_s s, $lines refund lines and as many ledger transfers ($(awk -v n="$lines" -v s="$run_s" 'BEGIN {printf "%.0f", n/s}') transfers/s)"
  echo "ledger check over $transfers transfers: $chk_s s"
} | tee "$OUT/fees.txt"
rm -rf "$dir"
