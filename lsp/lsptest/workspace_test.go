package lsptest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestWorkspaceChanges: projects appear through didChangeWorkspaceFolders and
// didChangeWatchedFiles, and app.py changes made outside the editor reach
// config.json completion.
func TestWorkspaceChanges(t *testing.T) {
	s := lsptest.Start(t, lsptest.Config{})
	s.Initialize()
	dir := lsptest.CopyTree(t, "testdata/lsp/webapp")
	if err := s.Server.DidChangeWorkspaceFolders(s.T.Context(), &protocol.DidChangeWorkspaceFoldersParams{Event: protocol.WorkspaceFoldersChangeEvent{
		Added: []protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "webapp"}}, Removed: []protocol.WorkspaceFolder{},
	}}); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, ".chalice", "config.json")
	content := `{"lambda_functions": {"": {}}}`
	s.Open(cfg, content)
	fns := labels(s.Completion(cfg, s.Pos(cfg, `""`, 1)))
	if !slices.Contains(fns, "worker") {
		t.Fatalf("functions from app.py: %v", fns)
	}
	// app.py changes on disk (git checkout): the watcher event refreshes handlers.
	app := filepath.Join(dir, "app.py")
	b, _ := os.ReadFile(app)
	if err := os.WriteFile(app, []byte(string(b)+"\n\n@app.lambda_function()\ndef from_disk(event, context):\n    return {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Server.DidChangeWatchedFiles(s.T.Context(), &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uri.File(app), Type: protocol.FileChangeTypeChanged}}}); err != nil {
		t.Fatal(err)
	}
	fns = labels(s.Completion(cfg, s.Pos(cfg, `""`, 1)))
	if !slices.Contains(fns, "from_disk") {
		t.Fatalf("a handler written on disk should be offered after the watcher event: %v", fns)
	}
	// A second project created on disk is found through the watcher.
	second := filepath.Join(dir, "nested")
	if err := os.MkdirAll(filepath.Join(second, ".chalice"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(second, "app.py"), []byte("from chalice import Chalice\napp = Chalice(app_name='n')\n\n@app.lambda_function()\ndef only_here(e, c):\n    return 1\n"), 0o644)
	cfg2 := filepath.Join(second, ".chalice", "config.json")
	os.WriteFile(cfg2, []byte(content), 0o644)
	s.Server.DidChangeWatchedFiles(s.T.Context(), &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uri.File(cfg2), Type: protocol.FileChangeTypeCreated}}})
	s.Open(cfg2)
	if fns := labels(s.Completion(cfg2, s.Pos(cfg2, `""`, 1))); !slices.Equal(fns, []string{"only_here"}) {
		t.Fatalf("nested project's functions: %v", fns)
	}
	s.Await("project count logged", func(st *lsptest.State) bool {
		for _, l := range st.Logs {
			if strings.Contains(l, "2 Chalice project(s)") {
				return true
			}
		}
		return false
	})
	s.Shutdown()
}

// TestClientWorkDoneToken: a command's progress uses the token the client sent.
func TestClientWorkDoneToken(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{MessageAnswer: confirmPackaging})
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg)
	arg, _ := json.Marshal(map[string]any{"uri": string(uri.File(cfg)), "stage": "prod"})
	res, err := s.Server.ExecuteCommand(s.T.Context(), &protocol.ExecuteCommandParams{
		WorkDoneProgressParams: protocol.WorkDoneProgressParams{WorkDoneToken: protocol.String("client-token-1")},
		Command:                "chalice-lsp.previewEffectiveConfig", Arguments: []protocol.LSPAny{arg},
	})
	if err != nil || len(res) == 0 {
		t.Fatalf("previewEffectiveConfig: %v", err)
	}
	// Effective config writes no progress; packaging does, under the client's token.
	venv := lsptest.Venv(t)
	if err := s.Server.DidChangeConfiguration(s.T.Context(), &protocol.DidChangeConfigurationParams{Settings: []byte(`{"chalice": {"python": "` + venv + `"}}`)}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Server.ExecuteCommand(s.T.Context(), &protocol.ExecuteCommandParams{
		WorkDoneProgressParams: protocol.WorkDoneProgressParams{WorkDoneToken: protocol.String("client-token-2")},
		Command:                "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg},
	})
	if err != nil {
		t.Fatalf("packagePreview: %v", err)
	}
	s.Await("progress under the client token", func(st *lsptest.State) bool { return st.EndedToken("client-token-2") == 1 })
	s.Shutdown()
}
