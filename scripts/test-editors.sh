#!/usr/bin/env bash
# Editor test suites (make test-editors): VS Code extension lint/type-check/unit tests, the
# Neovim plugin in real headless Neovim (0.7 and 0.11), and the VS Code extension in real
# code-server driven by Chromium. Needs `make build` (bin/chalice-lsp) and `make setup-editors`.
# Each suite runs even if an earlier one failed; the exit status is non-zero if any failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

suites=(
  "vscode-lint:editors/vscode/test/lint.sh"
  "nvim-e2e:editors/nvim/test/run.sh"
  "vscode-e2e:editors/vscode/test/e2e/run.sh"
)
passed=0
failed=0
failures=()
for entry in "${suites[@]}"; do
  name=${entry%%:*}
  script=${entry#*:}
  start=$(date +%s)
  echo "=== $name ($script)"
  # A hard ceiling per suite on top of each script's own timeouts.
  if timeout --kill-after=30 900 "$script"; then
    passed=$((passed + 1))
    echo "--- PASS $name ($(($(date +%s) - start))s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "--- FAIL $name ($(($(date +%s) - start))s)"
  fi
done
[ "$failed" -eq 0 ] || echo "failed editor suites: ${failures[*]}"
echo "editors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
