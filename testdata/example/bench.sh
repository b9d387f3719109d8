#!/usr/bin/env bash
# Benchmark: `cdk synth` of the same Chalice app (runtime/) through
#   go      the Go CDK app in infrastructure/ (construct.NewChalice), packager cache warm
#   go-cold the same with an empty packager cache, so `chalice package` runs every time
#   python  the Python CDK app in python-infrastructure/ (Chalice's chalice.cdk.Chalice,
#           which packages in-process on every synth and reuses its zip cache)
# measured side by side: runs are interleaved so load changes hit all three alike.
# Prints the median wall-clock seconds of each and the ratios to python.
#
#   testdata/example/bench.sh [RUNS]      (default 5; env BENCH_RUNS also works)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NODE_BIN="$ROOT/.tools/node/bin"
CDK="$ROOT/.tools/npm/node_modules/.bin/cdk"
VENV=${CHALICE_LSP_VENV:-$ROOT/.venv}
RUNS=${1:-${BENCH_RUNS:-5}}

for f in "$NODE_BIN/node" "$CDK" "$VENV/bin/python" "$VENV/bin/chalice"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make setup' first" >&2; exit 1; }
done
"$VENV/bin/python" -c 'import aws_cdk, chalice.cdk' 2>/dev/null \
  || { echo "bench: aws-cdk-lib or chalice[cdkv2] is missing from $VENV; run 'make setup'" >&2; exit 1; }

# The Go app's build cache must not follow XDG_CACHE_HOME (changed for go-cold).
GOCACHE=${GOCACHE:-$(go env GOCACHE)}
export GOCACHE
export PATH="$VENV/bin:$NODE_BIN:$PATH"   # python3 in python-infrastructure/cdk.json = the venv's
export CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} PYTHONDONTWRITEBYTECODE=1 AWS_EC2_METADATA_DISABLED=true

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chalice-example-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# chalice.cdk.Chalice writes chalice.out/ into its working directory and
# .chalice/deployments/ into the project: it gets a scratch copy of both.
cp -r "$HERE/python-infrastructure" "$WORK/py"
cp -r "$HERE/runtime" "$WORK/runtime"
export CHALICE_EXAMPLE_SOURCE_DIR_PY="$WORK/runtime"

now() { date +%s.%N; }

# run KIND N: one synth, prints its duration in seconds.
run() {
  local kind=$1 n=$2 out="$WORK/out-$1-$2" t0 t1
  t0=$(now)
  case $kind in
    go)      (cd "$HERE/infrastructure" && "$CDK" synth -o "$out" -q --no-notices) >"$out.log" 2>&1 ;;
    go-cold) (cd "$HERE/infrastructure" && XDG_CACHE_HOME="$WORK/xdg-$n" "$CDK" synth -o "$out" -q --no-notices) >"$out.log" 2>&1 ;;
    python)  (cd "$WORK/py" && CHALICE_EXAMPLE_SOURCE_DIR="$CHALICE_EXAMPLE_SOURCE_DIR_PY" "$CDK" synth -o "$out" -q --no-notices) >"$out.log" 2>&1 ;;
  esac || { echo "bench: $kind synth failed:" >&2; cat "$out.log" >&2; exit 1; }
  t1=$(now)
  echo "$t1 - $t0" | bc
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo "bench: warming up (Go build, jsii caches, packager cache)..." >&2
run go 0 >/dev/null
run python 0 >/dev/null

declare -A times
for i in $(seq 1 "$RUNS"); do
  for kind in go go-cold python; do
    d=$(run "$kind" "$i")
    times[$kind]+="$d"$'\n'
    printf 'bench: run %d/%d %-8s %6.2f s\n' "$i" "$RUNS" "$kind" "$d" >&2
  done
done

go_m=$(printf '%s' "${times[go]}" | median)
cold_m=$(printf '%s' "${times[go-cold]}" | median)
py_m=$(printf '%s' "${times[python]}" | median)
echo "cdk synth of testdata/example, median of $RUNS runs (wall clock, $(nproc) cores):"
printf '  go (construct.NewChalice, packager cache warm)  %7.2f s\n' "$go_m"
printf '  go (construct.NewChalice, packager cache cold)  %7.2f s\n' "$cold_m"
printf '  python (chalice.cdk.Chalice)                    %7.2f s\n' "$py_m"
printf '  ratio go/python: %.2f (warm), %.2f (cold)   (< 1 means the Go construct is faster)\n' \
  "$(echo "$go_m / $py_m" | bc -l)" "$(echo "$cold_m / $py_m" | bc -l)"
