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

// packagerStats asks the server for its packager's counters (chalice-lsp/stats).
func packagerStats(t *testing.T, s *lsptest.Session) (runs int64) {
	t.Helper()
	var st struct{ Runs int64 }
	if _, err := s.Conn.Call(ctx(t), "chalice-lsp/stats", map[string]any{}, &st); err != nil {
		t.Fatalf("chalice-lsp/stats: %v", err)
	}
	return st.Runs
}

// packaged counts packaging runs that ended with a template (not cancelled or
// failed).
func packaged(st *lsptest.State) int {
	n := 0
	for _, p := range st.Progress {
		if p.Title == "chalice package" && strings.Contains(p.EndMessage, "packaged") {
			n++
		}
	}
	return n
}

// TestSavesDebounced: several saves of app.py in a row, each with new content,
// package once: one run begins (none is started and then superseded) and chalice
// runs once, for the last content.
func TestSavesDebounced(t *testing.T) {
	venv := lsptest.Venv(t)
	s, dir := startWebapp(t, lsptest.Config{
		InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv}},
		// A burst is a burst even on a loaded machine (the default is 400ms).
		Env: []string{"CHALICE_LSP_DEBOUNCE=1500ms"},
	})
	app := filepath.Join(dir, "app.py")
	s.Open(app)
	s.Await("packaging on open", func(st *lsptest.State) bool { return packaged(st) == 1 })
	if runs := packagerStats(t, s); runs != 1 {
		t.Fatalf("opening app.py should run chalice once, ran %d", runs)
	}
	orig := s.Content(app)
	const saves = 5
	for i := range saves {
		s.Edit(app, orig+fmt.Sprintf("\n\n@app.lambda_function()\ndef burst_%d(event, context):\n    return %d\n", i, i))
		s.Save(app)
	}
	s.Await("packaging after the saves", func(st *lsptest.State) bool { return packaged(st) == 2 })
	s.With(func(st *lsptest.State) {
		if n := st.Begun["chalice package"]; n != 2 {
			t.Fatalf("%d saves in a row began %d packaging runs after the first, want 1: %+v", saves, n-1, st.Progress)
		}
	})
	if runs := packagerStats(t, s); runs != 2 {
		t.Fatalf("%d saves in a row ran chalice %d times, want once", saves, runs-1)
	}
	// The run packaged the last save: previewing the project is a cache hit (no
	// new chalice run) and the template holds the last save's handler.
	cfg := filepath.Join(dir, ".chalice", "config.json")
	var res struct {
		Path string `json:"path"`
	}
	arg := []byte(fmt.Sprintf(`{"uri": %q}`, uri.File(cfg)))
	if err := s.ExecuteCommand(protocol.Command{Command: "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg}}, &res); err != nil {
		t.Fatal(err)
	}
	if runs := packagerStats(t, s); runs != 2 {
		t.Fatalf("the preview after the burst ran chalice again (%d runs): the burst did not package the last save", runs)
	}
	var tmpl struct{ Resources map[string]any }
	readJSON(t, res.Path, &tmpl)
	if _, ok := tmpl.Resources[fmt.Sprintf("Burst%d", saves-1)]; !ok {
		t.Fatalf("the template lacks the last save's handler Burst%d", saves-1)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
