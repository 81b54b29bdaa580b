#!/bin/bash
# Benchmark (issue 6): recuperation trips.
#  1. The initial load: P providers and N routes through `gonghui import
#     providers` / `gonghui import retreat-routes` (the API's own checks),
#     timed; two departures per route added by SQL as setup.
#  2. The public catalogue with N routes (no log-in) against GET /healthz in
#     the same wrk runs:
#       a. campaign start — everyone opens the same few pages (first page,
#          popular filters, facets): answered from the in-process cache;
#       b. spread — 2,400 distinct list queries (pages × themes × sorts, far
#          more than the cache keeps): the SQL path (page + capped count +
#          one themes query);
#       c. route pages — a random one of the N routes, with its departures.
#  3. Bookings per second with the no-overbooking guarantee:
#       a. throughput — an officer books for distinct members (Bearer session;
#          the whole booking transaction: eligibility, rules, the conditional
#          seat UPDATE, the yearly-trip upsert, the insert, the audit entry)
#          round-robin on D departures with more seats than can be taken in
#          the run;
#       b. rush — 32 connections book one departure of R seats for distinct
#          members for a few seconds, far more requests than seats;
#     afterwards every departure is checked: seats_left >= 0 and
#     seats − seats_left = live bookings, and the rush departure holds exactly
#     R bookings. With
#     BENCH_PG=postgres://user@host:port/db (any database on a server the
#     script may create databases on) the same booking run is repeated on a
#     copy made with `gonghui migrate-data`: several server threads then
#     write at once and only the conditional UPDATE keeps the count.
#   bench/retreat.sh [seconds] [N routes] [members]   (defaults 10 2000 40000)
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
nroutes=${2:-2000}
nmembers=${3:-40000}
nprov=50
ndep=10
seats=$((nmembers / ndep))
rush=200
dir=$(mktemp -d)
db="sqlite:$dir/bench.db"
export GONGHUI_ARGON2_FAST=1
"$BIN" demo-data --db "$db" --key-file "$dir/k" >/dev/null 2>&1
js=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '江苏省总工会'")
zijin=$(sqlite3 "$dir/bench.db" "SELECT id FROM orgs WHERE name = '南京紫金软件股份有限公司工会'")

# ---- 1. the initial load ----
node "$BENCH_ROOT/bench/gen-retreat.mjs" "$dir" "$nroutes" "$nprov"
t0=$(date +%s.%N)
"$BIN" import providers "$dir/providers.csv" --org "$js" --db "$db" --key-file "$dir/k" >/dev/null
t1=$(date +%s.%N)
"$BIN" import retreat-routes "$dir/routes.csv" --org "$js" --db "$db" --key-file "$dir/k" >"$dir/routes.out"
t2=$(date +%s.%N)
prov_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b-a}')
route_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.2f", b-a}')
listed=$(sqlite3 "$dir/bench.db" 'SELECT COUNT(*) FROM retreat_routes WHERE listed = 1')
today=$(TZ=Asia/Shanghai date +%F)
sqlite3 "$dir/bench.db" "
  INSERT INTO retreat_departures (route_id, org_id, depart_date, seats, seats_left, status, created_at, updated_at)
  SELECT id, org_id, date('$today', '+' || (20 + id % 60) || ' days'), 40, CASE WHEN id % 7 = 0 THEN 0 ELSE 40 - id % 40 END,
         'open', '$today', '$today' FROM retreat_routes WHERE code LIKE 'BENCH-%';
  INSERT INTO retreat_departures (route_id, org_id, depart_date, seats, seats_left, status, created_at, updated_at)
  SELECT id, org_id, date('$today', '+' || (90 + id % 60) || ' days'), 40, 40, 'open', '$today', '$today'
    FROM retreat_routes WHERE code LIKE 'BENCH-%';"
lo=$(sqlite3 "$dir/bench.db" "SELECT MIN(id) FROM retreat_routes WHERE code LIKE 'BENCH-%'")
hi=$(sqlite3 "$dir/bench.db" "SELECT MAX(id) FROM retreat_routes WHERE code LIKE 'BENCH-%'")

# members to book for (the yearly subsidised trip allows one booking each)
node "$BENCH_ROOT/bench/gen-members.mjs" "$nmembers" >"$dir/members.csv"
mlo=$(sqlite3 "$dir/bench.db" "SELECT MAX(id) FROM members")
"$BIN" import members "$dir/members.csv" --org "$zijin" --db "$db" --key-file "$dir/k" >/dev/null 2>&1

# the booking route: subsidised, open to the province, D departures of S seats
route=$(sqlite3 "$dir/bench.db" "SELECT id FROM retreat_routes WHERE code = 'BENCH-00001'")
sqlite3 "$dir/bench.db" "
  WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $ndep)
  INSERT INTO retreat_departures (route_id, org_id, depart_date, seats, seats_left, status, note, created_at, updated_at)
  SELECT $route, $js, date('$today', '+' || (200 + n) || ' days'), $seats, $seats, 'open', 'bench', '$today', '$today' FROM k;"
deps=$(sqlite3 "$dir/bench.db" "SELECT group_concat(id, ',') FROM retreat_departures WHERE note = 'bench'")
# the rush: an unsubsidised route (so members who booked above may book again)
rroute=$(sqlite3 "$dir/bench.db" "SELECT id FROM retreat_routes WHERE code = 'BENCH-00002'")
sqlite3 "$dir/bench.db" "UPDATE retreat_routes SET subsidy_fen = 0 WHERE id = $rroute;
  INSERT INTO retreat_departures (route_id, org_id, depart_date, seats, seats_left, status, note, created_at, updated_at)
  VALUES ($rroute, $js, date('$today', '+250 days'), $rush, $rush, 'open', 'rush', '$today', '$today');"
rdep=$(sqlite3 "$dir/bench.db" "SELECT id FROM retreat_departures WHERE note = 'rush'")

# the PostgreSQL copy, taken before anything is booked
pgdb=""
if [ -n "${BENCH_PG:-}" ]; then
  pgname="gh_bench_$$"
  pgadmin=${BENCH_PG%/*}/postgres
  psql "$pgadmin" -qAtc "CREATE DATABASE $pgname" >/dev/null
  pgdb=${BENCH_PG%/*}/$pgname
  "$BIN" migrate-data --from "$db" --to "$pgdb" --key-file "$dir/k" >/dev/null 2>&1 || { echo "migrate-data failed" >&2; exit 1; }
fi

start_server "$db" "$dir/k"
token=$(login_token "$URL" js_officer Gonghui@2026)

enc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
hong=$(enc 红色)
kang=$(enc 康养)
cat >"$dir/popular.lua" <<LUA
local paths = {"/api/v1/retreat/routes", "/api/v1/retreat/routes?page=2", "/api/v1/retreat/routes?theme=$hong",
  "/api/v1/retreat/routes?has_seats=1", "/api/v1/retreat/routes?sort=price_asc", "/api/v1/retreat/routes?theme=$kang&has_seats=1",
  "/api/v1/retreat/facets", "/api/v1/retreat/routes?region=32"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
themes=""
for t in 红色 乡村 康养 研学 休闲 生态; do themes="$themes\"$(enc $t)\", "; done
cat >"$dir/spread.lua" <<LUA
local themes = {$themes}
local sorts = {"newest", "price_asc", "price_desc", "days"}
math.randomseed(42)
request = function()
  local p = math.random(1, 100)
  local t = themes[math.random(1, #themes)]
  local s = sorts[math.random(1, #sorts)]
  return wrk.format("GET", "/api/v1/retreat/routes?per_page=20&page=" .. p .. "&theme=" .. t .. "&sort=" .. s)
end
LUA
cat >"$dir/route.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/retreat/routes/" .. math.random($lo, $hi))
end
LUA
# Each wrk thread books for its own range of members, round-robin over the departures.
cat >"$dir/book.lua" <<LUA
local deps = {$deps}
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("base", $mlo + (counter - 1) * $((nmembers / 2)))
end
local n = 0
request = function()
  n = n + 1
  local m = base + (n - 1) % $((nmembers / 2)) + 1
  local body = '{"departure_id":' .. deps[(n % #deps) + 1] .. ',"member_id":' .. m .. '}'
  return wrk.format("POST", "/api/v1/retreat/bookings", {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
LUA

sed -e "s/local deps = {$deps}/local deps = {$rdep}/" "$dir/book.lua" >"$dir/rush.lua"

wrk -t2 -c32 -d2s "$URL/healthz" >/dev/null 2>&1 # warm-up
wrk -t2 -c32 -d2s -s "$dir/spread.lua" "$URL" >/dev/null 2>&1
read -r h_rps h_p99 h_bad < <(wrk_run -t2 -c64 -d"${secs}s" "$URL/healthz")
read -r a_rps a_p99 a_bad < <(wrk_run -t2 -c64 -d"${secs}s" -s "$dir/popular.lua" "$URL")
read -r b_rps b_p99 b_bad < <(wrk_run -t2 -c64 -d"${secs}s" -s "$dir/spread.lua" "$URL")
read -r c_rps c_p99 c_bad < <(wrk_run -t2 -c64 -d"${secs}s" -s "$dir/route.lua" "$URL")
bytes=$(curl -s "$URL/api/v1/retreat/routes" | wc -c)

# ---- 3. bookings ----
# book QUERY-COMMAND: the throughput run, then the rush, then the checks;
# sets total_req book_p99 booked bad left rush_req rush_booked rush_left
book() {
  q=$1
  book_out=$(wrk --latency -t2 -c16 -d"${secs}s" -s "$dir/book.lua" "$URL" 2>&1)
  total_req=$(echo "$book_out" | awk '/requests in/ {print $1}')
  book_p99=$(echo "$book_out" | awk '/^ +99%/ {print $2}')
  booked=$($q "SELECT COUNT(*) FROM retreat_bookings WHERE departure_id IN ($deps) AND status IN ('pending', 'confirmed')")
  left=$($q "SELECT SUM(seats_left) FROM retreat_departures WHERE id IN ($deps)")
  rush_out=$(wrk -t2 -c32 -d3s -s "$dir/rush.lua" "$URL" 2>&1)
  rush_req=$(echo "$rush_out" | awk '/requests in/ {print $1}')
  rush_booked=$($q "SELECT COUNT(*) FROM retreat_bookings WHERE departure_id = $rdep AND status IN ('pending', 'confirmed')")
  rush_left=$($q "SELECT seats_left FROM retreat_departures WHERE id = $rdep")
  bad=$($q "SELECT COUNT(*) FROM retreat_departures d WHERE d.id IN ($deps, $rdep) AND (d.seats_left < 0 OR d.seats - d.seats_left <>
    (SELECT COUNT(*) FROM retreat_bookings b WHERE b.departure_id = d.id AND b.status IN ('pending', 'confirmed')))")
  [ "$rush_booked" = "$rush" ] || bad=$((bad + 1))
}
sq() { sqlite3 "$dir/bench.db" "$1"; }
pq() { psql "$pgdb" -qAtc "$1"; }
book sq
stop_server
book_rps=$(awk -v a="$booked" -v s="$secs" 'BEGIN {printf "%.0f", a/s}')
req_rps=$(awk -v a="$total_req" -v s="$secs" 'BEGIN {printf "%.0f", a/s}')
s_total=$total_req s_p99=$book_p99 s_booked=$booked s_bad=$bad s_left=$left s_rreq=$rush_req s_rb=$rush_booked s_rl=$rush_left
pg_line=""
if [ -n "$pgdb" ]; then
  start_server "$pgdb" "$dir/k"
  token=$(login_token "$URL" js_officer Gonghui@2026)
  sed -i "s/Bearer [A-Za-z0-9_-]*/Bearer $token/" "$dir/book.lua" "$dir/rush.lua"
  book pq
  stop_server
  pg_line="  PostgreSQL (a copy made by migrate-data, several server threads writing at once): $booked bookings in ${secs}s ($(awk -v a="$booked" -v s="$secs" 'BEGIN {printf "%.0f", a/s}')/s, p99 $book_p99); rush: $rush_req requests, $rush_booked of $rush seats booked, $rush_left left; departures out of balance: $bad"
  psql "$pgadmin" -qAtc "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null
fi
total_req=$s_total book_p99=$s_p99 booked=$s_booked bad=$s_bad left=$s_left rush_req=$s_rreq rush_booked=$s_rb rush_left=$s_rl
r() { awk -v a="$1" -v b="$h_rps" 'BEGIN {printf "%.2f", a/b}'; }
{
  echo "routes: $nroutes imported ($listed listed) from $nprov providers; wrk -t2 -c64 -d${secs}s on loopback, $(nproc) cores shared by server and wrk, SQLite"
  echo "initial load: $nprov providers in ${prov_s}s, $nroutes routes in ${route_s}s ($(awk -v n="$nroutes" -v s="$route_s" 'BEGIN {printf "%.0f", n/s}') routes/s, every row checked as the API checks it, all or none)"
  echo "| scenario | requests/s | p99 ms | non-2xx | ratio to /healthz |"
  echo "|---|---|---|---|---|"
  echo "| GET /healthz (baseline) | $h_rps | $h_p99 | $h_bad | 1.00 |"
  echo "| catalogue, campaign start (8 popular pages, cached) | $a_rps | $a_p99 | $a_bad | $(r "$a_rps") |"
  echo "| catalogue, spread (2,400 distinct queries, SQL path) | $b_rps | $b_p99 | $b_bad | $(r "$b_rps") |"
  echo "| route page, random of $nroutes | $c_rps | $c_p99 | $c_bad | $(r "$c_rps") |"
  echo "first catalogue page: $bytes bytes of JSON (20 routes)"
  echo "bookings (SQLite): $booked in ${secs}s = ${book_rps}/s (p99 $book_p99; $total_req requests) by an officer for distinct members on $ndep departures × $seats seats ($left left)"
  echo "  rush: $rush_req requests for one departure of $rush seats in 3s: $rush_booked booked, $rush_left left, the rest refused as departure_full"
  echo "  departures where seats_left < 0 or seats − seats_left ≠ live bookings (or the rush not exactly full): $bad"
  [ -n "$pg_line" ] && echo "$pg_line"
} | tee "$OUT/retreat.txt"
rm -rf "$dir"
[ "$bad" = 0 ] && ! echo "$pg_line" | grep -q 'balance: [1-9]'
