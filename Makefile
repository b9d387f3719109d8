# chalice-lsp — see README.md. `make demo` and `make test` install what they need.
SHELL := /bin/bash
ROOT := $(abspath .)
export PATH := $(ROOT)/.tools/node/bin:$(ROOT)/.tools/npm/node_modules/.bin:$(ROOT)/.venv/bin:$(PATH)
export CHALICE_LSP_VENV := $(ROOT)/.venv
export AWS_DEFAULT_REGION ?= us-east-1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 1
export JSII_RUNTIME_PACKAGE_CACHE_ROOT := $(ROOT)/.tools/jsii-cache
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
GO_LDFLAGS := -X main.version=$(VERSION)
# `make fuzz`: exploration time per fuzz target (not part of `make test`).
FUZZTIME ?= 60s

.PHONY: all setup setup-editors setup-release build test test-go fuzz test-editors test-clients test-release release lint demo bench vsix try clean realworld

all: build

setup:
	@scripts/setup.sh core

setup-editors:
	@scripts/setup.sh editors

setup-release:
	@scripts/setup.sh release

build:
	@scripts/setup.sh go
	go build -ldflags '$(GO_LDFLAGS)' -o bin/chalice-lsp ./cmd/chalice-lsp

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null; git ls-files -o --exclude-standard '*.go' 2>/dev/null)); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...

test: setup setup-editors setup-release build lint test-go test-editors test-clients test-release
	@echo "make test: all suites passed"

test-go:
	go test -count=1 -timeout 40m ./...

# The field corpus (README "Field corpus"): check and the server on every public project in
# $(CHALICE_LSP_REALWORLD) (default /work/corpus), judged against testdata/realworld/verdicts.json,
# and predicted logical IDs against real `chalice package`. Ends with a one-line summary.
realworld: build
	@mkdir -p .cache; set -o pipefail; go test -count=1 -timeout 30m -v -run 'TestFieldCorpus' ./internal/realworld/ 2>&1 \
	  | tee .cache/realworld.log | grep -vE '^ *(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|SKIP): )'; \
	  status=$$?; grep -h 'realworld:' .cache/realworld.log | sed 's/^ *[a-z_]*\.go:[0-9]*: //'; exit $$status

# Random exploration, never in `make test`: every seed corpus (f.Add seeds and
# testdata/fuzz files, including every input fuzzing ever found) runs in test-go.
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

test-editors: build
	@scripts/test-editors.sh

# Third-party LSP clients (pytest-lsp conformance profiles, headless Emacs eglot).
test-clients: build
	@editors/thirdparty/run.sh

# Every platform's archive and VSIX (dist/); see README "Install".
release: setup-editors setup-release
	@scripts/release.sh dist

# Builds the release into .cache/release and checks it (qemu-user, wine, Mach-O headers, VSIXs,
# reproducibility); see scripts/test-release.sh.
test-release: setup-editors setup-release build
	@scripts/test-release.sh

demo: setup build
	@scripts/demo.sh

# Every figure, and each beside a baseline build measured in the same run (README
# "Performance"): BASELINE=<rev> (default in bench/baseline.conf) or BASELINE=none.
# Fails when a step fails or a figure regressed beyond noise (the last lines say which).
bench: setup build
	@bench/run.sh

vsix: build
	@editors/vscode/build-vsix.sh

try: setup setup-editors vsix
	@editors/vscode/try.sh

clean:
	rm -rf bin .cache dist
