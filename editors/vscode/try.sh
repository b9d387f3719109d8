#!/usr/bin/env bash
# `make try`: start code-server (real VS Code, in your browser) with the Chalice LSP extension
# installed and an example workspace open, on 127.0.0.1. Ctrl-C stops it.
#
#   editors/vscode/try.sh [WORKSPACE]     (default: a scratch copy of testdata/example, else
#                                          testdata/editors/cdkapp)
# Env: PORT (default 8080, else a free one), VSIX (default: dist/ from `make vsix` if up to date,
#      else build one with build-vsix.sh).
# Nothing outside a temporary folder is written; the workspace is a copy.
set -euo pipefail

EXT=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EXT/../.." && pwd)
. "$EXT/test/codeserver.sh"
cs_check_tools || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/chalice-try.XXXXXX")
cleanup() { cs_stop; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

SRC=${1:-}
if [ -z "$SRC" ]; then
  if [ -f "$ROOT/testdata/example/runtime/.chalice/config.json" ]; then SRC="$ROOT/testdata/example"; else SRC="$ROOT/testdata/editors/cdkapp"; fi
fi
[ -d "$SRC" ] || { echo "try: no workspace folder at $SRC" >&2; exit 1; }
cp -R "$SRC" "$TMP/$(basename "$SRC")"
WS="$TMP/$(basename "$SRC")"

# Reuse the .vsix `make vsix` just built if nothing it contains is newer.
built=$(ls "$EXT"/dist/chalice-lsp-*.vsix 2>/dev/null | head -1 || true)
if [ -z "${VSIX:-}" ] && [ -n "$built" ] && [ -x "$ROOT/bin/chalice-lsp" ] && [ ! "$ROOT/bin/chalice-lsp" -nt "$built" ] \
  && [ -z "$(find "$EXT/src" "$EXT/package.json" "$EXT/README.md" -newer "$built" 2>/dev/null | head -1)" ]; then
  VSIX=$built
fi
if [ -z "${VSIX:-}" ]; then
  echo "try: building the extension (.vsix) ..." >&2
  VSIX=$("$EXT/build-vsix.sh" "$TMP/chalice-lsp.vsix" 2>"$TMP/build.log") || { cat "$TMP/build.log" >&2; exit 1; }
fi
cs_prepare "$TMP/cs" "$VSIX"
PORT=${PORT:-8080}
if port_in_use "$PORT"; then
  echo "try: 127.0.0.1:$PORT is already in use; run again with PORT=<a free port> make try" >&2
  exit 1
fi
cs_start "$TMP/cs" "$WS" "$PORT"

cat <<MSG

  Chalice LSP in VS Code (code-server $(env $(cs_env "$TMP/cs") "$CODE_SERVER" --version 2>/dev/null | head -1 | cut -d' ' -f1)) is running:

      $CS_URL/?folder=$WS

  Workspace: a scratch copy of $SRC
  Open runtime/.chalice/config.json or a CDK stack file; the status bar shows packaging.
  From another machine: ssh -L $PORT:127.0.0.1:$PORT <this host>, then open the address above.
  Press Ctrl-C to stop.

MSG
wait "$CS_PID"
