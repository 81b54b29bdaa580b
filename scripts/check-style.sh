#!/bin/sh
# Style rules a compiler does not check: no unsafe string functions, every C
# file opens with a comment saying what it is for.
set -u
cd "$(dirname "$0")/.."
bad=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null; git ls-files --others --exclude-standard '*.c' '*.h' 2>/dev/null)
for f in $files; do
  [ -f "$f" ] || continue
  if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|gets)\s*\(' "$f" | grep -vE '^\s*[0-9]+:\s*(/\*|\*|//)'; then
    echo "  ^ $f: use snprintf / memcpy / strtok_r instead"; bad=1
  fi
  head -c 2 "$f" | grep -q '/\*' || { echo "$f: must open with a comment saying what the file is for"; bad=1; }
done
scripts/check-js.sh || bad=1
[ $bad -eq 0 ] && echo "style: ok"
exit $bad
