#!/usr/bin/env bash
# `make bench`: measures every performance figure of chalice-lsp next to its anchor
# and prints one table (bench/report), also written to bench/results/latest.json and
# bench/results/latest.md. Raw outputs of the run stay in bench/results/raw/.
# Every figure is also measured on a baseline (bench/baseline.conf) in the same run,
# rounds interleaved: the server's figures (2-4, 6, 9) with the same harness against the
# baseline's server, the in-process ones with the baseline tree's own benchmarks. A
# second table sets before beside after, with verdicts (bench/report/compare.go).
#
#   bench/run.sh                 all figures, 5 samples each (cdk synth: 3)
#   BENCH_COUNT=3 bench/run.sh   fewer samples (faster, wider spread)
#   BENCH_ONLY="schema lsp" bench/run.sh   a subset: schema lsp packager cdk context structure monorepo appids lenses
#   BASELINE=<rev> bench/run.sh  compare with another git revision (default: bench/baseline.conf)
#   BASELINE=none bench/run.sh   no before/after comparison
#
# Each figure's samples come from repeated runs (go test -count, or interleaved
# rounds for the Node anchor, cdk synth and the two servers), so the tables give a
# median and the spread. A step that fails is reported and its figures show n/a. Exit
# status: 0 when every step ran and no figure regressed against the baseline beyond
# noise (bench/report: the after samples all worse than the before samples and the
# median ratio past BENCH_TOLERANCE, 10% by default); otherwise 1, and the last lines
# name the failed steps and the regressed figures. Timings on a loaded machine are
# noisy: compare figures with their anchors (and the baseline) from the same run,
# not across runs.
#
# For bench/report's test: BENCH_RESULTS (default bench/results) is where the tables
# and raw outputs go, BENCH_AFTER_BIN (default bin/chalice-lsp) the current server,
# BENCH_QUICK=1 runs each benchmark with as few iterations as give every metric (the
# server benchmarks: the last column of binary_benches; in-process ones: 1x).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=baseline.conf
. "$ROOT/bench/baseline.conf"
COUNT=${BENCH_COUNT:-5}
CDK_RUNS=${BENCH_CDK_RUNS:-3}
ALL_STEPS="schema lsp packager cdk context structure monorepo appids lenses"
ONLY=${BENCH_ONLY:-$ALL_STEPS}
RESULTS=${BENCH_RESULTS:-$ROOT/bench/results}
RAW="$RESULTS/raw"
BIN="$ROOT/bin/chalice-lsp"
AFTER_BIN=${BENCH_AFTER_BIN:-$BIN}
BASELINE=${BASELINE:-$BASELINE_REV}
TOLERANCE=${BENCH_TOLERANCE:-0.10}
export PATH="$ROOT/.tools/node/bin:$ROOT/.tools/npm/node_modules/.bin:$ROOT/.venv/bin:$PATH"
export CHALICE_LSP_VENV=${CHALICE_LSP_VENV:-$ROOT/.venv}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}

failed=()
step() { printf '\n== %s\n' "$*" >&2; }
fail() { echo "bench: FAILED: $*" >&2; failed+=("$*"); }
want() { [[ " $ONLY " == *" $1 "* ]]; }

[ -x "$AFTER_BIN" ] || { echo "bench: the server $AFTER_BIN is missing: run 'make build'" >&2; exit 1; }
[ -x "$CHALICE_LSP_VENV/bin/chalice" ] || { echo "bench: no chalice in $CHALICE_LSP_VENV: run 'make setup'" >&2; exit 1; }
command -v node >/dev/null || { echo "bench: node is missing (.tools/node): run 'make setup'" >&2; exit 1; }

rm -rf "$RAW"
mkdir -p "$RAW/bin" "$RAW/docs"
t_start=$(date +%s)

# gotest PKG NAME: compiles PKG's tests once into $RAW/bin/NAME.test.
gotest() { go test -c -o "$RAW/bin/$2.test" "$1"; }
# gotest_both PKG NAME [OLD_PKG...]: gotest, and with a baseline also the baseline
# tree's package (PKG, or the first OLD_PKG the baseline has: a package may have moved)
# into $RAW/bin/before/NAME.test. The status is this tree's: a package the baseline
# lacks (a new feature) only makes its figures "after only", with go's reason.
declare -A before_pkg=()
gotest_both() {
  gotest "$1" "$2" || return 1
  [ -n "$BASE_SRC" ] || return 0
  local name=$2 p log="$RAW/before/compile-$2.log"
  before_pkg[$name]=$1
  shift 2
  for p in "${before_pkg[$name]}" "$@"; do
    [ -d "$BASE_SRC/$p" ] && { before_pkg[$name]=$p; break; }
  done
  if [ ! -d "$BASE_SRC/${before_pkg[$name]}" ]; then
    echo "no package ${before_pkg[$name]#./} in $BASELINE_SHORT (new since)" >"$log"
  elif ! (cd "$BASE_SRC" && GOFLAGS="-mod=mod -buildvcs=false" go test -c -o "$RAW/bin/before/$name.test" "${before_pkg[$name]}") >"$log" 2>&1; then
    echo "bench: the baseline's ${before_pkg[$name]} tests do not compile (see $log): its figures are after only" >&2
  fi
  return 0
}
# runbench DIR NAME OUT ARGS...: runs a compiled test binary's benchmarks in DIR
# (the package directory, as go test would), appending the output to $OUTDIR/OUT
# (default $RAW/OUT); the binary is $BINDIR/NAME.test (default $RAW/bin). A failure
# shows the output's tail, unless QUIET=1 (the baseline's, reported in one line).
runbench() {
  local dir=$1 name=$2 out=${OUTDIR:-$RAW}/$3
  shift 3
  (cd "$dir" && "${BINDIR:-$RAW/bin}/$name.test" -test.run '^$' -test.benchmem=false "$@") >>"$out" 2>>"$out.log" \
    || { [ "${QUIET:-}" = 1 ] || { tail -30 "$out.log" >&2; tail -5 "$out" >&2; }; return 1; }
}
# sides I FN ARGS...: round I of a benchmark on both sides: "FN ARGS after" and, with a
# baseline, "FN ARGS before", the order alternating with I (before first in odd rounds)
# so a trend in the machine's load hits both alike.
sides() {
  local i=$1
  shift
  if [ -z "$BEFORE_BIN" ]; then
    "$@" after
  elif [ $((i % 2)) = 1 ]; then
    "$@" before && "$@" after
  else
    "$@" after && "$@" before
  fi
}
# inproc NAME PKG OUT BENCH ARGS... SIDE: one run of an in-process benchmark, this tree's
# test binary in PKG (after) or the baseline's in its own tree (before). A failing
# baseline is reported, not a failed step; for a baseline without the package, a note in
# go test's failure format tells the report why the figure is after only.
inproc() {
  local name=$1 pkg=$2 out=$3 bench=$4 side=${!#}
  local args=("${@:5:$#-5}")
  [ "${BENCH_QUICK:-}" = 1 ] && args+=(-test.benchtime 1x) # the last flag wins
  if [ "$side" = after ]; then
    runbench "$pkg" "$name" "$out" -test.bench "^$bench" "${args[@]}" || { fail "$bench ($pkg)"; return 1; }
    return 0
  fi
  if [ ! -x "$RAW/bin/before/$name.test" ]; then
    local top
    top=$(sed 's/[($].*//' <<<"$bench")
    grep -q -- "--- FAIL: $top" "$RAW/before/$out" 2>/dev/null \
      || printf -- '--- FAIL: %s\n    bench/run.sh:1: not in the baseline: %s\n' "$top" \
        "$(grep -m1 -v '^#' "$RAW/before/compile-$name.log" 2>/dev/null)" >>"$RAW/before/$out"
    return 0
  fi
  QUIET=1 OUTDIR="$RAW/before" BINDIR="$RAW/bin/before" runbench "$BASE_SRC/${before_pkg[$name]#./}" "$name" "$out" -test.bench "^$bench" "${args[@]}" \
    || echo "bench: the baseline failed $bench (see $RAW/before/$out)" >&2
  return 0
}

# The baseline for the before/after tables: its tree (bench/baseline.sh exports it) and
# its server.
BEFORE_BIN=""
BASE_SRC=""
BASELINE_COMMIT=""
BASELINE_SHORT=""
if [ "$BASELINE" != none ]; then
  step "baseline: building the server of $BASELINE (bench/baseline.sh)"
  BASELINE_COMMIT=$(git rev-parse --verify --quiet "$BASELINE^{commit}")
  BASELINE_SHORT=${BASELINE_COMMIT:0:7}
  mkdir -p "$RAW/before" "$RAW/bin/before"
  if bench/baseline.sh "$BASELINE" "$RAW/baseline"; then
    BEFORE_BIN="$RAW/baseline/chalice-lsp"
    BASE_SRC="$RAW/baseline/src"
    printf '%s\n' "$BASELINE_COMMIT" >"$RAW/before/REVISION"
  else
    fail "building the baseline server ($BASELINE): no before/after table"
  fi
fi

# 1. config.json validation: Go vs vscode-json-languageservice on the same bytes,
#    rounds interleaved so load changes hit both alike.
if want schema; then
  step "1. config.json validation (schema) vs vscode-json-languageservice"
  if [ ! -d bench/anchor/node_modules/vscode-json-languageservice ]; then
    (cd bench/anchor && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in bench/anchor"
  fi
  if CHALICE_LSP_BENCH_DOCS="$RAW/docs" go test -count=1 -run '^TestWriteBenchDocs$' ./schema >"$RAW/docs.log" 2>&1 \
    && "$AFTER_BIN" schema >"$RAW/docs/config.schema.json" && gotest_both ./schema schema; then
    for i in $(seq 1 "$COUNT"); do
      sides "$i" inproc schema ./schema schema.txt 'BenchmarkCheckConfig(3KB|1MB)$' -test.count 1 || break
      node bench/anchor/json-validate.mjs "$RAW/docs/config.schema.json" "$RAW/docs/config-3KB.json" 300 1 >>"$RAW/anchor-3KB.json" \
        && node bench/anchor/json-validate.mjs "$RAW/docs/config.schema.json" "$RAW/docs/config-1MB.json" 10 1 >>"$RAW/anchor-1MB.json" \
        || { fail "vscode-json-languageservice anchor"; break; }
      printf '  round %d/%d done\n' "$i" "$COUNT" >&2
    done
    # Both validators must agree the documents are valid, or they measured different work.
    if grep -q '"problems":[1-9]' "$RAW"/anchor-*.json 2>/dev/null; then
      fail "the anchor reports problems in the benchmark documents: $(grep -h problems "$RAW"/anchor-*.json | head -1)"
    fi
  else
    cat "$RAW/docs.log" >&2
    fail "writing the benchmark documents (go test -run TestWriteBenchDocs ./schema)"
  fi
fi

# 2, 3, 4, 6, 9: the server binary over stdio (and `check` as a process). lsp/lsptest
# (the LSP engineer's harness) owns completion, diagnostics and memory; bench/lspbench
# times the first completion from a server start (predicted, cached, cold);
# bench/monorepo runs check and the server on a generated monorepo (100 Chalice projects,
# 50 Python and Go CDK stacks). Each round runs every benchmark once (-test.count 1).
#
# Before/after: the same compiled benchmarks also run against the server built from
# BASELINE (bench/baseline.conf; bench/baseline.sh builds it), round by round, the two
# sides alternating (before, after, then after, before, ...) so a change in the machine's
# load hits both alike. The current tree's samples feed the main table; bench/report
# -before sets them beside the baseline's (before/after table, verdicts).
#
# Columns: test binary, package, raw output, benchmark, -test.benchtime, quick
# benchtime (BENCH_QUICK=1). BenchmarkConfigDiagnostics needs a few edits even when
# quick: the server records a diagnostics latency just after publishing, so the last
# edit's server-side figure can miss the harness's query.
binary_benches=()
if want lsp; then
  binary_benches+=(
    "lsptest lsp/lsptest lsp.txt BenchmarkLogicalIDCompletion$ 300x 1x"
    "lsptest lsp/lsptest lsp.txt BenchmarkConfigDiagnostics$ 200x 5x"
    "lsptest lsp/lsptest lsp.txt BenchmarkFirstCompletionAfterOpen$ 10x 1x"
    "lsptest lsp/lsptest lsp.txt BenchmarkRSS$ 1x 1x"
    "lspbench bench/lspbench lspbench.txt BenchmarkFirstCompletion$ 1x 1x"
  )
fi
if want monorepo; then
  binary_benches+=(
    "monorepo bench/monorepo monorepo.txt BenchmarkMonorepoCheck$ 1x 1x"
    "monorepo bench/monorepo monorepo.txt BenchmarkMonorepoServer$ 1x 1x"
  )
fi
# run_binary_benches SIDE: one round of every server benchmark against the current
# server (after) or the baseline's (before), the same compiled harness for both. A
# failure of the baseline is no failure of the run (a figure can be new, like check on
# a whole tree): the report shows the baseline's message in the before column.
run_binary_benches() {
  local side=$1 server=$AFTER_BIN dir=$RAW b name pkg out bench benchtime quick
  [ "$side" = before ] && server=$BEFORE_BIN dir=$RAW/before
  local quiet=""
  [ "$side" = before ] && quiet=1
  for b in "${binary_benches[@]}"; do
    read -r name pkg out bench benchtime quick <<<"$b"
    [ "${BENCH_QUICK:-}" = 1 ] && benchtime=$quick
    if ! QUIET=$quiet OUTDIR=$dir CHALICE_LSP_BIN=$server runbench "$pkg" "$name" "$out" -test.bench "^$bench" -test.benchtime "$benchtime" -test.count 1; then
      if [ "$side" = after ]; then fail "$bench ($pkg)"; else echo "bench: the baseline failed $bench: $(grep -m1 -A1 -- '--- FAIL' "$dir/$out" | tail -1 | sed 's/^ *//') (see $dir/$out)" >&2; fi
    fi
  done
}
if [ ${#binary_benches[@]} -gt 0 ]; then
  step "2-4, 6, 9. the server over stdio; monorepo check and server${BEFORE_BIN:+; before ($BASELINE_SHORT) and after}"
  compiled=1
  for t in "lsptest ./lsp/lsptest" "lspbench ./bench/lspbench" "monorepo ./bench/monorepo"; do
    read -r name pkg <<<"$t"
    [[ " ${binary_benches[*]} " == *" $name "* ]] || continue
    gotest "$pkg" "$name" || { fail "compiling $pkg tests"; compiled=0; }
  done
  if [ "$compiled" = 1 ]; then
    for i in $(seq 1 "$COUNT"); do
      sides "$i" run_binary_benches
      printf '  round %d/%d done\n' "$i" "$COUNT" >&2
    done
  fi
fi

# 4d, 5: the packager (packaging overhead vs bare chalice; unchanged repackaging).
if want packager; then
  step "4d, 5. packager: cold run vs bare chalice package; unchanged repackaging"
  if gotest_both ./packager packager && gotest_both ./bench/pkgbench pkgbench; then
    for i in $(seq 1 "$COUNT"); do
      sides "$i" inproc packager ./packager packager.txt 'BenchmarkPackageCold$' -test.benchtime 1x -test.count 1 || break
      sides "$i" inproc pkgbench ./bench/pkgbench pkgbench.txt 'BenchmarkRepackageUnchanged' -test.benchtime 0.5s -test.count 1 || break
      printf '  round %d/%d done\n' "$i" "$COUNT" >&2
    done
  else
    fail "compiling the packager tests or bench/pkgbench"
  fi
fi

# Context rows: the in-process work behind figures 3 and 4 (semantic rules on a
# 3 KB config; parsing a 500-line app.py), from their owners' benchmarks. The app model
# lived in packager/appmodel before the schema/ <-> packager/ cycle was broken.
if want context; then
  step "context: semantic rules (3 KB config), app.py parse (500 lines)"
  if gotest_both ./schema/rules rules && gotest_both ./schema/appmodel appmodel ./packager/appmodel; then
    for i in $(seq 1 "$COUNT"); do
      sides "$i" inproc rules ./schema/rules context.txt 'BenchmarkCheck3KB$' -test.benchtime 0.5s -test.count 1 || break
      sides "$i" inproc appmodel ./schema/appmodel context.txt 'BenchmarkParse500Lines$' -test.benchtime 0.5s -test.count 1 || break
      printf '  round %d/%d done\n' "$i" "$COUNT" >&2
    done
  else
    fail "compiling the schema/rules or schema/appmodel tests"
  fi
fi

# 11. Code lenses of a CDK stack with 10 constructs after an edit (lsp/cdkfeatures,
#     in process: new snapshot, analysis of the stack, every construct's IDs).
if want lenses; then
  step "11. code lenses, CDK stack with 10 constructs"
  if gotest_both ./lsp/cdkfeatures cdkfeatures; then
    for i in $(seq 1 "$COUNT"); do
      sides "$i" inproc cdkfeatures ./lsp/cdkfeatures lenses.txt 'BenchmarkLenses10Constructs$' -test.benchtime 200x -test.count 1 || break
    done
  else
    fail "compiling the lsp/cdkfeatures tests"
  fi
fi

# 7. cdk synth: the Go construct vs Chalice's Python construct (testdata/example).
if want cdk; then
  step "7. cdk synth, Go construct vs chalice.cdk.Chalice ($CDK_RUNS interleaved runs)"
  if [ -x testdata/example/bench.sh ]; then
    if testdata/example/bench.sh "$CDK_RUNS" >"$RAW/cdk-synth.out" 2>"$RAW/cdk-synth.log"; then
      cat "$RAW/cdk-synth.out" >&2
      # Per-run lines: "bench: run I/N KIND SECONDS s" -> {"KIND": SECONDS}
      awk '$1 == "bench:" && $2 == "run" && $NF == "s" { printf "{\"%s\": %s}\n", $4, $5 }' "$RAW/cdk-synth.log" >"$RAW/cdk-synth.json"
      [ -s "$RAW/cdk-synth.json" ] || fail "no per-run samples in testdata/example/bench.sh output"
    else
      tail -30 "$RAW/cdk-synth.log" >&2
      fail "testdata/example/bench.sh"
    fi
  else
    fail "testdata/example/bench.sh is missing"
  fi
fi

# 8. config.json structure: document symbols and folding (1 MB), Format Document (3 KB),
#    Go vs vscode-json-languageservice on the same bytes, rounds interleaved.
if want structure; then
  step "8. config.json symbols, folding, formatting vs vscode-json-languageservice"
  if [ ! -d bench/anchor/node_modules/vscode-json-languageservice ]; then
    (cd bench/anchor && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in bench/anchor"
  fi
  if { [ -f "$RAW/docs/config-1MB.json" ] || CHALICE_LSP_BENCH_DOCS="$RAW/docs" go test -count=1 -run '^TestWriteBenchDocs$' ./schema >"$RAW/docs.log" 2>&1; } \
    && gotest_both ./lsp/jsonfeatures jsonfeatures; then
    for i in $(seq 1 "$COUNT"); do
      CHALICE_LSP_BENCH_DOCS="$RAW/docs" sides "$i" inproc jsonfeatures ./lsp/jsonfeatures structure.txt 'BenchmarkStructure$' -test.benchtime 200x -test.count 1 || break
      node bench/anchor/json-structure.mjs "$RAW/docs/config-3KB.json" "$RAW/docs/config-1MB.json" 200 1 >>"$RAW/anchor-structure.json" \
        || { fail "vscode-json-languageservice structure anchor"; break; }
      printf '  round %d/%d done\n' "$i" "$COUNT" >&2
    done
  else
    fail "preparing the structure benchmarks (bench documents, compiling lsp/jsonfeatures tests)"
  fi
fi

# 10. app.py inlay hints (logical IDs per decorator) on a 500-line app.py: after an edit
#     (reparse + prediction) and repeated on one snapshot.
if want appids; then
  step "10. app.py inlay hints, 500 lines"
  if gotest_both ./lsp/appfeatures appfeatures; then
    for i in $(seq 1 "$COUNT"); do
      sides "$i" inproc appfeatures ./lsp/appfeatures appfeatures.txt 'BenchmarkInlayHints500Lines$' -test.benchtime 200x -test.count 1 || break
    done
  else
    fail "compiling lsp/appfeatures tests"
  fi
fi

step "report ($(( $(date +%s) - t_start )) s)"
report_status=1
if go build -o "$RAW/bin/report" ./bench/report; then
  before_args=()
  [ -n "$BEFORE_BIN" ] && before_args=(-before "$RAW/before" -baseline "$BASELINE_COMMIT" -tolerance "$TOLERANCE")
  "$RAW/bin/report" -figures bench/figures.json -raw "$RAW" -json "$RESULTS/latest.json" -md "$RESULTS/latest.md" "${before_args[@]}" \
    | tee "$RESULTS/latest.txt"
  report_status=${PIPESTATUS[0]}
  # bench/report's exit status: bit 1 = figures without samples, bit 4 = regressions.
  # With a subset of the steps (BENCH_ONLY), the other steps' figures have no samples.
  [ "$ONLY" = "$ALL_STEPS" ] && (( report_status & 1 )) && fail "some figures have no samples (n/a above)"
  (( report_status & 4 )) && fail "regressed against $BASELINE_SHORT beyond noise: $(sed -n 's/^REGRESSED: //p' "$RESULTS/latest.txt")"
  (( report_status & ~5 )) && fail "bench/report exited with status $report_status"
else
  fail "building bench/report"
fi
# The baseline's exported tree is a second copy of the repository: gone once measured.
[ -n "$BASE_SRC" ] && rm -rf "$BASE_SRC"
echo "raw outputs: $RAW; tables: $RESULTS/latest.{txt,md,json}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: ${#failed[@]} step(s) failed:" >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
