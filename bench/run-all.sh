#!/bin/bash
# Every benchmark in turn (make bench). Installs wrk, sqlite3, PostgreSQL and
# nginx when missing. Figures go to bench/out/*.txt; docs/BENCHMARKS.md
# explains them. Expect tens of minutes at full scale on 2 cores.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh bench
for b in orgs instr members multi fees; do
  echo "==== bench/$b.sh ===="
  "bench/$b.sh"
done
for b in bench/*.sh; do
  case "$(basename "$b")" in lib.sh|run-all.sh|orgs.sh|instr.sh|members.sh|multi.sh|fees.sh) continue ;; esac
  echo "==== $b ===="
  "$b"
done
