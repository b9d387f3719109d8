#!/usr/bin/env bash
# Third-party LSP clients against the real server (make test-clients, part of make test):
#   conformance: pytest-lsp + lsprotocol, every server->client message of scripted sessions
#                checked strictly under 7 capability profiles and 3 position encodings;
#   eglot:       headless Emacs with eglot on the example workspace.
# Needs `make build` and `make setup-editors` (pytest-lsp in .venv, emacs-nox + elpa-eglot).
# Each suite runs even if the other failed; the exit status is non-zero if any failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export CHALICE_LSP_BIN=${CHALICE_LSP_BIN:-$ROOT/bin/chalice-lsp}
[ -x "$CHALICE_LSP_BIN" ] || { echo "test-clients: $CHALICE_LSP_BIN is missing; run make build" >&2; exit 2; }

failed=()
echo "=== clients-conformance (pytest-lsp)"
# pytest exit codes: 0 all passed, 1 some failed, 2 interrupted, 3 internal error,
# 4 usage error, 5 no tests collected. Only 0 is a pass: 5 would mean the suite
# silently tested nothing.
(cd editors/thirdparty/conformance && timeout --kill-after=30 600 "$ROOT/.venv/bin/python" -m pytest -q -p no:randomly)
rc=$?
case $rc in
  0) echo "--- PASS clients-conformance" ;;
  5) echo "--- FAIL clients-conformance: pytest collected no tests"; failed+=(conformance) ;;
  124|137) echo "--- FAIL clients-conformance: timed out"; failed+=(conformance) ;;
  *) echo "--- FAIL clients-conformance (pytest exit status $rc)"; failed+=(conformance) ;;
esac

# Editor suites never run two at a time on a shared machine: take /tmp/editor-suite.lock,
# unless a caller (`flock /tmp/editor-suite.lock make test`) already holds it, which would
# deadlock a second flock.
lock_held_by_caller() {
  local p=$$
  while [ "${p:-1}" -gt 1 ]; do
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q 'flock.*/tmp/editor-suite.lock' && return 0
    p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
  done
  return 1
}
lock=(flock /tmp/editor-suite.lock)
lock_held_by_caller && lock=()
echo "=== clients-eglot (headless Emacs)"
if "${lock[@]}" editors/thirdparty/eglot/run.sh; then
  echo "--- PASS clients-eglot"
else
  echo "--- FAIL clients-eglot"; failed+=(eglot)
fi

[ ${#failed[@]} -eq 0 ] || { echo "failed client suites: ${failed[*]}"; exit 1; }
echo "clients: all suites passed"
