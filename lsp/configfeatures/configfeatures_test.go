package configfeatures

import (
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// caret splits a fixture at "|" into the source and the cursor offset.
func caret(t *testing.T, s string) ([]byte, int) {
	t.Helper()
	i := strings.Index(s, "|")
	if i < 0 {
		t.Fatal("fixture without |")
	}
	return []byte(s[:i] + s[i+1:]), i
}

func complete(t *testing.T, fixture string, c Context) []Item {
	src, off := caret(t, fixture)
	root, _ := jsonpos.Parse(src)
	return Complete(src, root, off, c)
}

func itemLabels(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

func TestKeyCompletionSkipsPresentAndInsertsValue(t *testing.T) {
	items := complete(t, `{"app_name": "x", |}`, Context{Kind: schema.ConfigFile})
	ls := itemLabels(items)
	if slices.Contains(ls, "app_name") || !slices.Contains(ls, "stages") || !slices.Contains(ls, "lambda_timeout") {
		t.Fatalf("top-level keys: %v", ls)
	}
	for _, it := range items {
		if it.Label == "stages" && it.Text != `"stages": {}` {
			t.Fatalf("a new key inserts key and value: %q", it.Text)
		}
	}
	// Inside an existing key token only the inside of its quotes is replaced.
	items = complete(t, `{"app_na|me": "x"}`, Context{Kind: schema.ConfigFile})
	for _, it := range items {
		if it.Label == "app_name" {
			if it.Text != `app_name` || it.Start != 2 || it.End != 10 {
				t.Fatalf("key token replacement: %+v", it)
			}
			return
		}
	}
	t.Fatal("app_name should be offered on its own key")
}

func TestValueCompletionPythonSyntax(t *testing.T) {
	// A stage_config literal in Python: booleans are True/False.
	src, off := caret(t, `{"xray": |}`)
	root, _ := jsonpos.Parse(src)
	items := Complete(src, root, off, Context{Kind: schema.StageConfig, Syntax: Python})
	if ls := itemLabels(items); !slices.Contains(ls, "True") || !slices.Contains(ls, "False") {
		t.Fatalf("xray values in Python: %v", ls)
	}
}

func TestFunctionAndStageNames(t *testing.T) {
	items := complete(t, `{"lambda_functions": {"a": {}, |}}`, Context{Kind: schema.ConfigFile, Functions: []string{"a", "b"}})
	if ls := itemLabels(items); !slices.Equal(ls, []string{"b"}) {
		t.Fatalf("function names: %v", ls)
	}
	items = complete(t, `{"stages": {"dev": {}, |}}`, Context{Kind: schema.ConfigFile, Stage: "qa"})
	if ls := itemLabels(items); !slices.Equal(ls, []string{"qa", "prod"}) {
		t.Fatalf("stage names: %v", ls)
	}
}

func TestHoverEffectiveValue(t *testing.T) {
	src := []byte(`{"lambda_timeout": 10, "stages": {"prod": {"lambda_functions": {"api_handler": {"lambda_timeout": 30}}}}}`)
	root, _ := jsonpos.Parse(src)
	off := strings.LastIndex(string(src), "lambda_timeout")
	h, ok := HoverAt(root, off, Context{Kind: schema.ConfigFile})
	if !ok || !strings.Contains(h.Markdown, "`30`") || !strings.Contains(h.Markdown, "stages.prod.lambda_functions.api_handler") {
		t.Fatalf("hover: %+v", h)
	}
	// The top-level value, seen from stage dev for every function.
	h, _ = HoverAt(root, 3, Context{Kind: schema.ConfigFile, Functions: []string{"api_handler", "worker"}})
	if !strings.Contains(h.Markdown, "`worker`: `10` from **top level**") {
		t.Fatalf("per-function effective values:\n%s", h.Markdown)
	}
	// A stage_config overlay resolves against the project's config.
	overlaySrc := []byte(`{"lambda_timeout": 99}`)
	ov, _ := jsonpos.Parse(overlaySrc)
	h, _ = HoverAt(ov, 3, Context{Kind: schema.StageConfig, Config: root, Stage: "prod", Functions: []string{"api_handler", "worker"}})
	if !strings.Contains(h.Markdown, "`api_handler`: `30`") || !strings.Contains(h.Markdown, "`worker`: `99` from **stage_config**") {
		t.Fatalf("overlay hover (SF beats stage_config, stage_config beats top level):\n%s", h.Markdown)
	}
}

func TestPythonQuoteStyle(t *testing.T) {
	src, off := caret(t, `{'lambda_timeout': 3, 'lam|'}`)
	// The Python literal parses like JSON for this test's purpose only through
	// cdkcode; here a JSON tree with the same spans is enough.
	root, _ := jsonpos.Parse([]byte(strings.ReplaceAll(string(src), "'", `"`)))
	items := Complete(src, root, off, Context{Kind: schema.StageConfig, Syntax: Python})
	for _, it := range items {
		if it.Label == "lambda_memory_size" {
			// The edit starts after the typed quote, so newText does too.
			if it.Text != `lambda_memory_size': 128` || src[it.Start-1] != '\'' {
				t.Fatalf("Python dict with single quotes: %q", it.Text)
			}
			return
		}
	}
	t.Fatalf("no lambda_memory_size in %v", itemLabels(items))
}

// TestHoverNull: a null setting is "not set" for Chalice; hover says so and
// shows the value from the next level.
func TestHoverNull(t *testing.T) {
	src := []byte(`{"lambda_timeout": 10, "stages": {"dev": {"lambda_timeout": null}}}`)
	root, _ := jsonpos.Parse(src)
	off := strings.LastIndex(string(src), "lambda_timeout")
	h, ok := HoverAt(root, off, Context{Kind: schema.ConfigFile})
	if !ok || !strings.Contains(h.Markdown, "null: not set") || !strings.Contains(h.Markdown, "`10` from **top level**") {
		t.Fatalf("hover on a null setting:\n%s", h.Markdown)
	}
	h, _ = HoverAt(root, 3, Context{Kind: schema.ConfigFile})
	if strings.Contains(h.Markdown, "null: not set") {
		t.Fatalf("only null values say so:\n%s", h.Markdown)
	}
}

// TestCustomDomainRequiredSnippet: a custom domain key inserts its required
// members as a snippet (tab stops in order, final cursor inside); without
// snippets it stays a plain "{}".
func TestCustomDomainRequiredSnippet(t *testing.T) {
	for _, key := range []string{"api_gateway_custom_domain", "websocket_api_custom_domain"} {
		var got *Item
		items := complete(t, `{"app_name": "x", |}`, Context{Kind: schema.ConfigFile, Snippets: true})
		for i := range items {
			if items[i].Label == key {
				got = &items[i]
			}
		}
		want := `"` + key + `": {"domain_name": "$1", "certificate_arn": "$2"$0}`
		if got == nil || !got.Snippet || got.Text != want {
			t.Fatalf("%s with snippets: %+v, want text %s", key, got, want)
		}
		items = complete(t, `{"app_name": "x", |}`, Context{Kind: schema.ConfigFile})
		for _, it := range items {
			if it.Label == key && (it.Snippet || it.Text != `"`+key+`": {}`) {
				t.Fatalf("%s without snippets: %+v", key, it)
			}
		}
	}
	// Python stage_config with single quotes keeps them in the members.
	items := complete(t, `{'lambda_timeout': 1, |}`, Context{Kind: schema.StageConfig, Syntax: Python, Snippets: true})
	for _, it := range items {
		if it.Label == "api_gateway_custom_domain" && !strings.Contains(it.Text, `{'domain_name': "$1", 'certificate_arn': "$2"$0}`) {
			t.Fatalf("Python custom domain snippet: %s", it.Text)
		}
	}
}

// TestPolicyFileValues: iam_policy_file and api_gateway_policy_file values come
// from the .json files present in .chalice/.
func TestPolicyFileValues(t *testing.T) {
	c := Context{Kind: schema.ConfigFile, PolicyFiles: []string{"policy-dev.json", "api-policy.json"}}
	for _, fixture := range []string{`{"iam_policy_file": "|"}`, `{"stages": {"dev": {"api_gateway_policy_file": |}}}`, `{"lambda_functions": {"f": {"iam_policy_file": "po|"}}}`} {
		ls := itemLabels(complete(t, fixture, c))
		if !slices.Contains(ls, `"policy-dev.json"`) || !slices.Contains(ls, `"api-policy.json"`) {
			t.Errorf("%s: %v", fixture, ls)
		}
	}
	if ls := itemLabels(complete(t, `{"app_name": |}`, c)); slices.Contains(ls, `"policy-dev.json"`) {
		t.Errorf("policy files offered for app_name: %v", ls)
	}
}

// TestEnumValuesCarryDescriptions: each enum value's documentation starts with its
// own description (markdownEnumDescriptions in the schema).
func TestEnumValuesCarryDescriptions(t *testing.T) {
	items := complete(t, `{"api_gateway_endpoint_type": |}`, Context{Kind: schema.ConfigFile})
	docs := map[string]string{}
	for _, it := range items {
		docs[it.Label] = it.Doc
	}
	if !strings.HasPrefix(docs[`"REGIONAL"`], "Regional:") || !strings.HasPrefix(docs[`"PRIVATE"`], "Private:") || !strings.Contains(docs[`"PRIVATE"`], "Endpoint type of the REST API") {
		t.Fatalf("enum value docs: %q", docs)
	}
	items = complete(t, `{"api_gateway_custom_domain": {"tls_version": "|"}}`, Context{Kind: schema.ConfigFile})
	for _, it := range items {
		if it.Label == `"TLS_1_1"` && !strings.HasPrefix(it.Doc, "Minimum TLS 1.1") {
			t.Fatalf("TLS_1_1 doc: %q", it.Doc)
		}
	}
}
