#!/usr/bin/env bash
# bench/baseline.sh REV DIR: exports git revision REV's tree into DIR/src and builds its
# chalice-lsp server into DIR/chalice-lsp, for `make bench`'s before/after comparison
# (bench/run.sh compiles the baseline's in-process benchmarks in DIR/src too).
#
# The tree is exported with `git archive` (no worktree: nothing in the repository
# changes) and built there with this machine's Go toolchain, the way `make build`
# builds (go build ./cmd/chalice-lsp), so before and after differ only in their sources. Modules come from the module cache; a module the
# cache lacks is fetched through GOPROXY (the Go module proxy, nothing else).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: bench/baseline.sh REV DIR (REV: a git revision; DIR gets src/ and chalice-lsp)" >&2
  exit 2
fi
rev=$1
dir=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)

commit=$(git -C "$ROOT" rev-parse --verify --quiet "$rev^{commit}") || {
  echo "bench/baseline.sh: '$rev' is not a commit of $ROOT (set BASELINE to a revision from git log, or BASELINE=none; a shallow clone may lack it: git fetch --unshallow)" >&2
  exit 1
}
rm -rf "$dir/src"
mkdir -p "$dir/src"
dir=$(cd "$dir" && pwd)
src=$dir/src
git -C "$ROOT" archive --format=tar "$commit" | tar -x -C "$src"
[ -d "$src/cmd/chalice-lsp" ] || { echo "bench/baseline.sh: $commit has no cmd/chalice-lsp" >&2; exit 1; }
# -mod=mod: the exported tree may need go.sum lines the current go.sum has no say over;
# -buildvcs=false: the export is not a git checkout.
(cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" go build -ldflags "-X main.version=baseline-${commit:0:12}" -o "$dir/chalice-lsp" ./cmd/chalice-lsp)
echo "bench/baseline.sh: built $dir/chalice-lsp from $commit" >&2
