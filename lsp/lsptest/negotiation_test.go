package lsptest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestPositionEncodings checks ranges with non-ASCII text in each encoding.
func TestPositionEncodings(t *testing.T) {
	for _, tc := range []struct {
		offer []protocol.PositionEncodingKind
		want  protocol.PositionEncodingKind
	}{
		{nil, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF32, protocol.PositionEncodingKindUTF16}, protocol.PositionEncodingKindUTF32},
	} {
		t.Run(string(tc.want), func(t *testing.T) {
			s, dir := startWebapp(t, lsptest.Config{PositionEncodings: tc.offer})
			if got := s.Init.Capabilities.PositionEncoding; got != tc.want {
				t.Fatalf("negotiated %q, want %q", got, tc.want)
			}
			cfg := filepath.Join(dir, ".chalice", "config.json")
			content := `{"app_name": "é😀 app", "lambda_memory_size": "big"}`
			u := s.Open(cfg, content)
			s.Await("diagnostic", func(st *lsptest.State) bool { return hasCode(st.Diagnostics[u], "wrong-type") != nil })
			d := hasCode(s.Diagnostics(cfg), "wrong-type")
			start, end := s.Offset(cfg, d.Range.Start), s.Offset(cfg, d.Range.End)
			if content[start:end] != `"big"` {
				t.Fatalf("range maps to %q, want \"big\"", content[start:end])
			}
			// Typing after the emoji: the incremental edit is converted with the same encoding.
			s.Edit(cfg, strings.Replace(content, "😀 app", "😀 app2", 1))
			s.Await("still one diagnostic after the edit", func(st *lsptest.State) bool { return st.Publishes[u] >= 2 })
			if got := s.Content(cfg); !strings.Contains(got, "app2") {
				t.Fatal("edit lost")
			}
			d = hasCode(s.Diagnostics(cfg), "wrong-type")
			c := s.Content(cfg)
			if c[s.Offset(cfg, d.Range.Start):s.Offset(cfg, d.Range.End)] != `"big"` {
				t.Fatal("range wrong after an edit after non-ASCII text (server and client disagree on the content)")
			}
			s.Shutdown()
		})
	}
}

// TestPullDiagnostics: with textDocument/diagnostic support the client pulls and
// the server does not push.
func TestPullDiagnostics(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{PullDiagnostics: true})
	if s.Init.Capabilities.DiagnosticProvider == nil {
		t.Fatal("diagnosticProvider not advertised")
	}
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg, `{"lambda_timeout": "x"}`)
	rep, err := s.Server.Diagnostic(s.T.Context(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(cfg)}})
	if err != nil {
		t.Fatal(err)
	}
	full, ok := rep.(*protocol.RelatedFullDocumentDiagnosticReport)
	if !ok || hasCode(full.Items, "wrong-type") == nil {
		t.Fatalf("pulled report: %#v", rep)
	}
	s.Shutdown()
	s.With(func(st *lsptest.State) {
		if len(st.Publishes) != 0 {
			t.Fatalf("pull mode must not push: %v", st.Publishes)
		}
	})
}

// TestSettingsLive: a stage setting from workspace/configuration and a change via
// didChangeConfiguration apply without restart.
func TestSettingsLive(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{Settings: map[string]any{"stage": "prod"}})
	s.Await("configuration pulled", func(st *lsptest.State) bool { return st.ConfigurationRequests > 0 })
	s.Await("watchers registered", func(st *lsptest.State) bool { return len(st.Registrations) > 0 })
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg)
	s.Await("settings applied", func(st *lsptest.State) bool {
		for _, l := range st.Logs {
			if strings.Contains(l, `stage="prod"`) {
				return true
			}
		}
		return false
	})
	h := s.Hover(cfg, s.Pos(cfg, `"lambda_timeout": 20`, 3))
	if !strings.Contains(h, "stage `prod`") || !strings.Contains(h, "`30`") {
		t.Fatalf("hover should resolve for the configured stage prod:\n%s", h)
	}
	if err := s.Server.DidChangeConfiguration(s.T.Context(), &protocol.DidChangeConfigurationParams{Settings: []byte(`{"chalice": {"stage": "dev"}}`)}); err != nil {
		t.Fatal(err)
	}
	h = s.Hover(cfg, s.Pos(cfg, `"lambda_timeout": 20`, 3))
	if !strings.Contains(h, "stage `dev`") || !strings.Contains(h, "`20`") {
		t.Fatalf("after didChangeConfiguration the stage is dev:\n%s", h)
	}
	s.Shutdown()
}
