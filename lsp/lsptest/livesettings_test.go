package lsptest_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// changeSettings sends workspace/didChangeConfiguration with the chalice section.
func changeSettings(t *testing.T, s *lsptest.Session, section string) {
	t.Helper()
	if err := s.Server.DidChangeConfiguration(s.T.Context(), &protocol.DidChangeConfigurationParams{Settings: []byte(`{"chalice": ` + section + `}`)}); err != nil {
		t.Fatal(err)
	}
}

func logged(st *lsptest.State, sub string) int {
	n := 0
	for _, l := range st.Logs {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

// TestPackagingSettingsLive: packaging.automatic and python change through
// workspace/didChangeConfiguration and take effect in the running server: off
// keeps saves from packaging even in a trusted workspace, on packages what is
// open, a python without chalice fails, and switching python to the venv
// packages again with it.
func TestPackagingSettingsLive(t *testing.T) {
	venv := lsptest.Venv(t)
	bogus := filepath.Join(t.TempDir(), "no-python-here")
	s, dir := startWebapp(t, lsptest.Config{
		InitOptions: map[string]any{"workspaceTrusted": true},
		Settings:    map[string]any{"packaging": map[string]any{"automatic": false}, "python": bogus, "logLevel": "debug"},
	})
	s.Await("settings pulled and applied", func(st *lsptest.State) bool { return logged(st, "automaticPackaging=false") > 0 })
	cfg := filepath.Join(dir, ".chalice", "config.json")
	cfgURI := uri.File(cfg)
	s.Open(cfg)
	s.Save(cfg)
	s.Await("save skipped: automatic packaging off", func(st *lsptest.State) bool { return logged(st, "automatic packaging is off") >= 2 })
	s.With(func(st *lsptest.State) {
		if st.Begun["chalice package"] != 0 {
			t.Fatal("packaging ran although packaging.automatic is false")
		}
	})

	// On: what is open packages now, with the configured (wrong) python.
	changeSettings(t, s, `{"packaging": {"automatic": true}}`)
	s.Await("packaging with the bogus python fails", func(st *lsptest.State) bool { return st.Ended("chalice package") >= 1 })
	s.With(func(st *lsptest.State) {
		if !strings.Contains(st.Progress[0].EndMessage, "failed") {
			t.Fatalf("packaging with %s should fail: %+v", bogus, st.Progress)
		}
	})
	s.Await("chalice-not-installed diagnostic", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[cfgURI], "package-chalice-not-installed") != nil
	})

	// Python changes: packaging runs again with it (no save, no restart).
	changeSettings(t, s, fmt.Sprintf(`{"python": %q}`, venv))
	s.Await("packaging with the venv", func(st *lsptest.State) bool { return st.Ended("chalice package") >= 2 })
	s.With(func(st *lsptest.State) {
		if end := st.Progress[1].EndMessage; !strings.Contains(end, "packaged") {
			t.Fatalf("packaging with the venv python should succeed: %q", end)
		}
	})
	s.Await("packaging diagnostic cleared", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[cfgURI], "package-chalice-not-installed") == nil
	})

	// Off again: a save does not package.
	changeSettings(t, s, `{"packaging": {"automatic": false}}`)
	s.Save(cfg)
	s.Await("save skipped again", func(st *lsptest.State) bool { return logged(st, "automatic packaging is off") >= 3 })
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	s.With(func(st *lsptest.State) {
		if st.Begun["chalice package"] != 2 {
			t.Fatalf("want exactly the two runs the setting changes caused, got %d", st.Begun["chalice package"])
		}
	})
}
