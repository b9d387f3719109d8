#!/usr/bin/env bash
# `make demo`: runs the product on the bundled example, end to end, with real tools.
#  1. `chalice-lsp check` on a Chalice project with typical config.json mistakes;
#  2. `chalice-lsp package` on the example runtime: the logical IDs users pass to
#     get_resource(), from a real `chalice package` (cached after the first run);
#  3. `cdk synth` of the Go CDK example that uses construct.NewChalice, with a summary
#     of the synthesized stack;
#  4. a scripted language-server session: completion of logical IDs inside
#     get_resource("") in the Python CDK example, as an editor would ask for it.
set -uo pipefail
cd "$(dirname "$0")/.."
bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
BIN=bin/chalice-lsp

bold "1. chalice-lsp check testdata/apps/mistakes   (exit code 1: errors found)"
$BIN check testdata/apps/mistakes
echo "(exit code $?)"

bold "2. chalice-lsp package testdata/example/runtime --stage demo"
$BIN package --stage demo testdata/example/runtime || exit 1

bold "3. cdk synth of testdata/example/infrastructure (Go construct)"
testdata/example/demo.sh || exit 1

bold "4. language server session: logical-ID completion while typing (before any packaging)"
go run ./scripts/lspdemo -bin "$BIN" || exit 1
