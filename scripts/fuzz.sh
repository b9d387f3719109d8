#!/usr/bin/env bash
# `make fuzz`: explores every Go fuzz target for FUZZTIME each (default 60s). Not part of
# `make test` or CI: random exploration would make the gate fail for reasons unrelated to
# a change. What `make test` runs instead is every target's seed corpus (its f.Add seeds
# and the files in <package>/testdata/fuzz/<Target>/), which plain `go test` executes.
#
# When exploration finds a failing input, Go writes it to
# <package>/testdata/fuzz/<Target>/<hash>; it then runs in every `go test` as a seed.
# Fix the bug, keep the file (give it a name that says what it is), commit both.
#
# Targets are found by name, so a new one is picked up without editing this file.
# FUZZ_PARALLEL limits the fuzzing workers (default: go's GOMAXPROCS).
set -uo pipefail
cd "$(dirname "$0")/.."
t=${1:-60s}
par=()
[ -n "${FUZZ_PARALLEL:-}" ] && par=(-parallel "$FUZZ_PARALLEL")
failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while read -r f; do
  pkg=./$(dirname "${f#./}")
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "fuzz: $pkg $fn ($t)"
    if ! go test -run '^$' -fuzz "^$fn\$" -fuzztime "$t" "${par[@]}" "$pkg" >"$log" 2>&1; then
      cat "$log"
      failed+=("$pkg $fn")
    fi
  done
done < <(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' | sort)
new=$(git status --porcelain --untracked-files=all -- '*/testdata/fuzz/*' | sed 's/^...//')
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) found a failing input:"
  printf '  %s\n' "${failed[@]}"
  [ -n "$new" ] && { echo "new seed files (fix the bug, keep them, commit them):"; printf '  %s\n' $new; }
  exit 1
fi
echo "fuzz: all targets passed"
