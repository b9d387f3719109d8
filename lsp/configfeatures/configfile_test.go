package configfeatures

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
)

// TestConfigFileFeatures: completion and hover in a snapshot's config.json know
// the project's handlers (app.py as the snapshot holds it, an unsaved buffer
// included), the policy files next to config.json, and the open buffer's text.
func TestConfigFileFeatures(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".chalice/config.json":     "{}\n",
		".chalice/policy-dev.json": "{}\n",
		"app.py":                   "from chalice import Chalice\napp = Chalice(app_name='a')\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, ".chalice", "config.json")
	src, off := caret(t, `{"lambda_functions": {"|"}, "iam_policy_file": ""}`)
	app := "from chalice import Chalice\napp = Chalice(app_name='a')\n\n@app.lambda_function()\ndef worker(event, context):\n    pass\n"
	snap, _ := analysis.FromDisk(os.ReadFile, settings.Defaults(), dir).Modify(analysis.Changes{Open: []*analysis.Document{
		{Path: cfg, Version: 1, Content: src},
		{Path: filepath.Join(dir, "app.py"), Version: 1, Content: []byte(app)},
	}})

	if ls := itemLabels(CompleteFile(snap, cfg, off, false)); !slices.Contains(ls, "worker") {
		t.Fatalf("function names under lambda_functions: %v, want worker (from the unsaved app.py)", ls)
	}
	pol := strings.LastIndex(string(src), `""`) + 1
	if ls := itemLabels(CompleteFile(snap, cfg, pol, false)); !slices.Contains(ls, `"policy-dev.json"`) {
		t.Fatalf("iam_policy_file values: %v, want policy-dev.json", ls)
	}
	h, ok := HoverFile(snap, cfg, strings.Index(string(src), "lambda_functions")+2)
	if !ok || !strings.Contains(h.Markdown, "lambda_functions") || string(src[h.Start:h.End]) != `"lambda_functions"` {
		t.Fatalf("hover on lambda_functions: %+v %v", h, ok)
	}
}
