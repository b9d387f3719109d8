#!/usr/bin/env bash
# `make release`: chalice-lsp for every platform users have, cross-compiled from Linux with cgo
# (tree-sitter) and Zig (PyPI `ziglang`) as the C compiler, packed as GoReleaser/Mason-style
# archives with SHA256SUMS, plus one VS Code extension (.vsix) per platform and a universal one.
#
#   scripts/release.sh [OUTDIR]          (default: dist)
#
# Env: RELEASE_TARGETS  subset of "linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64
#                       windows/arm64" (default: all)
#      RELEASE_VSIX=0   skip the .vsix files
#      RELEASE_JOBS     builds in parallel (default 2)
#      RELEASE_VERSION  the version to stamp (default: scripts/version.sh)
#
# Reproducible: the same commit gives the same bytes (-trimpath, no build ID, no VCS stamp,
# archive entries sorted with fixed mtime/owner/mode); scripts/test-release.sh checks that.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)
TARGETS=${RELEASE_TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
JOBS=${RELEASE_JOBS:-2}
log() { printf '\033[1mrelease:\033[0m %s\n' "$*" >&2; }
die() { printf 'release: error: %s\n' "$*" >&2; exit 1; }

ZIG=$(ls "$ROOT"/.tools/release/lib/python3*/site-packages/ziglang/zig 2>/dev/null | head -1)
[ -x "$ZIG" ] || die "zig is missing under .tools/release; run scripts/setup.sh release"
export ZIG_GLOBAL_CACHE_DIR="$ROOT/.cache/zig" ZIG_LOCAL_CACHE_DIR="$ROOT/.cache/zig"

VERSION=${RELEASE_VERSION:-$(scripts/version.sh)}
# The date of the commit, not of the build: archive mtimes stay the same across builds.
EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 0)
log "version $VERSION"

# Zig target triples: glibc 2.28 (Debian 10, RHEL 8 and newer) and macOS 11 (Big Sur, the
# first with Apple silicon) as deliberate minimums; zig would default to the newest.
triple() {
  case $1 in
    linux/amd64) echo x86_64-linux-gnu.2.28 ;;
    linux/arm64) echo aarch64-linux-gnu.2.28 ;;
    darwin/amd64) echo x86_64-macos.11.0 ;;
    darwin/arm64) echo aarch64-macos.11.0 ;;
    windows/amd64) echo x86_64-windows-gnu ;;
    windows/arm64) echo aarch64-windows-gnu ;;
    *) die "unknown target $1" ;;
  esac
}

STUBS="$ROOT/.cache/darwin-stubs"
case " $TARGETS " in *darwin*) rm -rf "$STUBS"; go run ./internal/release/darwinstubs "$STUBS" ;; esac

build_one() {
  local t=$1 os=${1%/*} arch=${1#*/} exe=chalice-lsp ldx=""
  [ "$os" = windows ] && exe=chalice-lsp.exe
  local dir="$OUT/build/${os}_${arch}"
  mkdir -p "$dir"
  local cgo_ldflags="" extld=""
  [ "$os" = darwin ] && cgo_ldflags="-F$STUBS -L$STUBS"
  # -s -w strip only what Go's linker writes; the external linker (zig) must drop the C
  # objects' DWARF too, which records the build directory (not reproducible across paths).
  [ "$os" != darwin ] && extld="-extldflags=-s"
  local start=$(date +%s)
  GOOS=$os GOARCH=$arch CGO_ENABLED=1 CC="$ZIG cc -target $(triple "$t")" CXX="$ZIG c++ -target $(triple "$t")" \
    CGO_LDFLAGS="$cgo_ldflags" \
    go build -trimpath -buildvcs=false -ldflags "-s -w -buildid= $extld -X main.version=$VERSION" \
    -o "$dir/$exe" ./cmd/chalice-lsp >"$dir.log" 2>&1 || { cat "$dir.log" >&2; die "build of $t failed"; }
  log "built $t ($(( $(date +%s) - start ))s, $(du -h "$dir/$exe" | cut -f1))"
}
export -f build_one triple log die
export OUT STUBS ZIG VERSION
rm -rf "$OUT/build"
printf '%s\n' $TARGETS | xargs -P "$JOBS" -I{} bash -c 'build_one {}'

# Archives: the binary with LICENSE, README.md and CHANGELOG.md, entries sorted, fixed
# owner/mode/mtime, gzip without a name or timestamp.
stage_files() { cp LICENSE README.md CHANGELOG.md "$1/"; }
rm -f "$OUT"/chalice-lsp_*.tar.gz "$OUT"/chalice-lsp_*.zip "$OUT/SHA256SUMS"
for t in $TARGETS; do
  os=${t%/*} arch=${t#*/} dir="$OUT/build/${os}_${arch}"
  stage_files "$dir"
  name="chalice-lsp_${VERSION}_${os}_${arch}"
  find "$dir" -exec touch -h -d "@$EPOCH" {} +
  if [ "$os" = windows ]; then
    (cd "$dir" && ls | LC_ALL=C sort | TZ=UTC zip -X -q -D "$OUT/$name.zip" -@)
  else
    tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner --mode='u+rwX,go+rX,go-w' \
      --mtime="@$EPOCH" -cf - $(cd "$dir" && ls | LC_ALL=C sort) | gzip -n -9 >"$OUT/$name.tar.gz"
  fi
done
(cd "$OUT" && shopt -s nullglob && sha256sum chalice-lsp_*.tar.gz chalice-lsp_*.zip | LC_ALL=C sort -k2 >SHA256SUMS)
log "archives and SHA256SUMS in $OUT"

[ "${RELEASE_VSIX:-1}" = 0 ] && exit 0
scripts/release-vsix.sh "$OUT"
