#!/usr/bin/env bash
# Real-editor test for the VS Code extension: code-server (VS Code 1.139) with the packaged .vsix
# installed, driven by playwright-core and Debian's Chromium on a scratch copy of
# testdata/editors/cdkapp. Checks: the config.json typo shows an error squiggle and a Problems
# count (once, no duplicate from the JSON extension); completion inside get_resource("") lists
# the logical IDs in the suggest widget; "Chalice: Package & preview template" opens the template;
# config.json gets Format Document, breadcrumbs, an Outline and folding from the server.
# Then, with Workspace Trust on (e2e-trust.mjs): Restricted Mode validates but never packages;
# trusting the folder reaches the server and packaging starts.
#
#   editors/vscode/test/e2e/run.sh
#
# Env: VSIX (default: build one with build-vsix.sh from CHALICE_LSP_BIN or <repo>/bin/chalice-lsp),
#      CHROMIUM (default /usr/bin/chromium), E2E_TIMEOUT (seconds for the browser part, default 420),
#      UPDATE_SCREENSHOT=1 also copies the completion screenshot to editors/vscode/screenshot.png
#      and the config.json Outline/breadcrumbs/folding one to editors/vscode/screenshot-config.png,
#      E2E_ONLY=trust runs only the workspace-trust scenario, E2E_ONLY=structure only config.json's
#      structure scenario (Format Document, breadcrumbs, Outline, folding; e2e-structure.mjs).
# Screenshots and logs: editors/vscode/test/artifacts/ (git-ignored).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(cd "$HERE/../.." && pwd)
ROOT=$(cd "$EXT/../.." && pwd)
# shellcheck source=../codeserver.sh
. "$EXT/test/codeserver.sh"

fail() { echo "vscode-test: FAIL: $*" >&2; exit 1; }
cs_check_tools || fail "tools missing"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "Chromium is missing at $CHROMIUM; run 'make setup' (scripts/setup.sh editors)"
PLAYWRIGHT_CORE="$ROOT/.tools/editors/node_modules/playwright-core"
[ -d "$PLAYWRIGHT_CORE" ] || fail "playwright-core is missing; run 'make setup' (scripts/setup.sh editors)"
[ -x "${CHALICE_LSP_VENV:-$ROOT/.venv}/bin/python" ] || fail "no Python venv at ${CHALICE_LSP_VENV:-$ROOT/.venv}; run 'make setup'"

ARTIFACTS="$EXT/test/artifacts"
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/chalice-vscode-test.XXXXXX")
cleanup() {
  cs_stop
  # Keep the logs a failure needs next to the screenshots.
  local d
  for d in cs cs-trust; do
    [ -d "$TMP/$d/user-data/logs" ] && cp -R "$TMP/$d/user-data/logs" "$ARTIFACTS/$d-logs" 2>/dev/null
    cp "$TMP/$d/code-server.log" "$ARTIFACTS/$d-code-server.log" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

start=$(date +%s)
if [ -z "${VSIX:-}" ]; then
  VSIX=$("$EXT/build-vsix.sh" "$TMP/chalice-lsp.vsix") || fail "building the .vsix failed"
fi
[ -f "$VSIX" ] || fail "no .vsix at $VSIX"
echo "vscode-test: packaged $VSIX ($(($(date +%s) - start))s)"

if [ "${E2E_ONLY:-}" != trust ]; then
cp -R "$ROOT/testdata/editors/cdkapp" "$TMP/ws"
cs_prepare "$TMP/cs" "$VSIX" || fail "installing the extension into code-server failed"
PORT=$(e2e_port) || fail "no port for code-server"
cs_start "$TMP/cs" "$TMP/ws" "$PORT" || fail "code-server did not start"
echo "vscode-test: code-server $(env $(cs_env "$TMP/cs") "$CODE_SERVER" --version 2>/dev/null | head -1) on $CS_URL"

status=0
if [ "${E2E_ONLY:-}" != structure ]; then
HOME="$TMP/cs/home" E2E_URL="$CS_URL" E2E_WS="$TMP/ws" E2E_ARTIFACTS="$ARTIFACTS" PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" \
  CHROMIUM="$CHROMIUM" E2E_EXPECT_IDS="${E2E_EXPECT_IDS:-APIHandler,RestAPI,ResizeImage,EveryHour}" \
  timeout --kill-after=10 "${E2E_TIMEOUT:-420}" "$NODE_BIN/node" "$HERE/e2e.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "vscode-test: server log (Chalice LSP output channel):" >&2
  find "$TMP/cs/user-data/logs" -name '*Chalice LSP*' -exec tail -n 40 {} \; >&2 2>/dev/null || true
  fail "the browser test failed (exit $status; 124 means it timed out); screenshots in $ARTIFACTS"
fi
echo "vscode-test: main scenario passed ($(($(date +%s) - start))s)"
fi
# config.json structure (e2e-structure.mjs): Format Document, breadcrumbs, Outline, folding.
HOME="$TMP/cs/home" E2E_URL="$CS_URL" E2E_WS="$TMP/ws" E2E_ARTIFACTS="$ARTIFACTS" PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" \
  CHROMIUM="$CHROMIUM" timeout --kill-after=10 "${E2E_TIMEOUT:-420}" "$NODE_BIN/node" "$HERE/e2e-structure.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  find "$TMP/cs/user-data/logs" -name '*Chalice LSP*' -exec tail -n 40 {} \; >&2 2>/dev/null || true
  fail "the config.json structure test failed (exit $status; 124 means it timed out); screenshots in $ARTIFACTS"
fi
echo "vscode-test: config.json structure scenario passed ($(($(date +%s) - start))s)"
if [ "${UPDATE_SCREENSHOT:-}" = 1 ]; then
  cp "$(ls "$ARTIFACTS"/[0-9][0-9]-structure-folded-stages-formatted.png | head -1)" "$EXT/screenshot-config.png"
  echo "vscode-test: updated $EXT/screenshot-config.png"
fi
cs_stop
[ "${E2E_ONLY:-}" = structure ] && { echo "vscode-test: PASS (structure only); screenshots in $ARTIFACTS"; exit 0; }
fi

# Workspace trust: a second code-server with Workspace Trust on, on a fresh copy.
cp -R "$ROOT/testdata/editors/cdkapp" "$TMP/ws-trust"
# A hostile repository: code actions on save that would package (and so import app.py, which
# leaves a marker) if anything ran them in Restricted Mode.
mkdir -p "$TMP/ws-trust/.vscode"
printf '%s\n' '{"editor.codeActionsOnSave": {"source.chalice": "explicit"}, "files.autoSave": "off"}' >"$TMP/ws-trust/.vscode/settings.json"
MARKER="$TMP/app-imported"
{ printf 'open(%s, "w").write("imported")\n' "'$MARKER'"; cat "$ROOT/testdata/editors/cdkapp/runtime/app.py"; } >"$TMP/ws-trust/runtime/app.py"
export CS_TRUST=true
cs_prepare "$TMP/cs-trust" "$VSIX" || fail "installing the extension into code-server failed"
PORT=$(e2e_port) || fail "no port for code-server"
cs_start "$TMP/cs-trust" "$TMP/ws-trust" "$PORT" || fail "code-server did not start"
status=0
HOME="$TMP/cs-trust/home" E2E_URL="$CS_URL" E2E_WS="$TMP/ws-trust" E2E_MARKER="$MARKER" E2E_USER_DATA="$TMP/cs-trust/user-data" E2E_ARTIFACTS="$ARTIFACTS" \
  PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" CHROMIUM="$CHROMIUM" E2E_EXPECT_IDS="${E2E_EXPECT_IDS:-APIHandler,RestAPI,ResizeImage,EveryHour}" \
  timeout --kill-after=10 "${E2E_TIMEOUT:-420}" "$NODE_BIN/node" "$HERE/e2e-trust.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  find "$TMP/cs-trust/user-data/logs" -name '*Chalice LSP*' -exec tail -n 40 {} \; >&2 2>/dev/null || true
  fail "the workspace-trust test failed (exit $status; 124 means it timed out); screenshots in $ARTIFACTS"
fi
echo "vscode-test: workspace-trust scenario passed"

if [ "${UPDATE_SCREENSHOT:-}" = 1 ]; then
  cp "$(ls "$ARTIFACTS"/[0-9][0-9]-completion.png | head -1)" "$EXT/screenshot.png"
  echo "vscode-test: updated $EXT/screenshot.png"
fi
echo "vscode-test: PASS ($(($(date +%s) - start))s); screenshots in $ARTIFACTS"
