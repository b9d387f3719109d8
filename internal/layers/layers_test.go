package layers

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsRespectLayers reads the module's import graph with `go list` and
// requires every import of a product package to stay in its layer or go lower,
// and no product package to import tooling.
func TestImportsRespectLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}`, Module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		from, imports, _ := strings.Cut(line, "|")
		relFrom, ok := strings.CutPrefix(from, Module+"/")
		if !ok || Layer(relFrom) < 0 {
			continue
		}
		pkgs++
		for _, imp := range strings.Fields(imports) {
			relTo, ok := strings.CutPrefix(imp, Module+"/")
			if !ok {
				continue
			}
			switch to := Layer(relTo); {
			case to < 0:
				t.Errorf("%s (layer %d) imports tooling package %s", relFrom, Layer(relFrom), relTo)
			case to > Layer(relFrom):
				t.Errorf("%s (layer %d) imports %s from the higher layer %d", relFrom, Layer(relFrom), relTo, to)
			}
		}
	}
	if pkgs < 30 {
		t.Fatalf("only %d product packages listed; the module layout changed?", pkgs)
	}
}

func TestLayerOf(t *testing.T) {
	for rel, want := range map[string]int{
		"schema/text": 0, "schema/appmodel/pysyntax": 0, "internal/safefile": 0,
		"schema": 1, "schema/appmodel": 1, "packager": 2, "packager/predict": 2,
		"internal/analysis": 3, "construct": 3, "lsp": 4, "lsp/server": 4, "cmd/chalice-lsp": 5,
		"internal/testenv": -1, "lsp/servertest": -1, "bench/report": -1, "schemas": -1, "lspx": -1,
	} {
		if got := Layer(rel); got != want {
			t.Errorf("Layer(%q) = %d, want %d", rel, got, want)
		}
	}
}
