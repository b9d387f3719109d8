package lsptest_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

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

func TestConfigJSON(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{})
	cfgPath := filepath.Join(dir, ".chalice", "config.json")
	u := s.Open(cfgPath)
	s.Await("first diagnostics", func(st *lsptest.State) bool { return st.Publishes[u] > 0 })
	if ds := s.Diagnostics(cfgPath); len(ds) != 0 {
		t.Fatalf("valid config should have no diagnostics, got %+v", ds)
	}

	// A wrong type and a misspelt key.
	orig := s.Content(cfgPath)
	bad := strings.Replace(orig, `"lambda_timeout": 20,`, `"lambda_timeout": 20, "lambda_memory_size": "big", "lamda_timeout": 3,`, 1)
	s.Edit(cfgPath, bad)
	s.Await("schema diagnostics", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[u], "wrong-type") != nil && hasCode(st.Diagnostics[u], "unknown-key") != nil
	})
	ds := s.Diagnostics(cfgPath)
	wt := hasCode(ds, "wrong-type")
	if got := s.Offset(cfgPath, wt.Range.Start); bad[got:got+5] != `"big"` {
		t.Fatalf("wrong-type diagnostic should sit on the value, starts at %q", bad[got:])
	}
	uk := hasCode(ds, "unknown-key")
	if got := s.Offset(cfgPath, uk.Range.Start); !strings.HasPrefix(bad[got:], `"lamda_timeout"`) {
		t.Fatalf("unknown-key diagnostic should sit on the key, starts at %q", bad[got:])
	}
	// Quick fix from the did-you-mean suggestion.
	acts := s.CodeActions(cfgPath, uk.Range, []protocol.Diagnostic{*uk})
	var fix *protocol.CodeAction
	for _, a := range acts {
		if a.Kind != nil && *a.Kind == protocol.CodeActionKindQuickFix {
			fix = a
			break
		}
	}
	if fix == nil || fix.Edit == nil {
		t.Fatalf("want a quick fix for %q, got %+v", uk.Message, acts)
	}
	edits := fix.Edit.Changes[uri.File(cfgPath)]
	if len(edits) != 1 || !strings.Contains(edits[0].NewText, "lambda_timeout") {
		t.Fatalf("quick fix should replace with lambda_timeout: %+v", edits)
	}

	// Semantic rules: a lambda_functions entry that matches no handler in app.py.
	s.Edit(cfgPath, strings.Replace(orig, `"api_handler": {"lambda_timeout": 30}`, `"api_handler": {"lambda_timeout": 30}, "workr": {}`, 1))
	s.Await("rule diagnostic", func(st *lsptest.State) bool { return hasCode(st.Diagnostics[u], "unknown-function") != nil })
	if d := hasCode(s.Diagnostics(cfgPath), "unknown-function"); !strings.Contains(string(d.Data), "worker") {
		t.Fatalf("unknown-function should suggest worker: %s %s", msgOf(*d), d.Data)
	}

	// Back to the valid file: diagnostics clear.
	s.Edit(cfgPath, orig)
	s.Await("diagnostics cleared", func(st *lsptest.State) bool { return len(st.Diagnostics[u]) == 0 })

	// Key completion inside stages.prod: keys valid there, minus those present.
	withKey := strings.Replace(orig, `"lambda_memory_size": 512,`, `"lambda_memory_size": 512, "lam`, 1)
	s.Edit(cfgPath, withKey)
	items := labels(s.Completion(cfgPath, s.Pos(cfgPath, `512, "lam`, 9)))
	if !slices.Contains(items, "lambda_timeout") || slices.Contains(items, "lambda_memory_size") || slices.Contains(items, "app_name") {
		t.Fatalf("stage-level key completion: %v", items)
	}
	s.Edit(cfgPath, orig)

	// Function names under lambda_functions come from app.py, minus present ones.
	fnDoc := strings.Replace(orig, `"api_handler": {"lambda_timeout": 30}`, `"api_handler": {"lambda_timeout": 30}, ""`, 1)
	s.Edit(cfgPath, fnDoc)
	items = labels(s.Completion(cfgPath, s.Pos(cfgPath, `, ""`, 3)))
	if !slices.Contains(items, "worker") || !slices.Contains(items, "every_five") || slices.Contains(items, "api_handler") || slices.Contains(items, "process") {
		t.Fatalf("function-name completion: %v", items)
	}
	s.Edit(cfgPath, orig)

	// Enum values.
	enumDoc := strings.Replace(orig, `"api_gateway_stage": "api"`, `"api_gateway_stage": "api", "api_gateway_endpoint_type": ""`, 1)
	s.Edit(cfgPath, enumDoc)
	items = labels(s.Completion(cfgPath, s.Pos(cfgPath, `"api_gateway_endpoint_type": "`, len(`"api_gateway_endpoint_type": "`))))
	for _, want := range []string{`"EDGE"`, `"REGIONAL"`, `"PRIVATE"`} {
		if !slices.Contains(items, want) {
			t.Fatalf("endpoint type values: want %s in %v", want, items)
		}
	}
	s.Edit(cfgPath, orig)

	// Hover: docs plus effective value and where it comes from.
	h := s.Hover(cfgPath, s.Pos(cfgPath, `"lambda_timeout": 30`, 3))
	if !strings.Contains(h, "lambda_timeout") || !strings.Contains(h, "`30`") || !strings.Contains(h, "stages.prod.lambda_functions.api_handler") {
		t.Fatalf("hover on stages.prod.lambda_functions.api_handler.lambda_timeout:\n%s", h)
	}
	h = s.Hover(cfgPath, s.Pos(cfgPath, `"lambda_timeout": 20`, 3))
	if !strings.Contains(h, "`20`") || !strings.Contains(h, "top level") {
		t.Fatalf("hover on top-level lambda_timeout (stage dev):\n%s", h)
	}

	// Definition of a function name under lambda_functions: its handlers (all
	// routes for api_handler).
	locs := s.Definition(cfgPath, s.Pos(cfgPath, `"api_handler"`, 2))
	if len(locs) != 1 || filepath.Base(locs[0].URI.FsPath()) != "app.py" || locs[0].Range.Start.Line != 6 {
		t.Fatalf("definition of api_handler: %+v", locs)
	}

	// Preview actions are offered in config.json.
	acts = s.CodeActions(cfgPath, protocol.Range{Start: s.Pos(cfgPath, `"prod"`, 1), End: s.Pos(cfgPath, `"prod"`, 1)}, nil)
	var preview *protocol.CodeAction
	for _, a := range acts {
		if strings.HasPrefix(a.Title, "Preview effective config") {
			preview = a
		}
	}
	if preview == nil || !strings.Contains(preview.Title, "stage prod") {
		t.Fatalf("want a Preview effective config action for stage prod, got %+v", acts)
	}
	var res struct {
		Path  string `json:"path"`
		Shown bool   `json:"shown"`
	}
	if err := s.ExecuteCommand(preview.Command, &res); err != nil {
		t.Fatal(err)
	}
	if !res.Shown {
		t.Fatal("the preview should be shown with window/showDocument")
	}
	var preview2 struct {
		Stage     string `json:"stage"`
		Functions []struct {
			Name   string `json:"name"`
			Values []struct {
				Key   string `json:"key"`
				Value any    `json:"value"`
				Level string `json:"level"`
			} `json:"values"`
		} `json:"functions"`
	}
	readJSON(t, res.Path, &preview2)
	if preview2.Stage != "prod" {
		t.Fatalf("preview stage %q", preview2.Stage)
	}
	found := false
	for _, f := range preview2.Functions {
		for _, v := range f.Values {
			if f.Name == "api_handler" && v.Key == "lambda_timeout" {
				found = true
				if v.Level != "stages.prod.lambda_functions.api_handler" || v.Value != float64(30) {
					t.Fatalf("api_handler lambda_timeout in preview: %+v", v)
				}
			}
		}
	}
	if !found {
		t.Fatalf("preview lacks api_handler.lambda_timeout: %+v", preview2)
	}
	s.With(func(st *lsptest.State) {
		if !slices.Contains(st.ShownDocs, res.Path) {
			t.Fatalf("showDocument not sent for %s: %v", res.Path, st.ShownDocs)
		}
	})
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("shutdown+exit: exit code %d, want 0", code)
	}
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
