#!/usr/bin/env bash
# Prints the release version, from git: a tag vX.Y.Z on HEAD gives X.Y.Z; otherwise the
# last tag (or 0.0.0) plus commits since and the commit, X.Y.Z-N-gHASH (semver pre-release),
# with -dirty when the work tree has uncommitted changes.
set -euo pipefail
cd "$(dirname "$0")/.."
d=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null) && { echo "${d#v}"; exit 0; }
n=$(git rev-list --count HEAD 2>/dev/null || echo 0)
h=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
dirty=""
git diff --quiet HEAD 2>/dev/null || dirty=-dirty
echo "0.0.0-$n-g$h$dirty"
