#!/usr/bin/env bash
# Regenerates lsp/jsonfeatures/testdata/format/goldens.json: VS Code's JSON formatter
# (vscode-json-languageservice, pinned in bench/anchor) on our test configs. Run it
# after adding or changing a config under testdata/ or lsp/jsonfeatures/testdata/format/,
# then `go test ./lsp/jsonfeatures` compares chalice-lsp's formatter with it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node/bin:$PATH"
if [ ! -d bench/anchor/node_modules/vscode-json-languageservice ]; then
  (cd bench/anchor && npm ci --no-audit --no-fund --loglevel=error)
fi
node bench/anchor/json-format-goldens.mjs
