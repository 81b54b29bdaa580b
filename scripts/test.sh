#!/bin/bash
# The one test command (make test): builds, then runs every suite —
# unit (cmocka), API (node:test against real servers on SQLite and on a
# throw-away PostgreSQL), browser (headless chromium) and a fuzz smoke run.
# Ends with one summary line "tests: N passed, N failed".
#
# Environment:
#   GONGHUI_SKIP_PG=1       skip the PostgreSQL half (a loud warning is printed)
#   GONGHUI_TEST_PG=URL     use this PostgreSQL server instead of starting one
#   GONGHUI_FUZZ_SECONDS=N  seconds per fuzz harness (default 10)
#   GONGHUI_TEST_ONLY=unit,api,pg,browser,fuzz  run only these suites
set -uo pipefail
cd "$(dirname "$0")/.."

only=${GONGHUI_TEST_ONLY:-unit,api,pg,browser,fuzz}
wants() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

total_pass=0; total_fail=0; failed_suites=""
record() { # suite pass fail
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  if [ "$3" -gt 0 ]; then failed_suites="$failed_suites $1"; fi
}
section() { printf '\n==== %s ====\n' "$*"; }

# node:test with the TAP reporter; its closing "# pass N" / "# fail N" lines
# are the counts. Usage: run_node NAME PG_URL_OR_EMPTY PATH...
run_node() {
  local name=$1 pg=$2; shift 2
  local log; log=$(mktemp)
  GONGHUI_TEST_PG="$pg" node --test --test-reporter=tap --test-concurrency=2 "$@" >"$log" 2>&1
  grep -E '^# (tests|pass|fail|skipped|duration_ms)' "$log" | sed "s/^/$name /"
  local p f
  p=$(grep -E '^# pass ' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail ' "$log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ]; then p=0; f=1; echo "$name: the test runner did not finish"; tail -80 "$log"; fi
  if [ "${f:-0}" -gt 0 ]; then
    echo "---- $name: failures ----"
    grep -n -A60 '^\s*not ok' "$log" | head -400
  fi
  echo "$name: $p passed, $f failed"
  record "$name" "$p" "${f:-0}"
  rm -f "$log"
}

section "依赖 / dependencies"
scripts/deps.sh test || { echo "dependency installation failed"; exit 1; }

section "构建 / build (release + ASan/UBSan)"
make -j"$(nproc)" all san >/dev/null || { make all san; echo "build failed"; exit 1; }
echo "built build/gonghui and build/san/gonghui"

section "代码规范 / style"
if scripts/check-style.sh; then record style 1 0; else record style 0 1; fi
if scripts/check-style.sh --self-test; then record style-self-test 1 0; else record style-self-test 0 1; fi

if wants unit; then
  section "单元测试 / unit"
  out=$(scripts/run-unit.sh build/san/tests/* 2>&1); echo "$out" | tail -5
  p=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  record unit "${p:-0}" "${f:-1}"
fi

if wants api; then
  section "接口测试 / API on SQLite"
  run_node api-sqlite "" tests/api/
fi

if wants pg; then
  section "接口测试 / API on PostgreSQL"
  pg_url=${GONGHUI_TEST_PG:-}
  pg_dir=""
  if [ -z "$pg_url" ] && [ "${GONGHUI_SKIP_PG:-0}" != 1 ]; then
    if env_out=$(scripts/pg-temp.sh start 2>/tmp/gonghui-pg-start.err); then
      eval "$env_out"
      pg_url=$GONGHUI_TEST_PG; pg_dir=$PG_TEMP_DIR
      echo "started a throw-away PostgreSQL: $pg_url"
    else
      cat /tmp/gonghui-pg-start.err
    fi
  fi
  if [ -n "$pg_url" ]; then
    run_node api-postgres "$pg_url" tests/api/ $([ -d tests/pg ] && echo tests/pg/)
  elif [ "${CI:-}" = true ]; then
    echo "!!! PostgreSQL could not be started in CI: failing"
    record api-postgres 0 1
  else
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    echo "!!! SKIPPED: the PostgreSQL half of the API tests (no server could be"
    echo "!!! started; set GONGHUI_TEST_PG=postgres://… to use an existing one)"
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  fi
  [ -n "$pg_dir" ] && scripts/pg-temp.sh stop "$pg_dir"
fi

if wants browser; then
  section "浏览器测试 / browser (headless chromium)"
  run_node browser "" tests/browser/
fi

if wants fuzz; then
  section "模糊测试 / fuzz smoke"
  if scripts/fuzz.sh "${GONGHUI_FUZZ_SECONDS:-10}"; then record fuzz 1 0; else record fuzz 0 1; fi
fi

echo
if [ -n "$failed_suites" ]; then echo "failing suites:$failed_suites"; fi
echo "tests: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
