#!/usr/bin/env bash
# VS Code extensions for a release (called by scripts/release.sh): one .vsix per platform
# (`vsce package --target`), each bundling only its own server binary from OUTDIR/build/, and a
# universal .vsix without a binary that uses `chaliceLsp.server.path` or `chalice-lsp` on PATH.
#
#   scripts/release-vsix.sh OUTDIR
#
# Output: OUTDIR/vsix/chalice-lsp-<target>-<version>.vsix and chalice-lsp-universal-<version>.vsix
# (<version> is package.json's: the Marketplace takes only X.Y.Z).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(cd "$1" && pwd)
export PATH="$ROOT/.tools/node/bin:$PATH"
log() { printf '\033[1mrelease:\033[0m %s\n' "$*" >&2; }
die() { printf 'release: error: %s\n' "$*" >&2; exit 1; }
EXT="$ROOT/editors/vscode"
[ -d "$EXT/node_modules" ] || die "editors/vscode/node_modules is missing; run scripts/setup.sh editors"

# A clean copy of the extension: its sources, LICENSE and CHANGELOG from the root (one copy of
# each in the repository), the real node_modules linked in.
STAGE="$OUT/vsix-stage"
rm -rf "$STAGE" "$OUT/vsix"
mkdir -p "$STAGE" "$OUT/vsix"
(cd "$EXT" && git ls-files -z . | xargs -0 -I{} cp --parents {} "$STAGE/")
ln -s "$(readlink -f "$EXT/node_modules")" "$STAGE/node_modules"
cp "$ROOT/LICENSE" "$ROOT/CHANGELOG.md" "$STAGE/"
cd "$STAGE"
npm run --silent vscode:prepublish >/dev/null || die "the extension does not type-check or bundle"
version=$(node -p 'require("./package.json").version')
# Bundled once above (esbuild: one out/extension.js, no node_modules in the package); vsce
# would run vscode:prepublish again for every target.
node -e 'const f="package.json",p=require("./"+f);delete p.scripts["vscode:prepublish"];require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")'
IMAGES=https://raw.githubusercontent.com/chalice-lsp/chalice-lsp/HEAD/editors/vscode

package() { # TARGET|universal [BUILD_DIR]
  local target=$1 build=${2:-} out="$OUT/vsix/chalice-lsp-$1-$version.vsix" args=()
  rm -rf bin
  if [ -n "$build" ]; then
    local exe=chalice-lsp
    [ "${target%%-*}" = win32 ] && exe=chalice-lsp.exe
    mkdir -p "bin/$target"
    cp "$build/$exe" "bin/$target/$exe"
    chmod 755 "bin/$target/$exe"
    args=(--target "$target")
  fi
  npx --no-install vsce package --no-dependencies "${args[@]}" --baseImagesUrl "$IMAGES" --out "$out" >"$out.log" 2>&1 \
    || { cat "$out.log" >&2; die "vsce package $target failed"; }
  # vsce prints WARNING lines for missing metadata: none may appear.
  if grep -i 'warning' "$out.log" >&2; then die "vsce warned while packaging $target (see above)"; fi
  rm -f "$out.log"
  log "vsix $target ($(du -h "$out" | cut -f1))"
}

for d in "$OUT"/build/*_*/; do
  d=${d%/}
  case $(basename "$d") in
    linux_amd64) package linux-x64 "$d" ;;
    linux_arm64) package linux-arm64 "$d" ;;
    darwin_amd64) package darwin-x64 "$d" ;;
    darwin_arm64) package darwin-arm64 "$d" ;;
    windows_amd64) package win32-x64 "$d" ;;
    windows_arm64) package win32-arm64 "$d" ;;
  esac
done
package universal
rm -rf "$STAGE"
