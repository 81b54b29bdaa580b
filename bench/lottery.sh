#!/bin/bash
# Benchmark (issue 8): voucher lotteries.
#  1. The RFC 3797 draw for 100,000 and 1,000,000 entrants with 10% winners:
#     the Fenwick-tree draw against the RFC's plain remove-from-a-list loop,
#     both through `gonghui lottery verify` on the same generated entrant list
#     in the same run, outputs compared byte for byte (timings are of the
#     selection itself, as the command reports them; PLAIN_MAX limits the pool
#     the plain loop runs on — it is quadratic).
#  2. The draw inside the server: N entrants (members and entries written by
#     SQL as setup), freeze the pool (entry numbers, list file, SHA-256), then
#     POST …/draw: picks and vouchers written, 10% winners.
#  3. Redemptions per second with the exactly-once guarantee: every code sent
#     by two tills at the same moment (exactly one 200, one 409, checked),
#     against the read-only check of the same codes (POST /vouchers/lookup)
#     as the baseline in the same run.
#   bench/lottery.sh [N_SERVER] [REDEEM] [CONCURRENCY]   (defaults 100000 5000 4)
source "$(dirname "$0")/lib.sh"
nsrv=${1:-100000}
nred=${2:-5000}
conc=${3:-4}
plain_max=${PLAIN_MAX:-1000000}
dir=$(mktemp -d)
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b-a}'; }
src="3 7 12 19 26 31 9/5 8 2 6 0"
took() { sed -n 's/.*用时 \([0-9.]*\) 秒.*/\1/p'; }

# ---- 1. the selection alone ----
draw_rows=""
for n in 100000 1000000; do
  k=$((n / 10))
  seq 1 "$n" | awk '{printf "%d\t张*明\t%04d\n", $1, $1 % 10000}' >"$dir/e$n.txt"
  tree=$("$BIN" lottery verify --entrants "$dir/e$n.txt" --sources "$src" --count "$k" 2>&1 >"$dir/tree$n.out" | took)
  if [ "$n" -le "$plain_max" ]; then
    plain=$("$BIN" lottery verify --entrants "$dir/e$n.txt" --sources "$src" --count "$k" --plain 2>&1 >"$dir/plain$n.out" | took)
    cmp -s "$dir/tree$n.out" "$dir/plain$n.out" && same="identical" || same="DIFFERENT"
    draw_rows="$draw_rows| $n | $k | $(( n > 65535 ? 4 : 2 )) | $tree | $plain | $(awk -v a="$plain" -v b="$tree" 'BEGIN {printf "%.0f", a/b}')× | $same |\n"
  else
    draw_rows="$draw_rows| $n | $k | $(( n > 65535 ? 4 : 2 )) | $tree | (not run: PLAIN_MAX=$plain_max) | | |\n"
  fi
done

# ---- 2 + 3. the server ----
db="sqlite:$dir/bench.db"
GONGHUI_ARGON2_FAST=1 "$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
export GONGHUI_ARGON2_FAST=1
start_server "$db" "$dir/k"
admin=$(login_token "$URL" admin Gonghui@2026)
nj=$(login_token "$URL" nj_officer Gonghui@2026)
nj_org=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '南京市总工会'")
zijin=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '南京紫金软件股份有限公司工会'")
post() { curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$URL$2"; }
jget() { node -e 'let s="";process.stdin.on("data",(d)=>{s+=d}).on("end",()=>{try{const v=JSON.parse(s)[process.argv[1]];console.log(v===undefined?"":v)}catch{console.log("")}})' "$1"; }
prov=$(post "$admin" /api/v1/providers "{\"org_id\":$nj_org,\"kind\":\"retreat_base\",\"name\":\"压测疗休养基地\",\"region_code\":\"320115\"}" | jget id)
post "$admin" "/api/v1/providers/$prov/status" '{"status":"admitted","reason":"压测"}' >/dev/null
for t in 1 2; do
  post "$admin" /api/v1/users "{\"login\":\"bench_till$t\",\"display_name\":\"压测收银台$t\",\"role\":\"provider\",\"provider_id\":$prov,\"password\":\"Provider@2026\"}" >/dev/null
done
till1=$(login_token "$URL" bench_till1 Provider@2026)
till2=$(login_token "$URL" bench_till2 Provider@2026)
today=$(TZ=Asia/Shanghai date +%F)
closes=$(date -u -d '+4 sec' +%Y-%m-%dT%H:%M:%SZ)
# sources draw strictly after the close day; the setup below moves them to
# today (the draw day arrives) so the draw can be measured now
srcday=$(TZ=Asia/Shanghai date -d '+4 sec +1 day' +%F)
camp=$(post "$nj" /api/v1/lottery/campaigns "{\"title\":\"压测消费券\",\"org_id\":$nj_org,\"face_value_fen\":10000,\"voucher_count\":$((nsrv / 10)),\"valid_from\":\"$today\",\"valid_to\":\"2099-12-31\",\"signup_opens_at\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"signup_closes_at\":\"$closes\",\"sources\":[{\"name\":\"双色球\",\"draw_date\":\"$srcday\"},{\"name\":\"排列5\",\"draw_date\":\"$srcday\"}],\"provider_ids\":[$prov]}" | jget id)
[ -n "$camp" ] || { echo "campaign not created" >&2; stop_server; exit 1; }
# setup by SQL: N members and their entries (sign-up itself is not what is measured here)
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
sqlite3 "$dir/bench.db" <<SQL >/dev/null
PRAGMA busy_timeout = 10000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $nsrv)
INSERT INTO members (org_id, name, gender, birth_year, id_hash, id_sealed, id_mask, id_tail, mobile_tail, employment_form, join_date, status, created_at, updated_at)
SELECT $zijin, '压测会员' || i, 'male', 1985, 'bench-' || i, 'x', '3201**********0000', '0000', substr('000' || (i % 10000), -4), 'employee', '2020-01-01', 'active', '$now', '$now' FROM n;
INSERT INTO lottery_entries (campaign_id, member_id, org_id, name_mask, mobile_tail, created_at)
SELECT $camp, id, org_id, '压*' || substr(name, -1), mobile_tail, '$now' FROM members WHERE id_hash LIKE 'bench-%' ORDER BY id;
UPDATE lottery_campaigns SET entrants = (SELECT COUNT(*) FROM lottery_entries WHERE campaign_id = $camp) WHERE id = $camp;
UPDATE lottery_sources SET draw_date = '$today' WHERE campaign_id = $camp;
COMMIT;
SQL
sleep 5
t0=$(date +%s.%N)
post "$nj" "/api/v1/lottery/campaigns/$camp/freeze" '{}' >/dev/null
t1=$(date +%s.%N)
freeze_s=$(secs "$t0" "$t1")
t0=$(date +%s.%N)
drawn=$(post "$nj" "/api/v1/lottery/campaigns/$camp/draw" "{\"sources\":[\"3 7 12 19 26 31 9\",\"5 8 2 6 0\"]}" | jget winners)
t1=$(date +%s.%N)
draw_s=$(secs "$t0" "$t1")

# codes in clear for the load: the operator holds the key file, so new codes
# are written with their keyed hashes (the server keeps only hashes and
# sealed codes; this setup replaces the hashes of $nred vouchers)
python3 - "$dir/bench.db" "$dir/k" "$camp" "$nred" "$dir/codes.txt" <<'PY'
import hashlib, secrets, sqlite3, sys
db, keyfile, camp, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
hk = open(keyfile, 'rb').read()[32:64]
A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
def code():
    v = [secrets.randbelow(32) for _ in range(23)]
    f, s = 2, 0
    for x in reversed(v):
        a = f * x; f = 1 if f == 2 else 2; s += a // 32 + a % 32
    v.append((32 - s % 32) % 32)
    return ''.join(A[x] for x in v)
c = sqlite3.connect(db, timeout=30)
ids = [r[0] for r in c.execute('SELECT id FROM vouchers WHERE campaign_id = ? AND status = ? ORDER BY id LIMIT ?', (camp, 'issued', n))]
rows, codes = [], []
for i in ids:
    k = code(); codes.append('-'.join(k[j:j + 4] for j in range(0, 24, 4)))
    rows.append((hashlib.blake2b(('voucher:' + k).encode(), key=hk, digest_size=32).hexdigest()[:32], i))
with c:
    c.executemany('UPDATE vouchers SET code_hash = ? WHERE id = ?', rows)
open(out, 'w').write('\n'.join(codes) + '\n')
PY
base=$(node "$BENCH_ROOT/bench/lottery-client.mjs" "$URL" "$till1" "$till2" "$dir/codes.txt" "$conc" lookup)
red=$(node "$BENCH_ROOT/bench/lottery-client.mjs" "$URL" "$till1" "$till2" "$dir/codes.txt" "$conc" redeem)
transfers=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM ledger_transfers WHERE ref_type = 'voucher'")
redeemed=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM vouchers WHERE campaign_id = $camp AND status = 'redeemed'")
stop_server
"$BIN" ledger check --db "$db" --key-file "$dir/k" >/dev/null && ledger="ledger check passed" || ledger="LEDGER CHECK FAILED"
read -r bn bs brps bcps bok bbad bcounts <<<"$base"
read -r rn rs rrps rcps rok rbad rcounts <<<"$red"
{
  echo "voucher lottery benchmark — $(nproc) cores, $(date -u +%F)"
  echo
  echo "1. RFC 3797 selection (gonghui lottery verify, release build; seconds of the selection itself)"
  echo
  echo "| entrants | winners | index bytes | Fenwick tree s | plain RFC loop s | plain / tree | outputs |"
  echo "|---|---|---|---|---|---|---|"
  printf "%b" "$draw_rows"
  echo
  echo "2. draw in the server (SQLite): $nsrv entrants, $drawn winners"
  echo "   freeze (entry numbers, list file, SHA-256): ${freeze_s} s; draw (key, selection, picks, vouchers with sealed codes): ${draw_s} s"
  echo
  echo "3. redemption, each of $rn codes sent by two tills at once ($conc pairs in flight)"
  echo
  echo "| run | requests/s | codes/s | exactly once | problems |"
  echo "|---|---|---|---|---|"
  echo "| baseline: POST /vouchers/lookup (read-only check of the same codes) | $brps | $bcps | — | $bbad |"
  echo "| POST /vouchers/redeem (conditional UPDATE, ledger transfer, audit; one transaction) | $rrps | $rcps | $rok of $rn | $rbad |"
  awk -v a="$bcps" -v b="$rcps" 'BEGIN {printf "ratio redeem / lookup (codes/s): %.2f\n", b/a}'
  echo "vouchers redeemed: $redeemed; ledger transfers of type voucher: $transfers; $ledger"
} | tee "$OUT/lottery.txt"
rm -rf "$dir"
