#!/bin/sh
# Style rules a compiler does not check: no unsafe string functions, every C
# file opens with a comment saying what it is for, and the layering of
# docs/architecture.md on the #include "…" lines of C files:
#
#   base/ < store/ < domain/ < http/, cli/ < main.c   (tests/, bench/: anything)
#
# a file includes nothing from a layer above its own; base/ includes only
# base/; http/ reaches storage only through domain/ (no store/ include); a
# file in domain/<A>/ includes no other capability's domain/<B>/*_internal.h.
# Every violation is one line: file:line: the rule (what was included).
#
#   scripts/check-style.sh               check the repository (make lint)
#   scripts/check-style.sh --tree DIR    check the C files under DIR instead
#   scripts/check-style.sh --self-test   plant violations in a temporary tree
#                                        and check that each one is reported
set -u
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

self_test() {
  t=$(mktemp -d /tmp/gh-style-test.XXXXXX) || exit 1
  trap 'rm -rf "$t"' EXIT
  plant() { # path, then the lines after the opening comment
    mkdir -p "$t/$(dirname "$1")"
    f=$1; shift
    { echo "/* $f — planted by the self-test. */"; for l in "$@"; do echo "$l"; done; } >"$t/$f"
  }
  # allowed: each layer including below itself, its own internal header,
  # tests including anything, a header found next to the including file
  plant base/b.h '#include "base/err.h"'
  plant base/err.h
  plant store/store.h '#include "base/err.h"'
  plant domain/core/ctx.h '#include "store/store.h"'
  plant domain/retreat/retreat_internal.h '#include "domain/core/ctx.h"'
  plant domain/retreat/retreat.c '#include "domain/retreat/retreat_internal.h"' '#include "retreat_internal.h"'
  plant domain/refund/refund_internal.h
  plant http/http.h '#include "domain/core/ctx.h"'
  plant cli/cli.h '#include "store/store.h"' '#include "domain/core/ctx.h"'
  plant main.c '#include "http/http.h"' '#include "cli/cli.h"' '#include "store/store.h"'
  plant tests/unit/test_x.c '#include "domain/refund/refund_internal.h"' '#include "http/http.h"' '#include "main.c"'
  plant bench/b.c '#include "cli/cli.h"'
  out=$("$self" --tree "$t" 2>&1); rc=$?
  if [ $rc -ne 0 ]; then
    printf 'self-test: a clean tree was refused:\n%s\n' "$out"; exit 1
  fi
  # one planted violation per rule; the line numbers count the comment
  plant base/bad.c '#include "base/err.h"' '#include "store/store.h"'
  plant store/bad.c '#include "domain/core/ctx.h"'
  plant domain/bad/bad.c '#include "http/http.h"'
  plant domain/retreat/retreat_bad.c '#include "domain/refund/refund_internal.h"'
  plant http/bad.c '#include "domain/core/ctx.h"' '#include "store/store.h"'
  plant cli/bad.c '#include "main.c"'
  plant http/nocomment.c
  echo 'int x;' >"$t/http/nocomment.c"
  out=$("$self" --tree "$t" 2>&1); rc=$?
  fail=0
  [ $rc -ne 0 ] || { echo "self-test: violations passed unnoticed"; fail=1; }
  for want in 'base/bad.c:3: ' 'store/bad.c:2: ' 'domain/bad/bad.c:2: ' 'domain/retreat/retreat_bad.c:2: ' \
              'http/bad.c:3: ' 'cli/bad.c:2: ' 'http/nocomment.c: must open'; do
    printf '%s\n' "$out" | grep -qF "$want" || { echo "self-test: no report starting \"$want\""; fail=1; }
  done
  n=$(printf '%s\n' "$out" | grep -c ':[0-9][0-9]*: ')
  [ "$n" -eq 6 ] || { echo "self-test: $n layering reports, want 6"; fail=1; }
  if [ $fail -ne 0 ]; then printf 'checker output:\n%s\n' "$out"; exit 1; fi
  echo "style self-test: ok (7 planted violations reported, clean tree passed)"
  exit 0
}

case "${1:-}" in
  --self-test) self_test ;;
  --tree) cd "$2" || exit 2; tree=1 ;;
  "") cd "$(dirname "$0")/.." ;;
  *) echo "usage: $0 [--tree DIR | --self-test]" >&2; exit 2 ;;
esac
bad=0
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
  files=$(git ls-files '*.c' '*.h' 2>/dev/null; git ls-files --others --exclude-standard '*.c' '*.h' 2>/dev/null)
else
  files=$(find . \( -name node_modules -o -name build -o -name .git \) -prune -o \( -name '*.c' -o -name '*.h' \) -type f -print |
          sed 's|^\./||' | sort)
fi
for f in $files; do
  [ -f "$f" ] || continue
  if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|gets)\s*\(' "$f" | grep -vE '^\s*[0-9]+:\s*(/\*|\*|//)'; then
    echo "  ^ $f: use snprintf / memcpy / strtok_r instead"; bad=1
  fi
  head -c 2 "$f" | grep -q '/\*' || { echo "$f: must open with a comment saying what the file is for"; bad=1; }
done

# Layering. A quoted include names a path from the repository root (-I.);
# one that exists next to the including file is resolved from there first,
# as the preprocessor does.
layers=$(for f in $files; do [ -f "$f" ] && echo "$f"; done | awk '
  function layer(p) {
    if (p ~ /^base\//) return 0
    if (p ~ /^store\//) return 1
    if (p ~ /^domain\//) return 2
    if (p ~ /^(http|cli)\//) return 3
    if (p == "main.c") return 4
    if (p ~ /^(tests|bench)\//) return 5
    return -1
  }
  function exists(p,   l) { if ((getline l < p) >= 0) { close(p); return 1 } return 0 }
  BEGIN { name[0] = "base/"; name[1] = "store/"; name[2] = "domain/"; name[3] = "http/ and cli/"; name[4] = "main.c"; name[5] = "tests/ and bench/" }
  {
    f = $0; lf = layer(f)
    if (lf < 0 || lf == 5) next
    dir = f; sub(/[^\/]*$/, "", dir)
    cap = ""; if (f ~ /^domain\/[^\/]+\//) { cap = f; sub(/^domain\//, "", cap); sub(/\/.*/, "", cap) }
    n = 0
    while ((getline line < f) > 0) {
      n++
      if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/) continue
      inc = line; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
      p = inc
      if (dir != "" && inc !~ /\// && exists(dir inc)) p = dir inc
      lp = layer(p)
      where = f ":" n ": "
      if (lf == 0 && lp != 0) {
        print where "base/ includes only base/ (includes " inc ")"
      } else if (lp < 0) {
        print where "includes " inc ", which is in no layer (base/ store/ domain/ http/ cli/ main.c)"
      } else if (lp > lf) {
        print where name[lf] " must not include from " name[lp] ", a layer above it (includes " inc ")"
      } else if (f ~ /^http\// && p ~ /^store\//) {
        print where "http/ reaches storage only through domain/ (includes " inc ")"
      } else if (cap != "" && p ~ /^domain\/[^\/]+\/[^\/]*_internal\.h$/) {
        b = p; sub(/^domain\//, "", b); sub(/\/.*/, "", b)
        if (b != cap) print where "domain/" cap "/ must not include another capability'"'"'s internal header (includes " inc ")"
      }
    }
    close(f)
  }')
if [ -n "$layers" ]; then
  printf '%s\n' "$layers"; bad=1
fi
# the JavaScript rules belong to the repository, not to a --tree under test
[ -n "${tree:-}" ] || scripts/check-js.sh || bad=1
[ $bad -eq 0 ] && echo "style: ok"
exit $bad
