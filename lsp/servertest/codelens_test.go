package servertest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// withCodeLens declares textDocument.codeLens and workspace.codeLens.refreshSupport
// (not inlayHint refresh: the server must not send what was not declared).
func withCodeLens(c *protocol.ClientCapabilities) {
	yes := true
	c.TextDocument.CodeLens = &protocol.CodeLensClientCapabilities{}
	c.Workspace.CodeLens = &protocol.CodeLensWorkspaceClientCapabilities{RefreshSupport: &yes}
}

func codeLenses(t *testing.T, s *servertest.Session, d *servertest.Doc) ([]protocol.CodeLens, []string) {
	t.Helper()
	ls, err := s.Server.CodeLens(context.Background(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.URI}})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, l := range ls {
		titles = append(titles, l.Command.Title)
	}
	return ls, titles
}

// TestCDKCodeLens: a lens on the construct call says what it creates, predicted
// before packaging; its "Package & preview template" goes through the trust
// prompt like the code action; after packaging the client is asked to refresh
// lenses (declared) but not inlay hints (not declared), and the lens says
// "packaged"; an edit of app.py makes lenses, items and hovers say "stale" and
// lowers the unknown-ID diagnostic to a hint.
func TestCDKCodeLens(t *testing.T) {
	t.Parallel()
	testenv.Chalice(t)
	s := servertest.Start(t, runtime+pythonStack, servertest.Config{
		Settings: map[string]any{"python": testenv.Venv(t)}, MessageAnswer: "Package anyway", Capabilities: withCodeLens})
	if s.Init.Capabilities.CodeLensProvider == nil {
		t.Fatal("codeLensProvider not advertised to a client that declared textDocument.codeLens")
	}
	py := s.Open("infra-py/stacks.py")
	py.WantDiagnostics()

	lenses, titles := codeLenses(t, s, py)
	if len(lenses) != 3 || !strings.HasPrefix(titles[0], "runtime · stage ") || !strings.HasSuffix(titles[0], " resources · predicted") ||
		titles[1] != "Package & preview template" || titles[2] != "Preview effective config" {
		t.Fatalf("lenses before packaging: %q", titles)
	}
	if lenses[0].Range.Start != py.Pos("construct") {
		t.Errorf("the lens should sit on the construct call: %+v, want it to start at %+v", lenses[0].Range, py.Pos("construct"))
	}
	if lenses[0].Command.Command != "" {
		t.Errorf("the information lens runs nothing: %+v", lenses[0].Command)
	}
	if raw, _ := json.Marshal(lenses[1].Command.Arguments); strings.Contains(string(raw), "confirmed") {
		t.Errorf("a lens must never carry confirmed: %s", raw)
	}
	// The code action on the call carries the same information (Helix, eglot).
	withInfo := false
	for _, a := range py.CodeActions("construct") {
		withInfo = withInfo || strings.HasPrefix(a.Title, "Package & preview template") && strings.Contains(a.Title, titles[0])
	}
	if !withInfo {
		t.Errorf("code actions lack the lens information %q", titles[0])
	}

	// Untrusted workspace: the lens's command asks before packaging.
	s.ExecuteCommand(lenses[1].Command, nil)
	if p := s.Prompts(); len(p) != 1 || !strings.Contains(p[0], "not trusted") {
		t.Fatalf("packaging from a lens in an untrusted workspace must ask first: %q", p)
	}
	s.AwaitRefresh(protocol.MethodWorkspaceCodeLensRefresh)
	py.Expect(strings.Replace(stacksPy, "!unknown-logical-id:warning", "!unknown-logical-id:error", 1))
	py.WantDiagnostics()
	for _, m := range []string{protocol.MethodWorkspaceInlayHintRefresh, protocol.MethodWorkspaceDiagnosticRefresh} {
		if n := s.Refreshes(m); n != 0 {
			t.Errorf("%s sent %d times to a client that did not declare it", m, n)
		}
	}
	if _, titles = codeLenses(t, s, py); !strings.Contains(titles[0], "· packaged ") || !strings.HasSuffix(titles[0], " ago") && !strings.HasSuffix(titles[0], " just now") {
		t.Errorf("lens after packaging: %q", titles[0])
	}

	// An edit of app.py: nothing passes as fresh any more.
	app := s.Open("runtime/app.py")
	app.Edit(app.Text + "\n# edited\n")
	py.Expect(strings.Replace(stacksPy, "!unknown-logical-id:warning", "!unknown-logical-id:hint", 1))
	py.WantDiagnostics()
	if msg := servertest.Message(py.Diagnostic("unknown-logical-id", "unknown")); !strings.Contains(msg, "stale") {
		t.Errorf("the unknown ID on a stale template should say so: %s", msg)
	}
	if _, titles = codeLenses(t, s, py); !strings.Contains(titles[0], "· stale (packaged ") {
		t.Errorf("lens after an edit: %q", titles[0])
	}
	if it := py.Completion("resource").Item("APIHandler"); it == nil || !strings.Contains(detail(it), "stale (packaged ") {
		t.Errorf("item after an edit should say stale (packaged …): %+v", it)
	}
	py.WantHover("apiHover", "stale (packaged ")
}

// TestNoCodeLensUndeclared: a client without textDocument.codeLens is not offered
// lenses (Helix, eglot).
func TestNoCodeLensUndeclared(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, runtime+pythonStack, servertest.Config{})
	if p := s.Init.Capabilities.CodeLensProvider; p != nil {
		t.Fatalf("codeLensProvider advertised to a client that did not declare textDocument.codeLens: %+v", p)
	}
}
