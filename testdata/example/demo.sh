#!/usr/bin/env bash
# Shows the Go CDK example: runs the real `cdk synth` in infrastructure/ (a Go CDK app
# using construct.NewChalice on the Chalice app in runtime/) and prints the stack's
# resources. The cloud assembly goes to a temporary directory (or $DEMO_OUT); nothing
# is written into the example.
#
#   testdata/example/demo.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NODE_BIN="$ROOT/.tools/node/bin"
CDK="$ROOT/.tools/npm/node_modules/.bin/cdk"
VENV=${CHALICE_LSP_VENV:-$ROOT/.venv}

for f in "$NODE_BIN/node" "$CDK" "$VENV/bin/chalice"; do
  [ -x "$f" ] || { echo "demo: $f is missing; run 'make setup' first" >&2; exit 1; }
done
export PATH="$NODE_BIN:$PATH"
export CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1

OUT=${DEMO_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/chalice-example-demo.XXXXXX")}
echo "== cdk synth (testdata/example/infrastructure, Go CDK app, construct.NewChalice)"
echo "   cloud assembly: $OUT"
start=$(date +%s.%N)
(cd "$HERE/infrastructure" && "$CDK" synth --output "$OUT" --quiet --no-notices)
end=$(date +%s.%N)
printf '   synth took %.1f s\n\n' "$(echo "$end - $start" | bc)"

"$VENV/bin/python" - "$OUT/chalice-example.template.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
res = t["Resources"]
print("== stack chalice-example: %d resources" % len(res))
print("   %-40s %s" % ("LOGICAL ID", "TYPE"))
for lid, r in res.items():
    print("   %-40s %s" % (lid, r["Type"]))
fn = res.get("APIHandler", {}).get("Properties", {})
if fn:
    print("\n== APIHandler (from `chalice package`, via the packager)")
    print("   Runtime     %s, %s MB, %s s" % (fn.get("Runtime"), fn.get("MemorySize"), fn.get("Timeout")))
    print("   CodeUri     %s" % json.dumps(fn.get("CodeUri")))
    print("   Environment %s" % json.dumps(fn.get("Environment", {}).get("Variables")))
print("\n== outputs: %s" % ", ".join(t.get("Outputs", {})))
PY
