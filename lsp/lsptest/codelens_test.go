package lsptest_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
)

// withCodeLens declares textDocument.codeLens and workspace.codeLens.refreshSupport
// (not inlayHint refresh: the server must not send what was not declared).
func withCodeLens(c *protocol.ClientCapabilities) {
	yes := true
	c.TextDocument.CodeLens = &protocol.CodeLensClientCapabilities{}
	c.Workspace.CodeLens = &protocol.CodeLensWorkspaceClientCapabilities{RefreshSupport: &yes}
}

func lensTitles(ls []protocol.CodeLens) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Command.Title)
	}
	return out
}

// TestCDKCodeLens: a lens on the construct call says what it creates, predicted
// before packaging; its "Package & preview template" goes through the trust
// prompt like the code action; after packaging the client is asked to refresh
// lenses (declared) but not inlay hints (not declared), and the lens says
// "packaged"; an edit of app.py makes lenses, items and hovers say "stale" and
// lowers the unknown-ID diagnostic to a hint.
func TestCDKCodeLens(t *testing.T) {
	venv := lsptest.Venv(t)
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{Settings: map[string]any{"python": venv}, MessageAnswer: confirmPackaging, Capabilities: withCodeLens})
	if s.Init.Capabilities.CodeLensProvider == nil {
		t.Fatal("codeLensProvider not advertised to a client that declared textDocument.codeLens")
	}
	py := filepath.Join(dir, "infra-py", "stacks.py")
	u := s.Open(py)
	s.Await("CDK diagnostics", func(st *lsptest.State) bool { return hasCode(st.Diagnostics[u], "unknown-logical-id") != nil })

	lenses := s.CodeLenses(py)
	titles := lensTitles(lenses)
	if len(lenses) != 3 || !strings.HasPrefix(titles[0], "runtime · stage ") || !strings.HasSuffix(titles[0], " resources · predicted") ||
		titles[1] != "Package & preview template" || titles[2] != "Preview effective config" {
		t.Fatalf("lenses before packaging: %q", titles)
	}
	src := s.Content(py)
	if off := s.Offset(py, lenses[0].Range.Start); !strings.HasPrefix(src[off:], "Chalice(") {
		t.Fatalf("the lens should sit on the construct call, starts at %q", src[off:off+10])
	}
	if lenses[0].Command.Command != "" {
		t.Fatalf("the information lens runs nothing: %+v", lenses[0].Command)
	}
	// The code action on the call carries the same information (Helix, eglot).
	acts := s.CodeActions(py, protocol.Range{Start: s.Pos(py, "Chalice(", 2), End: s.Pos(py, "Chalice(", 2)}, nil)
	var withInfo bool
	for _, a := range acts {
		withInfo = withInfo || strings.HasPrefix(a.Title, "Package & preview template") && strings.Contains(a.Title, titles[0])
	}
	if !withInfo {
		t.Fatalf("code actions lack the lens information %q", titles[0])
	}

	// Untrusted workspace: the lens's command asks before packaging.
	var res struct {
		Path string `json:"path"`
	}
	if err := s.ExecuteCommand(lenses[1].Command, &res); err != nil {
		t.Fatal(err)
	}
	s.With(func(st *lsptest.State) {
		if len(st.MessageRequests) != 1 || !strings.Contains(st.MessageRequests[0], "not trusted") {
			t.Fatalf("packaging from a lens in an untrusted workspace must ask first: %q", st.MessageRequests)
		}
	})
	s.Await("code lens refresh after packaging", func(st *lsptest.State) bool {
		return st.Refreshes[protocol.MethodWorkspaceCodeLensRefresh] > 0
	})
	s.Await("unknown ID from the template", func(st *lsptest.State) bool {
		d := hasCode(st.Diagnostics[u], "unknown-logical-id")
		return d != nil && d.Severity == protocol.DiagnosticSeverityError
	})
	s.With(func(st *lsptest.State) {
		if n := st.Refreshes[protocol.MethodWorkspaceInlayHintRefresh]; n != 0 {
			t.Fatalf("inlayHint/refresh sent %d times to a client that did not declare it", n)
		}
		if n := st.Refreshes[protocol.MethodWorkspaceDiagnosticRefresh]; n != 0 {
			t.Fatalf("diagnostic/refresh sent %d times to a client without pull diagnostics", n)
		}
	})
	if got := lensTitles(s.CodeLenses(py))[0]; !strings.Contains(got, "· packaged ") || !strings.HasSuffix(got, " ago") && !strings.HasSuffix(got, " just now") {
		t.Fatalf("lens after packaging: %q", got)
	}

	// An edit of app.py: nothing passes as fresh any more.
	app := filepath.Join(dir, "runtime", "app.py")
	s.Open(app)
	s.Edit(app, s.Content(app)+"\n# edited\n")
	s.Await("unknown ID lowered to a hint on the stale template", func(st *lsptest.State) bool {
		d := hasCode(st.Diagnostics[u], "unknown-logical-id")
		return d != nil && d.Severity == protocol.DiagnosticSeverityHint && strings.Contains(msgOf(*d), "stale")
	})
	if got := lensTitles(s.CodeLenses(py))[0]; !strings.Contains(got, "· stale (packaged ") {
		t.Fatalf("lens after an edit: %q", got)
	}
	items := s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
	if it := item(items, "APIHandler"); it == nil || !strings.Contains(detailOf(*it), "stale (packaged ") {
		t.Fatalf("item after an edit should say stale (packaged …): %+v", it)
	}
	if h := s.Hover(py, s.Pos(py, "APIHandler'", 2)); !strings.Contains(h, "stale (packaged ") {
		t.Fatalf("hover after an edit should say stale (packaged …):\n%s", h)
	}
	raw, _ := json.Marshal(lenses[1].Command.Arguments)
	if strings.Contains(string(raw), "confirmed") {
		t.Fatalf("a lens must never carry confirmed: %s", raw)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

// TestNoCodeLensUndeclared: a client without textDocument.codeLens is not offered
// lenses (Helix, eglot).
func TestNoCodeLensUndeclared(t *testing.T) {
	s, _ := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	if s.Init.Capabilities.CodeLensProvider != nil {
		t.Fatal("codeLensProvider advertised to a client that did not declare textDocument.codeLens")
	}
	s.Shutdown()
}
