package lsptest_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }

func msgOf(d protocol.Diagnostic) string {
	switch m := d.Message.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		return m.Value
	}
	return ""
}

// constructCommand runs a preview command on the construct call at offset in path
// and returns the result's path and whether the client was asked to show it.
func constructCommand(t *testing.T, s *lsptest.Session, command, path string, offset int) (string, bool) {
	t.Helper()
	arg, _ := json.Marshal(map[string]any{"uri": string(uri.File(path)), "offset": offset})
	var res struct {
		Path  string `json:"path"`
		Shown bool   `json:"shown"`
	}
	if err := s.ExecuteCommand(protocol.Command{Command: command, Arguments: []protocol.LSPAny{arg}}, &res); err != nil {
		t.Fatalf("%s on %s: %v", command, path, err)
	}
	return res.Path, res.Shown
}

// effectiveConfig reads a "Preview effective config" file: the stage and every
// function's values by key.
func effectiveConfig(t *testing.T, path string) (string, map[string]map[string]any) {
	t.Helper()
	var cfg struct {
		Stage     string `json:"stage"`
		Functions []struct {
			Name   string `json:"name"`
			Values []struct {
				Key   string `json:"key"`
				Value any    `json:"value"`
			} `json:"values"`
		} `json:"functions"`
	}
	readJSON(t, path, &cfg)
	fns := map[string]map[string]any{}
	for _, f := range cfg.Functions {
		fns[f.Name] = map[string]any{}
		for _, v := range f.Values {
			fns[f.Name][v.Key] = v.Value
		}
	}
	return cfg.Stage, fns
}

func firstOf[A, B any](a A, _ B) A { return a }
