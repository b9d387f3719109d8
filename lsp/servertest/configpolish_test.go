package servertest_test

import (
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// TestConfigCompletionPolish: iam_policy_file values come from the .json files in
// .chalice/; a custom domain key is a snippet with its required members for a
// client with snippets, plain "{}" without; enum values carry their own
// descriptions.
func TestConfigCompletionPolish(t *testing.T) {
	t.Parallel()
	for _, snippets := range []bool{false, true} {
		s := servertest.Start(t, `
-- webapp/app.py --
from chalice import Chalice
app = Chalice(app_name='x')
-- webapp/.chalice/policy-dev.json --
{"Version": "2012-10-17", "Statement": []}
-- webapp/.chalice/config.json --
{"version": "2.0", "app_name": "x", "iam_policy_file": "⟨policy⟩", "api_gateway_endpoint_type": "⟨endpoint⟩",
  "stages": {"dev": {⟨stageKey⟩}}}
`, servertest.Config{Capabilities: func(c *protocol.ClientCapabilities) {
			c.TextDocument.Completion.CompletionItem.SnippetSupport = &snippets
		}})
		cfg := s.Open("webapp/.chalice/config.json")
		cfg.WantCompletion("policy", []string{`"policy-dev.json"`}, []string{`"config.json"`})
		it := cfg.Completion("endpoint").Item(`"REGIONAL"`)
		if it == nil || !strings.HasPrefix(docText(it.Documentation), "Regional:") {
			t.Errorf("the REGIONAL item should carry its own description: %+v", it)
		}
		it = cfg.Completion("stageKey").Item("api_gateway_custom_domain")
		if it == nil {
			t.Fatal("no api_gateway_custom_domain item in a stage")
		}
		text := editText(it)
		if snippets {
			if it.InsertTextFormat != protocol.InsertTextFormatSnippet || !strings.Contains(text, `{"domain_name": "$1", "certificate_arn": "$2"$0}`) {
				t.Errorf("custom domain with snippets: %q %v", text, it.InsertTextFormat)
			}
		} else if strings.Contains(text, "$") || !strings.HasSuffix(strings.TrimSuffix(text, ","), ": {}") {
			t.Errorf("custom domain without snippets: %q", text)
		}
	}
}

func docText(d any) string {
	switch d := d.(type) {
	case *protocol.MarkupContent:
		return d.Value
	case protocol.String:
		return string(d)
	}
	return ""
}

func editText(it *protocol.CompletionItem) string {
	if t, ok := it.TextEditText.Get(); ok {
		return t
	}
	switch e := it.TextEdit.(type) {
	case *protocol.TextEdit:
		return e.NewText
	case *protocol.InsertReplaceEdit:
		return e.NewText
	}
	return ""
}
