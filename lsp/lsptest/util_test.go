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

func detailOf(it protocol.CompletionItem) string {
	d, _ := it.Detail.Get()
	return d
}

func item(items []protocol.CompletionItem, label string) *protocol.CompletionItem {
	for i := range items {
		if items[i].Label == label {
			return &items[i]
		}
	}
	return nil
}

func labels(items []protocol.CompletionItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

func codeOf(d protocol.Diagnostic) string {
	if s, ok := d.Code.(protocol.String); ok {
		return string(s)
	}
	return ""
}

func hasCode(ds []protocol.Diagnostic, code string) *protocol.Diagnostic {
	for i := range ds {
		if codeOf(ds[i]) == code {
			return &ds[i]
		}
	}
	return nil
}

func startWebapp(t *testing.T, cfg lsptest.Config) (*lsptest.Session, string) {
	return startFixture(t, "testdata/lsp/webapp", cfg)
}

// startFixture copies a testdata folder, starts a server on it as the only
// workspace folder and initializes the session.
func startFixture(t *testing.T, fixture string, cfg lsptest.Config) (*lsptest.Session, string) {
	dir := lsptest.CopyTree(t, fixture)
	cfg.Folders = []string{dir}
	s := lsptest.Start(t, cfg)
	s.Initialize()
	return s, dir
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
}
