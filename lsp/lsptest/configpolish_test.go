package lsptest_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
)

// TestConfigCompletionPolish: over stdio, iam_policy_file values come from the
// .json files in .chalice/; a custom domain key is a snippet with its required
// members for a client with snippets, plain "{}" without; enum values carry
// their own descriptions.
func TestConfigCompletionPolish(t *testing.T) {
	for _, snippets := range []bool{false, true} {
		s, dir := startWebapp(t, lsptest.Config{Capabilities: func(c *protocol.ClientCapabilities) {
			c.TextDocument.Completion.CompletionItem.SnippetSupport = &snippets
		}})
		chalice := filepath.Join(dir, ".chalice")
		if err := os.WriteFile(filepath.Join(chalice, "policy-dev.json"), []byte(`{"Version": "2012-10-17", "Statement": []}`), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(chalice, "config.json")
		s.Open(cfg, `{"version": "2.0", "app_name": "x", "iam_policy_file": "", "api_gateway_endpoint_type": "",
  "stages": {"dev": {}}}`)
		items := s.Completion(cfg, s.Pos(cfg, `"iam_policy_file": "`, len(`"iam_policy_file": "`)))
		if !slices.Contains(labels(items), `"policy-dev.json"`) || slices.Contains(labels(items), `"config.json"`) {
			t.Fatalf("iam_policy_file values: %v", labels(items))
		}
		items = s.Completion(cfg, s.Pos(cfg, `"api_gateway_endpoint_type": "`, len(`"api_gateway_endpoint_type": "`)))
		it := item(items, `"REGIONAL"`)
		if it == nil || it.Documentation == nil {
			t.Fatalf("REGIONAL item: %+v", it)
		}
		if doc := docText(it.Documentation); !strings.HasPrefix(doc, "Regional:") {
			t.Fatalf("REGIONAL documentation: %q", doc)
		}
		items = s.Completion(cfg, s.Pos(cfg, `{"dev": {`, len(`{"dev": {`)))
		it = item(items, "api_gateway_custom_domain")
		if it == nil || editText(it) == "" {
			t.Fatalf("custom domain item: %+v", it)
		}
		text := editText(it)
		if snippets {
			if it.InsertTextFormat != protocol.InsertTextFormatSnippet || !strings.Contains(text, `{"domain_name": "$1", "certificate_arn": "$2"$0}`) {
				t.Fatalf("custom domain with snippets: %q %v", text, it.InsertTextFormat)
			}
		} else if strings.Contains(text, "$") || !strings.HasSuffix(strings.TrimSuffix(text, ","), ": {}") {
			t.Fatalf("custom domain without snippets: %q", text)
		}
		s.Shutdown()
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
