#!/usr/bin/env bash
# Headless Emacs + eglot against the real server on a copy of the example workspace.
# Uses Debian's emacs-nox and elpa-eglot (or an Emacs 29+ with eglot built in).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BIN=${CHALICE_LSP_BIN:-$ROOT/bin/chalice-lsp}
command -v emacs >/dev/null || { echo "eglot: emacs is not installed (make setup-editors)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/chalice-eglot.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -a "$ROOT/testdata/example" "$WORK/example"
export HOME=$WORK/home XDG_CACHE_HOME=$WORK/cache CHALICE_LSP_VENV=${CHALICE_LSP_VENV:-$ROOT/.venv}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
mkdir -p "$HOME"
# --batch never hangs on a prompt; `timeout` bounds a server that never answers.
timeout --kill-after=10 300 emacs --batch \
  --eval '(progn (require (quote package)) (package-initialize))' \
  -l "$ROOT/editors/thirdparty/eglot/eglot-test.el" \
  --eval "(chalice-eglot-test-run \"$WORK/example\" \"$BIN\")"
