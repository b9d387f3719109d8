package lsptest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
)

// TestHalfTypedPython plays the shared half-typed CDK fixture (testdata/cdk) against
// a Chalice project: completion works inside unterminated strings and at a call with
// no argument yet, and diagnostics still arrive.
func TestHalfTypedPython(t *testing.T) {
	root := t.TempDir()
	rt := lsptest.CopyTree(t, "testdata/lsp/webapp")
	if err := os.Rename(rt, filepath.Join(root, "runtime")); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "testdata", "cdk", "python", "half_typed.py"))
	if err != nil {
		t.Fatal(err)
	}
	py := filepath.Join(root, "infra", "half_typed.py")
	os.MkdirAll(filepath.Dir(py), 0o755)
	os.WriteFile(py, src, 0o644)
	os.WriteFile(filepath.Join(root, "infra", "cdk.json"), []byte(`{"app": "python3 app.py"}`), 0o644)

	s := lsptest.Start(t, lsptest.Config{Folders: []string{root}})
	s.Initialize()
	u := s.Open(py)
	s.Await("diagnostics on half-typed code", func(st *lsptest.State) bool { return st.Publishes[u] > 0 })

	// Inside the unterminated 'APIH of add_environment_variable: functions only.
	items := s.Completion(py, s.Pos(py, "'APIH", len("'APIH")))
	if item(items, "APIHandler") == nil || item(items, "DefaultRole") != nil {
		t.Fatalf("function IDs in an unterminated string: %v", labels(items))
	}
	// get_role( with no argument yet: the item inserts a quoted string.
	items = s.Completion(py, s.Pos(py, "get_role(", len("get_role(")))
	it := item(items, "DefaultRole")
	if it == nil {
		t.Fatalf("get_role( completion: %v", labels(items))
	}
	text, _ := it.TextEditText.Get()
	if !strings.Contains(text, `"DefaultRole"`) {
		t.Fatalf("an unquoted call site gets a quoted ID, got %q", text)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
