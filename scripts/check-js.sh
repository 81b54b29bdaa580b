#!/bin/sh
# JavaScript checks for the web UI (ui/js) and the tests (tests/): eslint
# (eslint.config.js) for mistakes, prettier (.prettierrc) for formatting.
# Both come pinned from package-lock.json (scripts/deps.sh runs npm ci).
# Exits non-zero on any problem; `scripts/check-js.sh --fix` rewrites what
# the tools can fix themselves.
set -uf  # no shell globbing: prettier expands the patterns itself
cd "$(dirname "$0")/.."
bin=node_modules/.bin
if [ ! -x "$bin/eslint" ] || [ ! -x "$bin/prettier" ]; then
  echo "check-js: eslint or prettier missing; run scripts/deps.sh (npm ci) first"
  exit 1
fi
files="ui/js tests eslint.config.js"
globs="ui/js/**/*.js tests/**/*.js eslint.config.js"
bad=0
if [ "${1:-}" = --fix ]; then
  # shellcheck disable=SC2086
  "$bin/prettier" --log-level warn --write $globs || bad=1
  # shellcheck disable=SC2086
  "$bin/eslint" --fix $files || bad=1
else
  # shellcheck disable=SC2086
  "$bin/eslint" $files || bad=1
  # shellcheck disable=SC2086
  "$bin/prettier" --log-level warn --check $globs || { echo "  ^ formatting: run scripts/check-js.sh --fix"; bad=1; }
fi
[ $bad -eq 0 ] && echo "js: ok"
exit $bad
