package lsptest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestAutomaticPackaging: in a trusted workspace packaging runs on open and on
// save (never on edits), failures land on the line they point at, the last good
// template stays in use (stale), and a restart with unchanged inputs is a cache hit.
func TestAutomaticPackaging(t *testing.T) {
	venv := lsptest.Venv(t)
	dir := lsptest.CopyTree(t, "testdata/lsp/cdkapp")
	cache := t.TempDir()
	cfg := lsptest.Config{
		Folders:     []string{dir},
		InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv}},
		Env:         []string{"XDG_CACHE_HOME=" + cache},
	}
	s := lsptest.Start(t, cfg)
	s.Initialize()
	py := filepath.Join(dir, "infra-py", "stacks.py")
	u := s.Open(py)
	s.Await("packaging on open", func(st *lsptest.State) bool { return st.Ended("chalice package") >= 1 })
	s.Await("IDs from the template", func(st *lsptest.State) bool {
		d := hasCode(st.Diagnostics[u], "unknown-logical-id")
		return d != nil && d.Severity == protocol.DiagnosticSeverityError
	})
	var runs int
	s.With(func(st *lsptest.State) { runs = st.Ended("chalice package") })

	// Edits never package.
	app := filepath.Join(dir, "runtime", "app.py")
	s.Open(app)
	orig := s.Content(app)
	broken := strings.Replace(orig, "from chalice import Chalice\n", "from chalice import Chalice\nimport definitely_not_installed_module\n", 1)
	s.Edit(app, broken)
	// A new handler typed into app.py shows up at once, predicted, and the
	// template is marked stale.
	withNew := strings.Replace(broken, "@app.schedule", "@app.lambda_function()\ndef brand_new(event, context):\n    return {}\n\n\n@app.schedule", 1)
	s.Edit(app, withNew)
	items := s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
	if it := item(items, "BrandNew"); it == nil || !strings.Contains(detailOf(*it), "predicted") {
		t.Fatalf("a handler added since packaging should be offered as predicted: %v", labels(items))
	}
	if it := item(items, "APIHandler"); it == nil || !strings.Contains(detailOf(*it), "stale") {
		t.Fatalf("after an edit the template is stale: %+v", it)
	}
	s.With(func(st *lsptest.State) {
		if st.Begun["chalice package"] != runs {
			t.Fatalf("an edit started packaging (%d begun, %d before)", st.Begun["chalice package"], runs)
		}
	})

	// Saving the broken app.py packages and fails on the import line.
	s.Save(app)
	appURI := uri.File(app)
	s.Await("import error diagnostic in app.py", func(st *lsptest.State) bool {
		for _, d := range st.Diagnostics[appURI] {
			if strings.HasPrefix(codeOf(d), "package-") {
				return true
			}
		}
		return false
	})
	for _, d := range s.Diagnostics(app) {
		if strings.HasPrefix(codeOf(d), "package-") {
			line := strings.Split(withNew, "\n")[d.Range.Start.Line]
			if !strings.Contains(line, "definitely_not_installed_module") {
				t.Fatalf("packaging error should point at the import line, points at %q: %s", line, msgOf(d))
			}
		}
	}
	s.With(func(st *lsptest.State) {
		found := false
		for _, m := range st.Messages {
			found = found || strings.Contains(m, "chalice package failed")
		}
		if !found {
			t.Fatalf("the failure should be shown to the user: %v", st.Messages)
		}
	})
	// The last good template is still used (stale).
	items = s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
	if it := item(items, "APIHandler"); it == nil || !strings.Contains(detailOf(*it), "stale") {
		t.Fatalf("after a failure the last good template stays, stale: %+v", it)
	}

	// Fix and save: diagnostics clear.
	s.Edit(app, orig)
	s.Save(app)
	s.Await("packaging diagnostics cleared", func(st *lsptest.State) bool {
		for _, d := range st.Diagnostics[appURI] {
			if strings.HasPrefix(codeOf(d), "package-") {
				return false
			}
		}
		return st.Ended("chalice package") >= runs+2
	})
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}

	// Restart with unchanged inputs: the packager's cache answers, nothing runs.
	s2 := lsptest.Start(t, cfg)
	s2.Initialize()
	s2.Open(py)
	s2.Await("cached packaging", func(st *lsptest.State) bool { return st.Ended("chalice package") >= 1 })
	s2.With(func(st *lsptest.State) {
		if !strings.Contains(st.Progress[0].EndMessage, "cached") {
			t.Fatalf("restart with unchanged inputs should be a cache hit: %+v", st.Progress)
		}
	})
	if code := s2.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

// TestUntrustedWorkspaceNeverPackages: without trust (and without the setting),
// opening and saving never runs chalice.
func TestUntrustedWorkspaceNeverPackages(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{})
	cfg := filepath.Join(dir, ".chalice", "config.json")
	u := s.Open(cfg)
	s.Save(cfg)
	s.Await("diagnostics", func(st *lsptest.State) bool { return st.Publishes[u] > 0 })
	// Shutdown drains the session; afterwards nothing may have begun.
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	s.With(func(st *lsptest.State) {
		if st.Begun["chalice package"] != 0 {
			t.Fatal("packaging ran in an untrusted workspace")
		}
	})
	if _, err := os.Stat(filepath.Join(dir, ".chalice", "deployments")); err == nil {
		t.Fatal("the server wrote into the user's project")
	}
}
