#!/bin/sh
# Run every cmocka unit test binary given; print one summary line.
set -u
pass=0; fail=0; failed=""
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  n=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  pass=$((pass + ${n:-0})); fail=$((fail + ${f:-0}))
  if [ $rc -ne 0 ]; then
    [ -z "$f" ] && fail=$((fail + 1))
    failed="$failed $(basename "$t")"
    printf '%s\n' "$out"
  fi
done
echo "unit: $pass passed, $fail failed"
[ -z "$failed" ] || { echo "failing unit test programs:$failed"; exit 1; }
