#!/usr/bin/env bash
# `make test-release`: builds the release (scripts/release.sh into .cache/release) and checks it
# where each platform can be checked from Linux:
#   - linux/amd64 natively and linux/arm64 under qemu-user, windows/amd64 under wine: `version`,
#     `schema` and `check --format json` of testdata/apps/mistakes give what the host build gives;
#   - every binary's format and CPU, and for darwin the minimum macOS, libraries and imports
#     (internal/release/bincheck);
#   - the Windows process control (job object) and interpreter discovery (Scripts\python.exe
#     virtualenvs, $PATHEXT, chalice.exe launchers) under wine: packager's Windows tests;
#   - each .vsix holds its own target's binary and no other, the universal one none; Open VSX's
#     reader (ovsx) accepts each manifest;
#   - `go install ...@latest` from a clean module cache (scripts/test-go-install.sh);
#   - SHA256SUMS matches the archives; linux/amd64 built again from a copy of the tree at another
#     path with empty caches gives the same archive bytes (reproducibility).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT="$ROOT/.cache/release"
log() { printf '\033[1mtest-release:\033[0m %s\n' "$*" >&2; }
fail() { printf 'test-release: FAIL: %s\n' "$*" >&2; exit 1; }
start=$(date +%s)

# One version for the whole run, even if a commit lands meanwhile.
VERSION=$(scripts/version.sh)
RELEASE_VERSION=$VERSION scripts/release.sh "$OUT"
log "release built ($(( $(date +%s) - start ))s)"
HOST="$ROOT/bin/chalice-lsp"
[ -x "$HOST" ] || fail "no host build at bin/chalice-lsp (make build)"
WINE=/usr/lib/wine/wine64
QEMU=$(command -v qemu-aarch64-static || true)
[ -x "$WINE" ] && [ -n "$QEMU" ] || fail "wine64 or qemu-user-static is missing; run scripts/setup.sh release"

# 1. Archives and checksums.
(cd "$OUT" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not match the archives"
for t in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64; do
  ext=tar.gz; [ "${t%_*}" = windows ] && ext=zip
  a="$OUT/chalice-lsp_${VERSION}_$t.$ext"
  [ -f "$a" ] || fail "missing archive $a"
  if [ "$ext" = zip ]; then list=$(unzip -Z1 "$a"); else list=$(tar -tzf "$a"); fi
  exe=chalice-lsp; [ "$ext" = zip ] && exe=chalice-lsp.exe
  [ "$(echo "$list" | LC_ALL=C sort | tr '\n' ' ')" = "CHANGELOG.md LICENSE README.md $exe " ] \
    || fail "$a holds: $(echo $list)"
done
[ "$(wc -l <"$OUT/SHA256SUMS")" -eq 6 ] || fail "SHA256SUMS should list 6 archives"
log "6 archives and SHA256SUMS ok"

# 2. Headers of every binary (darwin cannot run here).
go run ./internal/release/bincheck \
  linux/amd64 "$OUT/build/linux_amd64/chalice-lsp" linux/arm64 "$OUT/build/linux_arm64/chalice-lsp" \
  darwin/amd64 "$OUT/build/darwin_amd64/chalice-lsp" darwin/arm64 "$OUT/build/darwin_arm64/chalice-lsp" \
  windows/amd64 "$OUT/build/windows_amd64/chalice-lsp.exe" windows/arm64 "$OUT/build/windows_arm64/chalice-lsp.exe" >&2

# 3. Run them: same answers as the host build.
export WINEPREFIX="$ROOT/.cache/wine" WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system32.shim" ]; then
  # Wine 8.0 lacks bcryptprimitives.dll (ProcessPrng), which Go 1.24+ binaries load at start;
  # internal/release/winetest/bcryptprimitives.c stands in for it in this private prefix only.
  "$WINE" wineboot -i >/dev/null 2>&1 || true
  ZIG=$(ls "$ROOT"/.tools/release/lib/python3*/site-packages/ziglang/zig | head -1)
  ZIG_GLOBAL_CACHE_DIR="$ROOT/.cache/zig" ZIG_LOCAL_CACHE_DIR="$ROOT/.cache/zig" "$ZIG" cc -target x86_64-windows-gnu -shared -O2 \
    -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" internal/release/winetest/bcryptprimitives.c -ladvapi32
  touch "$WINEPREFIX/system32.shim"
fi
want_schema=$("$HOST" schema)
want_check=$("$HOST" check --format json testdata/apps/mistakes || true)
[ -n "$want_check" ] || fail "the host build's check printed nothing"
runcheck() { # NAME RUNNER... BINARY
  local name=$1; shift
  local v; v=$("$@" version 2>&1) || fail "$name: version failed: $v"
  [ "$v" = "chalice-lsp $VERSION" ] || fail "$name: version says '$v', want 'chalice-lsp $VERSION'"
  [ "$("$@" schema | tr -d '\r')" = "$want_schema" ] || fail "$name: schema differs from the host build's"
  local got rc=0
  got=$("$@" check --format json testdata/apps/mistakes | tr -d '\r' | sed 's#\\\\#/#g') || rc=$?
  [ "$rc" -eq 1 ] || fail "$name: check exited $rc, want 1 (errors found)"
  [ "$got" = "$want_check" ] || { diff <(echo "$want_check") <(echo "$got") >&2 || true; fail "$name: check findings differ from the host build's"; }
  log "$name: version, schema and check ok ($(echo "$got" | grep -o '"code"' | wc -l) findings)"
}
runcheck linux/amd64 "$OUT/build/linux_amd64/chalice-lsp"
runcheck "linux/arm64 (qemu-user)" "$QEMU" -L /usr/aarch64-linux-gnu "$OUT/build/linux_arm64/chalice-lsp"
runcheck "windows/amd64 (wine)" "$WINE" "$OUT/build/windows_amd64/chalice-lsp.exe"

# 4. The Windows process control under wine.
ZIG=$(ls "$ROOT"/.tools/release/lib/python3*/site-packages/ziglang/zig | head -1)
ZIG_GLOBAL_CACHE_DIR="$ROOT/.cache/zig" ZIG_LOCAL_CACHE_DIR="$ROOT/.cache/zig" GOOS=windows GOARCH=amd64 CGO_ENABLED=1 \
  CC="$ZIG cc -target x86_64-windows-gnu" CXX="$ZIG c++ -target x86_64-windows-gnu" \
  go test -c -o "$OUT/packager.test.exe" ./packager || fail "cross-compiling the packager tests for windows failed"
"$WINE" "$OUT/packager.test.exe" -test.run '^(TestWindows.*|TestInterpreterVenvLayouts|TestLauncherInterpreter|TestPathNamesOnWindows)$' -test.v >"$OUT/packager-wine.log" 2>&1 \
  || { cat "$OUT/packager-wine.log" >&2; fail "the Windows process or interpreter tests failed under wine"; }
grep -c '^--- PASS: TestWindows' "$OUT/packager-wine.log" | grep -qx 2 || { cat "$OUT/packager-wine.log" >&2; fail "want 2 passing Windows tests"; }
grep -cE '^--- PASS: (TestInterpreterVenvLayouts|TestLauncherInterpreter|TestPathNamesOnWindows) ' "$OUT/packager-wine.log" | grep -qx 3 \
  || { cat "$OUT/packager-wine.log" >&2; fail "want 3 passing interpreter-discovery tests"; }
log "windows process tree ended on cancel and on server death; Scripts\\python.exe virtualenvs, PATHEXT and chalice.exe found (wine)"

# 5. The VSIXs.
ext_version=$(node -p 'require("./editors/vscode/package.json").version' 2>/dev/null || "$ROOT/.tools/node/bin/node" -p 'require("./editors/vscode/package.json").version')
for pair in linux-x64:linux_amd64 linux-arm64:linux_arm64 darwin-x64:darwin_amd64 darwin-arm64:darwin_arm64 \
  win32-x64:windows_amd64 win32-arm64:windows_arm64 universal:; do
  target=${pair%%:*} build=${pair#*:}
  v="$OUT/vsix/chalice-lsp-$target-$ext_version.vsix"
  [ -f "$v" ] || fail "missing $v"
  entries=$(unzip -Z1 "$v") # listed once: grep -q on a pipe would cut unzip short (pipefail)
  bins=$(grep -E '^extension/bin/|chalice-lsp(\.exe)?$' <<<"$entries" || true)
  if [ -z "$build" ]; then
    [ -z "$bins" ] || fail "the universal vsix holds a binary: $bins"
  else
    exe=chalice-lsp; [ "${target%%-*}" = win32 ] && exe=chalice-lsp.exe
    [ "$bins" = "extension/bin/$target/$exe" ] || fail "$v holds $(echo $bins), want only extension/bin/$target/$exe"
    unzip -p "$v" "extension/bin/$target/$exe" | cmp -s - "$OUT/build/$build/$exe" || fail "$v: the bundled binary is not the $build build"
  fi
  for f in extension/package.json extension/LICENSE.txt extension/icon.png extension/readme.md extension/changelog.md; do
    grep -qix "$f" <<<"$entries" || fail "$v lacks $f"
  done
  grep -q "TargetPlatform=\"$target\"" <(unzip -p "$v" extension.vsixmanifest) || [ -z "$build" ] || fail "$v is not marked for $target"
done
"$ROOT/.tools/node/bin/node" editors/vscode/test/check-vsix.mjs "$ROOT/.tools/release-npm/node_modules/ovsx" "$OUT"/vsix/*.vsix >&2 \
  || fail "Open VSX's reader rejected a vsix"
log "7 VSIXs hold exactly their binary"

# 6. Reproducible: linux/amd64 again from a clone at another path with empty Go and Zig caches.
case $VERSION in
  *-dirty) log "reproducibility not checked: uncommitted changes (a clone would be another version)" ;;
  *)
    R="$ROOT/.cache/repro"
    rm -rf "$R" "$ROOT/.cache/repro-gocache"
    git clone -q "$ROOT" "$R"
    ln -s "$ROOT/.tools" "$R/.tools"
    (cd "$R" && RELEASE_VERSION=$VERSION GOCACHE="$ROOT/.cache/repro-gocache" RELEASE_TARGETS=linux/amd64 RELEASE_VSIX=0 scripts/release.sh "$R/dist" >"$OUT/repro.log" 2>&1) \
      || { cat "$OUT/repro.log" >&2; fail "the second build failed"; }
    cmp "$R/dist/chalice-lsp_${VERSION}_linux_amd64.tar.gz" "$OUT/chalice-lsp_${VERSION}_linux_amd64.tar.gz" >&2 \
      || fail "linux/amd64 built twice gave different bytes (not reproducible)"
    chmod -R u+w "$ROOT/.cache/repro-gocache" 2>/dev/null || true
    rm -rf "$R" "$ROOT/.cache/repro-gocache"
    log "reproducible: the linux/amd64 archive is byte-identical from a second clone with empty caches" ;;
esac
scripts/test-go-install.sh || fail "go install @latest from a clean module cache failed"
log "all release checks passed ($(( $(date +%s) - start ))s)"
