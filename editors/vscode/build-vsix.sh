#!/usr/bin/env bash
# Builds the VS Code extension (.vsix) with the chalice-lsp server bundled for this platform.
#
#   editors/vscode/build-vsix.sh [OUT.vsix]
#
# Env: CHALICE_LSP_BIN  server binary to bundle (default: <repo>/bin/chalice-lsp, built by `make build`)
# Output: editors/vscode/dist/chalice-lsp-<platform>.vsix unless OUT is given. Prints the path.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NODE_BIN="$ROOT/.tools/node/bin"
[ -x "$NODE_BIN/node" ] || { echo "build-vsix: Node 24 is missing at $NODE_BIN; run scripts/setup.sh editors" >&2; exit 1; }
export PATH="$NODE_BIN:$PATH"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  *) echo "build-vsix: unsupported build platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

SERVER=${CHALICE_LSP_BIN:-$ROOT/bin/chalice-lsp}
[ -x "$SERVER" ] || { echo "build-vsix: no server binary at $SERVER; run 'make build' first (or set CHALICE_LSP_BIN)" >&2; exit 1; }

OUT=${1:-$HERE/dist/chalice-lsp-$platform.vsix}
mkdir -p "$(dirname "$OUT")"

cd "$HERE"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --silent --no-audit --no-fund
fi

# Only this platform's binary goes in (vsce --target marks the .vsix as linux-x64 etc.).
rm -rf bin out
mkdir -p "bin/$platform"
cp "$SERVER" "bin/$platform/chalice-lsp"
chmod 755 "bin/$platform/chalice-lsp"

npx --no-install vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links --target "$platform" --out "$OUT" >&2
echo "$OUT"
