package servertest_test

import (
	"context"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// TestPositionEncodings: the server picks UTF-8, then UTF-32, else UTF-16, and
// ranges after non-ASCII text, and incremental edits after it, agree with the
// client in the negotiated encoding.
func TestPositionEncodings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		offer []protocol.PositionEncodingKind
		want  protocol.PositionEncodingKind
	}{
		{nil, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF32, protocol.PositionEncodingKindUTF16}, protocol.PositionEncodingKindUTF32},
	} {
		t.Run(string(tc.want), func(t *testing.T) {
			s := servertest.Start(t, webapp, servertest.Config{PositionEncodings: tc.offer})
			if got := s.Init.Capabilities.PositionEncoding; got != tc.want {
				t.Fatalf("negotiated %q, want %q", got, tc.want)
			}
			cfg := s.Open(configPath)
			cfg.Edit(`{"app_name": "é😀 app", "lambda_memory_size": ⟦!wrong-type|"big"⟧}`)
			cfg.WantDiagnostics()
			// Typing after the emoji: the incremental edit is converted with the same encoding.
			cfg.Edit(`{"app_name": "é😀 app2", "lambda_memory_size": ⟦!wrong-type|"big"⟧}`)
			cfg.WantDiagnostics()
		})
	}
}

// TestPullDiagnostics: with textDocument/diagnostic support the client pulls and
// the server does not push.
func TestPullDiagnostics(t *testing.T) {
	t.Parallel()
	var s *servertest.Session
	// Registered before Start, so it runs after the session ended (cleanups run
	// last-in first-out) and sees every notification the server sent.
	t.Cleanup(func() {
		if n := s.Published(); n != 0 {
			t.Errorf("pull mode must not push: %d publishDiagnostics", n)
		}
	})
	s = servertest.Start(t, webapp, servertest.Config{Capabilities: func(c *protocol.ClientCapabilities) {
		c.TextDocument.Diagnostic = &protocol.DiagnosticClientCapabilities{}
	}})
	if s.Init.Capabilities.DiagnosticProvider == nil {
		t.Fatal("diagnosticProvider not advertised")
	}
	cfg := s.Open(configPath)
	cfg.Edit(`{"lambda_timeout": "x"}`)
	rep, err := s.Server.Diagnostic(context.Background(), &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: cfg.URI}})
	if err != nil {
		t.Fatal(err)
	}
	full, ok := rep.(*protocol.RelatedFullDocumentDiagnosticReport)
	if !ok || len(full.Items) != 1 || servertest.Code(full.Items[0]) != "wrong-type" {
		t.Fatalf("pulled report: %#v", rep)
	}
}

// TestSettingsLive: a stage setting from workspace/configuration and a change via
// didChangeConfiguration apply without restart.
func TestSettingsLive(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, webapp, servertest.Config{Configuration: true, Settings: map[string]any{"stage": "prod"}})
	s.AwaitLog(`stage="prod"`)
	cfg := s.Open(configPath)
	cfg.WantHover("topTimeout", "stage `prod`", "`30`")
	if err := s.Server.DidChangeConfiguration(context.Background(), &protocol.DidChangeConfigurationParams{Settings: []byte(`{"chalice": {"stage": "dev"}}`)}); err != nil {
		t.Fatal(err)
	}
	// Notifications are handled in order before later requests: no waiting needed.
	cfg.WantHover("topTimeout", "stage `dev`", "`20`")
}
