package lsptest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// The server honours [tool.chalice-lsp] in pyproject.toml as `check` does: ignored
// codes and per-file ignores never reach the client; other findings do.
func TestPyprojectSettingsFilterDiagnostics(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"pyproject.toml":              "[tool.chalice-lsp]\nignore = [\"wrong-type\"]\nper-file-ignores = { \"legacy/**\" = [\"unknown-key\"] }\n",
		"api/.chalice/config.json":    "{\"app_name\": \"api\", \"lamda_timeout\": 3, \"lambda_memory_size\": \"big\"}\n",
		"api/app.py":                  "from chalice import Chalice\napp = Chalice(app_name='api')\n",
		"legacy/.chalice/config.json": "{\"app_name\": \"old\", \"lamda_timeout\": 3}\n",
		"legacy/app.py":               "from chalice import Chalice\napp = Chalice(app_name='old')\n",
	}
	for name, content := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := lsptest.Start(t, lsptest.Config{Folders: []string{root}, PullDiagnostics: true})
	s.Initialize()
	pull := func(rel string) []protocol.Diagnostic {
		p := filepath.Join(root, rel)
		s.Open(p)
		rep, err := s.Server.Diagnostic(s.T.Context(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(p)}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.(*protocol.RelatedFullDocumentDiagnosticReport).Items
	}
	api := pull("api/.chalice/config.json")
	if hasCode(api, "unknown-key") == nil || hasCode(api, "wrong-type") != nil {
		t.Errorf("api: want unknown-key and no wrong-type (ignored), got %v", api)
	}
	if legacy := pull("legacy/.chalice/config.json"); hasCode(legacy, "unknown-key") != nil {
		t.Errorf("legacy: unknown-key is ignored there by per-file-ignores, got %v", legacy)
	}
	s.Shutdown()
}
