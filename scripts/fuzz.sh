#!/bin/sh
# Build every libFuzzer harness in tests/fuzz/ with clang (ASan + UBSan) and
# run each for a few seconds: a smoke run in `make test`, longer by hand:
#   scripts/fuzz.sh 600
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v clang >/dev/null || { echo "clang missing: scripts/deps.sh test"; exit 1; }
mkdir -p build/fuzz
flags="-std=c17 -D_GNU_SOURCE -I. -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -DGH_VERSION=\"fuzz\" $(pkg-config --cflags jansson libsodium xlsxwriter libqrencode libzip expat nettle)"
libs="$(pkg-config --libs jansson libsodium xlsxwriter libqrencode libzip expat nettle) -lm -lpthread"
# base/ has no project knowledge: every harness may link all of it, plus the
# router (it parses untrusted paths).
srcs="$(ls base/*.c) http/router.c"
status=0
for h in tests/fuzz/fuzz_*.c; do
  name=$(basename "$h" .c)
  # shellcheck disable=SC2086
  clang $flags -o "build/fuzz/$name" "$h" $srcs $libs
  corpus=$(mktemp -d)
  seeds="tests/fuzz/seeds/$name"
  [ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2>/dev/null || true
  if "build/fuzz/$name" -max_total_time="$secs" -print_final_stats=0 -close_fd_mask=3 "$corpus" >"build/fuzz/$name.log" 2>&1; then
    runs=$(grep -oE '#[0-9]+' "build/fuzz/$name.log" | tail -1)
    echo "fuzz $name: ok (${runs:-?} runs in ${secs}s)"
  else
    echo "fuzz $name: FAILED"; tail -40 "build/fuzz/$name.log"; status=1
  fi
  rm -rf "$corpus"
done
exit $status
