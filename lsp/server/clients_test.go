package server

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// Plaintext clients get text without markdown syntax (issue #11 D4).
func TestPlainTextHasNoMarkdown(t *testing.T) {
	md := "**lambda_timeout** — integer\n\nSeconds before `Lambda` stops the function. See [docs](https://aws.amazon.com).\n\n```json\n\"lambda_timeout\": 60\n```\n---\n- `api_handler`: `30` from **stages.prod**"
	got := plainText(md)
	for _, bad := range []string{"**", "`", "```", "](", "---"} {
		if strings.Contains(got, bad) {
			t.Errorf("plain text keeps %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{"lambda_timeout — integer", "Seconds before Lambda stops", "docs (https://aws.amazon.com)", "    \"lambda_timeout\": 60", "- api_handler: 30 from stages.prod"} {
		if !strings.Contains(got, want) {
			t.Errorf("plain text lacks %q:\n%s", want, got)
		}
	}
}

// A quick fix uses the server's own diagnostic, whatever range the client echoes
// (issue #11 D6: Neovim 0.7-0.9 echo byte columns).
func TestMatchDiagnosticIgnoresEchoedRange(t *testing.T) {
	rng := func(l, a, b uint32) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: l, Character: a}, End: protocol.Position{Line: l, Character: b}}
	}
	own := []protocol.Diagnostic{
		{Range: rng(3, 2, 10), Code: protocol.String("unknown-key"), Message: protocol.String("unknown key \"a\"")},
		{Range: rng(3, 29, 44), Code: protocol.String("unknown-key"), Message: protocol.String("unknown key \"lamda_timeout\"")},
	}
	echoed := protocol.Diagnostic{Range: rng(3, 35, 50), Code: protocol.String("unknown-key"), Message: protocol.String("unknown key \"lamda_timeout\"")}
	got, ok := matchDiagnostic(own, echoed)
	if !ok || got.Range != own[1].Range {
		t.Fatalf("matched %+v (ok=%v), want the server's own range %+v", got.Range, ok, own[1].Range)
	}
	if _, ok := matchDiagnostic(own, protocol.Diagnostic{Range: rng(4, 0, 1), Code: protocol.String("unknown-key"), Message: protocol.String("unknown key \"lamda_timeout\"")}); ok {
		t.Fatal("a diagnostic on another line must not match")
	}
}
