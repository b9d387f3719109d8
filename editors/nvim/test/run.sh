#!/usr/bin/env bash
# Real-editor test for the Neovim plugin: headless Neovim (Debian's 0.7.2 here) + the real
# chalice-lsp server on a scratch copy of testdata/editors/cdkapp.
#
#   editors/nvim/test/run.sh
#
# 1. e2e.lua must pass, with require('chalice_lsp').setup() on Debian's Neovim 0.7 and with
#    vim.lsp.enable('chalice_ls') (lsp/chalice_ls.lua) on Neovim 0.11: the config.json typo is an
#    error diagnostic (and plain JSON files get no client); completion inside get_resource("")
#    lists the app's logical IDs; :LspChalicePackagePreview opens the packaged template; on 0.11
#    config.json also gets document symbols and formatting (structure.lua) and app.py inlay hints
#    with the logical IDs (appids.lua).
# 2. The failure path must fail: the same test expecting a logical ID that does not exist, and
#    the same test with a server that exits at once, must both make Neovim exit non-zero (and
#    not hang).
# Env: CHALICE_LSP_BIN (default <repo>/bin/chalice-lsp), CHALICE_LSP_VENV (default <repo>/.venv),
#      NVIM (default nvim), NVIM011 (default <repo>/.tools/nvim-0.11/bin/nvim),
#      NVIM_TEST_TIMEOUT (seconds per Neovim run, default 180).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
NVIM=${NVIM:-nvim}
NVIM011=${NVIM011:-$ROOT/.tools/nvim-0.11/bin/nvim}
SERVER=${CHALICE_LSP_BIN:-$ROOT/bin/chalice-lsp}
VENV=${CHALICE_LSP_VENV:-$ROOT/.venv}
PER_RUN=${NVIM_TEST_TIMEOUT:-180}

fail() { echo "nvim-test: FAIL: $*" >&2; exit 1; }
command -v "$NVIM" >/dev/null || fail "Neovim ($NVIM) is not installed; run 'make setup' (scripts/setup.sh editors)"
[ -x "$NVIM011" ] || fail "Neovim 0.11 is missing at $NVIM011; run 'make setup' (scripts/setup.sh editors)"
[ -x "$SERVER" ] || fail "no server binary at $SERVER; run 'make build' first (or set CHALICE_LSP_BIN)"
[ -x "$VENV/bin/python" ] || fail "no Python venv at $VENV (chalice package needs it); run 'make setup'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/chalice-nvim-test.XXXXXX")
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

# Hermetic editor + server state: no user config, caches under $TMP.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" \
  XDG_STATE_HOME="$TMP/state" XDG_CACHE_HOME="$TMP/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
export CHALICE_LSP_VENV="$VENV" AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
export CHALICE_NVIM_PLUGIN="$ROOT/editors/nvim"
export PATH="$VENV/bin:$PATH"

# run_nvim NAME SERVER EXPECT_IDS [COMPLETION_WAIT_MS] [STEP_WAIT_MS] -> Neovim's exit status;
# output in $TMP/NAME.log. Env NVIM_BIN and CHALICE_TEST_MODE pick the Neovim and the setup style.
run_nvim() {
  local name=$1 server=$2 ids=$3 wait_ms=${4:-120000} step_ms=${5:-30000}
  local nvim=${NVIM_BIN:-$NVIM}
  rm -rf "$TMP/ws-$name"
  cp -R "$ROOT/testdata/editors/cdkapp" "$TMP/ws-$name"
  local status=0
  CHALICE_LSP_BIN="$server" CHALICE_TEST_WS="$TMP/ws-$name" CHALICE_TEST_EXPECT_IDS="$ids" \
    CHALICE_TEST_TIMEOUT_MS="$wait_ms" CHALICE_TEST_STEP_MS="$step_ms" \
    timeout --kill-after=10 "$PER_RUN" "$nvim" --headless -u NONE -i NONE -n \
    -c "luafile $HERE/e2e.lua" >"$TMP/$name.log" 2>&1 </dev/null || status=$?
  return $status
}

start=$(date +%s)
echo "nvim-test: server $SERVER"

status=0
run_nvim pass "$SERVER" "APIHandler,RestAPI,ResizeImage,EveryHour,DefaultRole" || status=$?
sed 's/^/  /' "$TMP/pass.log"
[ "$status" -eq 0 ] || fail "the end-to-end test failed (exit $status; 124 means it timed out)"
echo "nvim-test: end-to-end test passed on $("$NVIM" --version | head -1) with setup()"

status=0
NVIM_BIN="$NVIM011" CHALICE_TEST_MODE=enable run_nvim enable "$SERVER" "APIHandler,RestAPI,ResizeImage,EveryHour,DefaultRole" || status=$?
sed 's/^/  /' "$TMP/enable.log"
[ "$status" -eq 0 ] || fail "the end-to-end test with vim.lsp.enable failed (exit $status; 124 means it timed out)"
echo "nvim-test: end-to-end test passed on $("$NVIM011" --version | head -1) with vim.lsp.enable('chalice_ls')"

# Failure path 1: an assertion that cannot hold must exit non-zero.
status=0
run_nvim wrong-id "$SERVER" "APIHandler,NoSuchLogicalId" 15000 || status=$?
grep -q 'FAIL: .*NoSuchLogicalId' "$TMP/wrong-id.log" || { sed 's/^/  /' "$TMP/wrong-id.log"; fail "the failing run did not report the missing logical ID"; }
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] && [ "$status" -ne 137 ] \
  || fail "a failing test must exit non-zero before the timeout; Neovim exited $status"
echo "nvim-test: a failing assertion exits $status (good)"

# Failure path 2: a server that dies at once must fail the test, not hang it.
printf '#!/bin/sh\necho "deliberately broken server" >&2\nexit 3\n' >"$TMP/broken-server"
chmod +x "$TMP/broken-server"
status=0
run_nvim broken "$TMP/broken-server" "APIHandler" 10000 10000 || status=$?
grep -q 'FAIL:' "$TMP/broken.log" || { sed 's/^/  /' "$TMP/broken.log"; fail "the broken-server run did not report a failure"; }
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] && [ "$status" -ne 137 ] \
  || fail "a test against a dead server must exit non-zero before the timeout; Neovim exited $status"
echo "nvim-test: a dead server exits $status (good)"

echo "nvim-test: PASS ($(($(date +%s) - start))s)"
