package servertest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// pyprojectWorkspace ignores wrong-type everywhere and unknown-key below legacy/.
const pyprojectWorkspace = `
-- pyproject.toml --
[tool.chalice-lsp]
ignore = ["wrong-type"]
per-file-ignores = { "legacy/**" = ["unknown-key"] }
-- api/.chalice/config.json --
{"app_name": "api", ⟦!unknown-key|"lamda_timeout"⟧: 3, "lambda_memory_size": "big"}
-- api/app.py --
from chalice import Chalice
app = Chalice(app_name='api')
-- legacy/.chalice/config.json --
{"app_name": "old", "lamda_timeout": 3}
-- legacy/app.py --
from chalice import Chalice
app = Chalice(app_name='old')
`

// The server honours [tool.chalice-lsp] in pyproject.toml as check does: ignored
// codes and per-file ignores never reach the client, pushed or pulled; other
// findings do.
func TestPyprojectSettingsFilterDiagnostics(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, pyprojectWorkspace, servertest.Config{})
	s.Open("api/.chalice/config.json").WantDiagnostics()
	s.Open("legacy/.chalice/config.json").WantDiagnostics()

	pulling := servertest.Start(t, pyprojectWorkspace, servertest.Config{Capabilities: func(c *protocol.ClientCapabilities) {
		c.TextDocument.Diagnostic = &protocol.DiagnosticClientCapabilities{}
	}})
	for file, want := range map[string]string{"api/.chalice/config.json": "unknown-key", "legacy/.chalice/config.json": ""} {
		d := pulling.Open(file)
		rep, err := pulling.Server.Diagnostic(context.Background(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.URI}})
		if err != nil {
			t.Fatal(err)
		}
		var codes string
		for _, g := range rep.(*protocol.RelatedFullDocumentDiagnosticReport).Items {
			codes += fmt.Sprint(g.Code)
		}
		if codes != want {
			t.Errorf("pulled diagnostics of %s: codes %q, want %q", file, codes, want)
		}
	}
}
