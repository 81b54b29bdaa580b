#!/bin/sh
# Install what gonghui needs from Debian and npm, skipping what is present.
#   scripts/deps.sh          build and run (C libraries, Node packages)
#   scripts/deps.sh test     also what the tests use (chromium, PostgreSQL, nginx, clang fuzzer)
#   scripts/deps.sh bench    also what the benchmarks use (wrk, sqlite3)
set -eu
cd "$(dirname "$0")/.."

pkgs="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libpq-dev nettle-dev libxlsxwriter-dev libqrencode-dev libzip-dev libexpat1-dev libcmocka-dev nodejs npm"
case "${1:-run}" in
  test) pkgs="$pkgs chromium postgresql postgresql-client nginx-light clang libclang-rt-14-dev fonts-noto-cjk sqlite3" ;;
  bench) pkgs="$pkgs wrk sqlite3 postgresql postgresql-client nginx-light valgrind" ;;
esac

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # node and npm may come from elsewhere (nodesource, nvm): a working
    # command is as good as the package.
    case "$p" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  echo "安装缺少的 Debian 软件包:$missing"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Node packages (test tooling, UI libraries), pinned by package-lock.json.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "安装 npm 依赖（npm ci）"
  npm ci --no-audit --no-fund --loglevel=error
fi
