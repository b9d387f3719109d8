# Shared by test/e2e/run.sh and try.sh (source it): start code-server (real VS Code) with the
# packaged extension in a throwaway profile.
#
# Needs ROOT set to the repository root. Provides:
#   cs_prepare DIR VSIX          profile under DIR (home, user data, extensions) + install VSIX
# With CS_TRUST=true (both calls) Workspace Trust is on and code-server asks at startup;
# otherwise every folder is trusted (--disable-workspace-trust).
#   cs_start DIR WORKSPACE PORT  start code-server in the background, wait until it answers;
#                                sets CS_PID (process group leader) and CS_URL
#   cs_stop                      stop what cs_start started
#   e2e_port                     print the fixed loopback port the tests use, or fail if it is taken

NODE_BIN="$ROOT/.tools/node/bin"
CODE_SERVER="$ROOT/.tools/editors/node_modules/.bin/code-server"
CS_PID=""
CS_URL=""

cs_check_tools() {
  [ -x "$NODE_BIN/node" ] || { echo "Node 24 is missing at $NODE_BIN; run 'make setup' (scripts/setup.sh editors)" >&2; return 1; }
  [ -x "$CODE_SERVER" ] || { echo "code-server is missing at $CODE_SERVER; run 'make setup' (scripts/setup.sh editors)" >&2; return 1; }
}

# port_in_use PORT: something already accepts connections on 127.0.0.1:PORT.
port_in_use() {
  "$NODE_BIN/node" -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$1"
}

# The tests use one fixed, documented loopback port (not a random one, so a run is the same
# every time): 127.0.0.1:${CHALICE_LSP_E2E_PORT:-47613}. A clash is reported, never worked around.
e2e_port() {
  local port=${CHALICE_LSP_E2E_PORT:-47613}
  if port_in_use "$port"; then
    echo "127.0.0.1:$port (the VS Code test's fixed port) is already in use: stop whatever listens there" \
      "(another editor-suite run?) or set CHALICE_LSP_E2E_PORT to a free port" >&2
    return 1
  fi
  echo "$port"
}

# The environment code-server (and so the extension host and the language server) runs with:
# nothing from the user's real profile.
cs_env() {
  local dir=$1
  echo HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share" \
    XDG_CACHE_HOME="$dir/home/.cache" XDG_STATE_HOME="$dir/home/.local/state" PATH="$NODE_BIN:$PATH"
}

cs_prepare() {
  local dir=$1 vsix=$2
  mkdir -p "$dir/home/.config" "$dir/home/.local/share" "$dir/home/.cache" "$dir/home/.local/state" \
    "$dir/user-data/User" "$dir/extensions"
  # Quiet, deterministic workbench: no welcome page, no chat/AI panels, no update checks.
  cat >"$dir/user-data/User/settings.json" <<EOF
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": ${CS_TRUST:-false},
  "security.workspace.trust.startupPrompt": "always",
  "git.enabled": false,
  "editor.minimap.enabled": false,
  "chaliceLsp.logLevel": "debug"
}
EOF
  # Machine-scoped settings (chaliceLsp.python is machine-overridable: a path on the machine that
  # runs the extension host) live in the remote machine's settings with code-server.
  mkdir -p "$dir/user-data/Machine"
  cat >"$dir/user-data/Machine/settings.json" <<EOF
{
  "chaliceLsp.python": "${CHALICE_LSP_VENV:-$ROOT/.venv}/bin/python"
}
EOF
  env $(cs_env "$dir") "$CODE_SERVER" --user-data-dir "$dir/user-data" --extensions-dir "$dir/extensions" \
    --install-extension "$vsix" >"$dir/install.log" 2>&1 \
    || { cat "$dir/install.log" >&2; echo "code-server could not install $vsix" >&2; return 1; }
}

cs_start() {
  local dir=$1 workspace=$2 port=$3
  # setsid: code-server and its children (extension host, language server) share one process
  # group that cs_stop ends.
  setsid env $(cs_env "$dir") AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" \
    CHALICE_LSP_VENV="${CHALICE_LSP_VENV:-$ROOT/.venv}" \
    "$CODE_SERVER" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    $([ "${CS_TRUST:-false}" = true ] || echo --disable-workspace-trust) --disable-getting-started-override \
    --user-data-dir "$dir/user-data" --extensions-dir "$dir/extensions" "$workspace" \
    >"$dir/code-server.log" 2>&1 </dev/null &
  CS_PID=$!
  CS_URL="http://127.0.0.1:$port"
  local i
  for i in $(seq 1 120); do
    if "$NODE_BIN/node" -e 'fetch(process.argv[1]+"/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$CS_URL"; then
      return 0
    fi
    kill -0 "$CS_PID" 2>/dev/null || { cat "$dir/code-server.log" >&2; echo "code-server exited during startup" >&2; return 1; }
    sleep 0.5
  done
  cat "$dir/code-server.log" >&2
  echo "code-server did not answer on $CS_URL within 60 s" >&2
  return 1
}

cs_stop() {
  if [ -n "$CS_PID" ] && kill -0 "$CS_PID" 2>/dev/null; then
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 20); do
      kill -0 "$CS_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  CS_PID=""
}
