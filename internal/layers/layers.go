// Package layers states the module's layering, which its test checks on the real
// import graph: generic leaves (positions, diagnostics, the position-aware JSON
// tree, suggestions, Python syntax, path and file helpers) below Chalice
// knowledge (schema/: naming, app model, config schema, effective values,
// rules) below the packager (packager/: prediction, templates, running
// `chalice package`) below the analysis core (internal/) and the construct, below
// the language server (lsp/), below the CLI (cmd/). A package imports only from
// its own layer or lower ones, so no folder imports a folder above it and there
// is no folder-level cycle.
package layers

import "strings"

// Module is the module path.
const Module = "github.com/chalice-lsp/chalice-lsp"

// leaves are the generic packages every layer may use.
var leaves = []string{
	"internal/pathutil", "internal/safefile", "internal/treewalk",
	"schema/text", "schema/diag", "schema/jsonpos", "schema/suggest", "schema/appmodel/pysyntax",
}

// tooling are packages for tests, benchmarks and releases: they may import
// anything, and no product package may import them.
var tooling = []string{"internal/testenv", "internal/release", "internal/realworld", "lsp/lsptest", "lsp/servertest", "bench", "scripts", "editors"}

// Layer is the layer of a package of the module (path relative to Module): 0
// for leaves, then schema 1, packager 2, internal and construct 3, lsp 4, cmd
// 5; -1 for tooling and paths outside the module's product folders.
func Layer(rel string) int {
	under := func(p string) bool { return rel == p || strings.HasPrefix(rel, p+"/") }
	for _, p := range tooling {
		if under(p) {
			return -1
		}
	}
	for _, p := range leaves {
		if under(p) {
			return 0
		}
	}
	switch {
	case rel == "schema" || under("schema"):
		return 1
	case rel == "packager" || under("packager"):
		return 2
	case under("internal") || rel == "construct" || under("construct"):
		return 3
	case rel == "lsp" || under("lsp"):
		return 4
	case under("cmd"):
		return 5
	}
	return -1
}
