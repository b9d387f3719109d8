#!/usr/bin/env bash
# Type-check (tsc --noEmit) and lint (eslint) the VS Code extension and its test driver, and
# check that package.json contributes every server setting, and unit-test the server lookup.
# Run by `make test`.
set -euo pipefail
EXT=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$EXT/../.." && pwd)
export PATH="$ROOT/.tools/node/bin:$PATH"
command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' \
  || { echo "vscode-lint: Node 22+ is needed; run 'make setup' (scripts/setup.sh editors)" >&2; exit 1; }
cd "$EXT"
[ -d node_modules ] || { echo "vscode-lint: editors/vscode/node_modules is missing; run 'make setup' (scripts/setup.sh editors)" >&2; exit 1; }
# Type-check; the output goes to a scratch folder (for the unit tests), never into out/.
OUT=$(mktemp -d "${TMPDIR:-/tmp}/chalice-vscode-unit.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
npx --no-install tsc -p . --outDir "$OUT/out"
npx --no-install eslint src test
node test/check-manifest.mjs "$ROOT/internal/settings/settings.go"
# Unit tests of the parts that do not need VS Code.
mkdir -p "$OUT/test" && cp test/serverPath.test.mjs "$OUT/test/"
node --test "$OUT/test/serverPath.test.mjs"
echo "vscode-lint: ok"
