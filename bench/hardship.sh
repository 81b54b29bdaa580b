#!/bin/bash
# Benchmark (issue 7): workers in hardship at city scale.
#  With N open hardship files (default 200,000) spread over the Nanjing
#  unions of the demo data (the members they belong to are added with them,
#  straight into SQLite: the rows are synthetic, the sealed blob a stand-in,
#  since neither read measured here opens it):
#   1. GET /api/v1/hardship/reviews/due?org_id=<南京市总工会> — the city's
#      review-due list (first page, the total and the overdue count;
#      each request also writes its audit entry);
#   2. POST /api/v1/mutual-aid/calculate — a claim calculation (the plan, the
#      person's enrolment, the rules in force on the admission day);
#  each as requests/s against GET /healthz measured in the same run.
#   bench/hardship.sh [N] [seconds]   (defaults 200000 10)
source "$(dirname "$0")/lib.sh"
n=${1:-200000}
secs=${2:-10}
dir=$(mktemp -d)
db="sqlite:$dir/bench.db"
"$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
today=$(TZ=Asia/Shanghai date +%F)
echo "adding $n members with open hardship files…" >&2
t0=$(date +%s.%N)
sqlite3 "$dir/bench.db" <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
CREATE TEMP TABLE units AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM orgs
  WHERE level = 'grassroots' AND path LIKE (SELECT path FROM orgs WHERE name = '南京市总工会') || '%';
WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < $n)
INSERT INTO members (org_id, name, gender, birth_year, id_hash, id_sealed, id_mask, id_tail, employment_form, frontline,
  craftsman, join_date, status, created_at, updated_at)
SELECT (SELECT id FROM units WHERE k = x % (SELECT COUNT(*) FROM units)), '困难职工' || x, CASE x % 2 WHEN 0 THEN 'male' ELSE 'female' END,
  1970 + x % 30, 'bench' || printf('%027d', x), 'v1:bench', '3201**********' || printf('%04d', x % 10000), printf('%04d', x % 10000),
  'employee', 1, 0, '2015-01-01', 'active', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z' FROM i;
INSERT INTO hardship_files (org_id, member_id, status, category, suggested_category, ethnicity, work_status, household_type,
  medical_insurance, main_cause, secondary_causes, household_size, exclusions, sealed, opened_on, approved_on, last_review_on,
  review_due, created_at, updated_at)
SELECT m.org_id, m.id, 'open', CASE m.id % 3 WHEN 0 THEN 'deep' WHEN 1 THEN 'relative' ELSE 'accident' END, NULL, '汉族', 'employed',
  'urban', 'employee', 'major_illness', ',schooling,', 3, '', 'v1:bench', '2024-01-01', '2024-01-01', '2024-01-01',
  date('$today', printf('%+d days', m.id % 400 - 40)), '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'
FROM members m WHERE m.id_hash LIKE 'bench%';
COMMIT;
ANALYZE;
SQL
t1=$(date +%s.%N)
files=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM hardship_files WHERE status = 'open'")
city=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '南京市总工会'")
plan=$(sqlite3 "$dir/bench.db" "SELECT id FROM mutual_aid_plans ORDER BY id LIMIT 1")
member=$(sqlite3 "$dir/bench.db" "SELECT member_id FROM mutual_aid_enrolments WHERE plan_id = $plan ORDER BY id LIMIT 1")
admission=$(sqlite3 "$dir/bench.db" "SELECT admission_date FROM mutual_aid_claims ORDER BY id LIMIT 1")

start_server "$db" "$dir/k"
token=$(login_token "$URL" nj_officer Gonghui@2026)
cat >"$dir/calc.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"plan_id":$plan,"member_id":$member,"admission_date":"$admission","total_cost_fen":6000000,"basic_insurance_fen":2000000,"other_insurance_fen":0,"out_of_scope_fen":0}'
LUA
check=$(curl -s -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d "{\"plan_id\":$plan,\"member_id\":$member,\"admission_date\":\"$admission\",\"total_cost_fen\":6000000,\"basic_insurance_fen\":2000000}" \
  "$URL/api/v1/mutual-aid/calculate" | sed -n 's/.*"payable_fen":\([0-9]*\).*/\1/p' | head -1)
due=$(curl -s -H "Authorization: Bearer $token" "$URL/api/v1/hardship/reviews/due?org_id=$city" | sed -n 's/.*"overdue":\([0-9]*\).*/\1/p')
curl -s -H "Authorization: Bearer $token" "$URL/api/v1/hardship/reviews/due?org_id=$city" | grep -q '"overdue_exact":false' && due="$due+" 
read -r h_rps h_p99 h_bad < <(wrk_run -t2 -c16 -d"${secs}s" "$URL/healthz")
read -r d_rps d_p99 d_bad < <(wrk_run -t2 -c16 -d"${secs}s" -H "Authorization: Bearer $token" "$URL/api/v1/hardship/reviews/due?org_id=$city")
read -r c_rps c_p99 c_bad < <(wrk_run -t2 -c16 -d"${secs}s" -s "$dir/calc.lua" "$URL/api/v1/mutual-aid/calculate")
rss=$(rss_kib "$SERVER_PID")
stop_server
audits=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'hardship.list'")
{
  echo "hardship: $files open files in the Nanjing subtree (loaded in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b-a}') s); $(nproc) cores, wrk -t2 -c16, ${secs}s each"
  echo
  echo "| request | requests/s | p99 ms | non-2xx | ratio to /healthz |"
  echo "|---|---|---|---|---|"
  echo "| GET /healthz (baseline, same run) | $h_rps | $h_p99 | $h_bad | 1.00 |"
  echo "| GET /api/v1/hardship/reviews/due?org_id=南京市总工会 (overdue: $due) | $d_rps | $d_p99 | $d_bad | $(awk -v a="$d_rps" -v b="$h_rps" 'BEGIN {printf "%.3f", a/b}') |"
  echo "| POST /api/v1/mutual-aid/calculate (payable $check fen) | $c_rps | $c_p99 | $c_bad | $(awk -v a="$c_rps" -v b="$h_rps" 'BEGIN {printf "%.3f", a/b}') |"
  echo "audit entries written by the due-list runs: $audits; server resident memory: $((rss / 1024)) MiB"
} | tee "$OUT/hardship.txt"
rm -rf "$dir"
