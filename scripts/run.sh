#!/bin/sh
# make run: create the demo database on first use, then serve.
# GONGHUI_DB / GONGHUI_LISTEN may point elsewhere; the defaults are
# sqlite:var/gonghui.db on http://127.0.0.1:8080.
set -eu
cd "$(dirname "$0")/.."
mkdir -p var
: "${GONGHUI_DB:=sqlite:var/gonghui.db}"
: "${GONGHUI_LISTEN:=127.0.0.1:8080}"
export GONGHUI_DB GONGHUI_LISTEN
build/gonghui demo-data
echo
echo "打开浏览器访问 http://$GONGHUI_LISTEN/ （按 Ctrl+C 停止）"
exec build/gonghui serve
