#!/usr/bin/env bash
# Tests the README's `go install github.com/chalice-lsp/chalice-lsp/cmd/chalice-lsp@latest`
# as a user runs it: an empty module cache and build cache, GOPATH elsewhere, and this commit
# served as the module's latest version by a local file:// proxy (internal/release/modproxy)
# in front of the real Go proxy for the dependencies. Needs a C compiler (cgo: tree-sitter).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
start=$(date +%s)
# A pseudo-version of this commit, as the Go proxy would give an untagged commit.
version=v0.0.0-$(TZ=UTC git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd)-$(git rev-parse --short=12 HEAD)
go run ./internal/release/modproxy "$ROOT" "$version" "$T/proxy"
upstream=$(go env GOPROXY)
cd "$T"
GOPROXY="file://$T/proxy,$upstream" GONOSUMDB=github.com/chalice-lsp GONOSUMCHECK=1 GOFLAGS=-mod=mod \
  GOMODCACHE="$T/modcache" GOCACHE="$T/gocache" GOPATH="$T/gopath" GOBIN="$T/bin" CGO_ENABLED=1 \
  go install github.com/chalice-lsp/chalice-lsp/cmd/chalice-lsp@latest
got=$("$T/bin/chalice-lsp" version)
"$T/bin/chalice-lsp" check "$ROOT/testdata/apps/mistakes" >/dev/null && { echo "test-go-install: check found no errors in testdata/apps/mistakes" >&2; exit 1; } || [ $? -eq 1 ]
echo "test-go-install: go install ...@latest ($version) from a clean module cache works: '$got' ($(( $(date +%s) - start ))s)" >&2
