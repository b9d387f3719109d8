#!/usr/bin/env bash
# bench/baseline.sh REV OUT: builds the chalice-lsp server of git revision REV into the
# file OUT, for `make bench`'s before/after comparison (bench/run.sh).
#
# The revision's tree is exported with `git archive` into a temporary directory (no
# worktree, nothing in the repository changes) and built there with this machine's Go
# toolchain, the way `make build` builds (go build ./cmd/chalice-lsp), so before and
# after differ only in their sources. Modules come from the module cache; a module the
# cache lacks is fetched through GOPROXY (the Go module proxy, nothing else).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: bench/baseline.sh REV OUT (REV: a git revision, OUT: the binary to write)" >&2
  exit 2
fi
rev=$1
out=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)

commit=$(git -C "$ROOT" rev-parse --verify --quiet "$rev^{commit}") || {
  echo "bench/baseline.sh: '$rev' is not a commit of $ROOT (set BASELINE to a revision from git log, or BASELINE=none)" >&2
  exit 1
}
src=$(mktemp -d "${TMPDIR:-/tmp}/chalice-lsp-baseline.XXXXXX")
trap 'rm -rf "$src"' EXIT
git -C "$ROOT" archive --format=tar "$commit" | tar -x -C "$src"
[ -d "$src/cmd/chalice-lsp" ] || { echo "bench/baseline.sh: $commit has no cmd/chalice-lsp" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
# -mod=mod: the exported tree may need go.sum lines the current go.sum has no say over;
# -buildvcs=false: the export is not a git checkout.
(cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" go build -ldflags "-X main.version=baseline-${commit:0:12}" -o "$out" ./cmd/chalice-lsp)
echo "bench/baseline.sh: built $out from $commit" >&2
