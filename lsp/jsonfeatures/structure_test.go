package jsonfeatures

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

const sample = `{
  "version": "2.0",
  "app_name": "shop",
  "tags": [],
  "stages": {
    "dev": {
      "api_gateway_stage": "api",
      "xray": true,
      "reserved_concurrency": null,
      "lambda_functions": {
        "worker": {"lambda_memory_size": 512, "iam_policy_file": "worker.json"}
      }
    },
    "prod": {"subnet_ids": ["a", "b"], "api_gateway_policy_file": "api.json"}
  }
}`

// outline renders symbols as "name kind detail [text of selection]" lines.
func outline(src string, syms []Symbol, depth int, b *strings.Builder) {
	for _, s := range syms {
		fmt.Fprintf(b, "%s%s %d %q %s\n", strings.Repeat("  ", depth), s.Name, s.Kind, s.Detail, src[s.SelStart:s.SelEnd])
		if !strings.HasPrefix(src[s.Start:], src[s.SelStart:s.SelEnd]) {
			b.WriteString("!! range does not start at the key\n")
		}
		outline(src, s.Children, depth+1, b)
	}
}

func TestSymbols(t *testing.T) {
	root, _ := jsonpos.Parse([]byte(sample))
	syms, truncated := Symbols(root, 0)
	var b strings.Builder
	outline(sample, syms, 0, &b)
	want := `version 2 "2.0" "version"
app_name 2 "shop" "app_name"
tags 1 "[]" "tags"
stages 0 "" "stages"
  dev 0 "stage" "dev"
    api_gateway_stage 2 "api" "api_gateway_stage"
    xray 4 "true" "xray"
    reserved_concurrency 5 "null" "reserved_concurrency"
    lambda_functions 0 "" "lambda_functions"
      worker 0 "Lambda function" "worker"
        lambda_memory_size 3 "512" "lambda_memory_size"
        iam_policy_file 2 "worker.json" "iam_policy_file"
  prod 0 "stage" "prod"
    subnet_ids 1 "2 items" "subnet_ids"
      0 2 "a" "a"
      1 2 "b" "b"
    api_gateway_policy_file 2 "api.json" "api_gateway_policy_file"
`
	if truncated || b.String() != want {
		t.Fatalf("truncated=%v, outline:\n%s", truncated, b.String())
	}
	stages := syms[3]
	if got := sample[stages.Start:stages.End]; !strings.HasPrefix(got, `"stages": {`) || !strings.HasSuffix(got, "}\n  }") {
		t.Fatalf("stages range: %q", got)
	}
	if c := stages.Children[0].Children[3].Children[0].Container; c != "stages.dev.lambda_functions" {
		t.Fatalf("container of worker: %q", c)
	}
}

func TestSymbolsLimitBreadthFirst(t *testing.T) {
	root, _ := jsonpos.Parse([]byte(sample))
	syms, truncated := Symbols(root, 6)
	var b strings.Builder
	outline(sample, syms, 0, &b)
	// The 4 top-level keys and the 2 stages; nothing deeper.
	if !truncated || b.String() != "version 2 \"2.0\" \"version\"\napp_name 2 \"shop\" \"app_name\"\ntags 1 \"[]\" \"tags\"\nstages 0 \"\" \"stages\"\n  dev 0 \"stage\" \"dev\"\n  prod 0 \"stage\" \"prod\"\n" {
		t.Fatalf("truncated=%v\n%s", truncated, b.String())
	}
}

func TestSymbolsHalfTyped(t *testing.T) {
	for src, want := range map[string]string{
		`{"stages": {"dev": {"lambda_`:                  "stages 0 \"\" \"stages\"\n  dev 0 \"stage\" \"dev\"\n    lambda_ 6 \"no value yet\" \"lambda_\n",
		`{"app_name": "x", "stages": {"dev": {"xray": `: "app_name 2 \"x\" \"app_name\"\nstages 0 \"\" \"stages\"\n  dev 0 \"stage\" \"dev\"\n    xray 6 \"no value yet\" \"xray\"\n",
		`{"version": "2.0",, "stages": }`:               "version 2 \"2.0\" \"version\"\nstages 6 \"no value yet\" \"stages\"\n",
		``:                                              "",
	} {
		root, _ := jsonpos.Parse([]byte(src))
		syms, _ := Symbols(root, 0)
		var b strings.Builder
		outline(src, syms, 0, &b)
		if b.String() != want {
			t.Errorf("%q:\n%s\nwant\n%s", src, b.String(), want)
		}
		for _, s := range syms {
			if s.Start < 0 || s.End > len(src) || s.SelStart < s.Start || s.SelEnd > s.End {
				t.Errorf("%q: bad spans %+v", src, s)
			}
		}
	}
}

func foldsOf(src string, o FoldOptions) []Fold {
	root, _ := jsonpos.Parse([]byte(src))
	return Folds([]byte(src), root, text.NewMapper([]byte(src)), o)
}

func TestFolds(t *testing.T) {
	lines := func(fs []Fold) (out []string) {
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%d-%d", f.StartLine, f.EndLine))
		}
		return out
	}
	// Line folding: the closing bracket stays visible; a container closing on the
	// next line has nothing to fold; "worker" is on one line.
	if got := lines(foldsOf(sample, FoldOptions{LineFoldingOnly: true})); !reflect.DeepEqual(got, []string{"9-10", "5-11", "4-13", "0-14"}) {
		t.Fatalf("line folds: %v", got)
	}
	// Character folding hides [after '{', before '}').
	fs := foldsOf(sample, FoldOptions{})
	if got := lines(fs); !reflect.DeepEqual(got, []string{"9-11", "5-12", "4-14", "0-15"}) {
		t.Fatalf("char folds: %v", got)
	}
	if f := fs[0]; sample[f.StartOffset-1] != '{' || sample[f.EndOffset] != '}' {
		t.Fatalf("fold offsets %+v", f)
	}
	// Range limit: the most nested go first.
	if got := lines(foldsOf(sample, FoldOptions{LineFoldingOnly: true, RangeLimit: 2})); !reflect.DeepEqual(got, []string{"4-13", "0-14"}) {
		t.Fatalf("limited folds: %v", got)
	}
	// "[{" on one line: the inner object folds (as in VS Code).
	if got := lines(foldsOf("[{\n\"a\": 1,\n\"b\": 2\n}]", FoldOptions{LineFoldingOnly: true})); !reflect.DeepEqual(got, []string{"0-2"}) {
		t.Fatalf("[{ folds: %v", got)
	}
	// Half-typed: an unclosed object folds through its last content.
	if got := lines(foldsOf("{\n  \"stages\": {\n    \"dev\": {\n      \"xray\": true,\n      \"lambda_\n\n", FoldOptions{LineFoldingOnly: true})); !reflect.DeepEqual(got, []string{"2-4", "1-4", "0-4"}) {
		t.Fatalf("half-typed folds: %v", got)
	}
	// CRLF and a lone CR count as line breaks.
	if got := lines(foldsOf("{\r\n\"a\": [\r1,\r\n2\r\n]\r\n}", FoldOptions{LineFoldingOnly: true})); !reflect.DeepEqual(got, []string{"1-3", "0-4"}) {
		t.Fatalf("CRLF folds: %v", got)
	}
}

func spansText(src string, spans []Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, src[s.Start:s.End])
	}
	return out
}

func TestSelection(t *testing.T) {
	src := `{"a": {"b": "hello", "c": [1, 22]}, "d": null}`
	root, _ := jsonpos.Parse([]byte(src))
	got := spansText(src, Selection([]byte(src), root, strings.Index(src, "ello")))
	want := []string{`hello`, `"hello"`, `"b": "hello"`, `"b": "hello",`, `"b": "hello", "c": [1, 22]`, `{"b": "hello", "c": [1, 22]}`,
		`"a": {"b": "hello", "c": [1, 22]}`, `"a": {"b": "hello", "c": [1, 22]},`, src[1 : len(src)-1], src}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("in a string value:\n%q\nwant\n%q", got, want)
	}
	got = spansText(src, Selection([]byte(src), root, strings.Index(src, "22")+1))
	want = []string{`22`, `1, 22`, `[1, 22]`, `"c": [1, 22]`}
	if !reflect.DeepEqual(got[:4], want) {
		t.Fatalf("in an array element: %q", got)
	}
	got = spansText(src, Selection([]byte(src), root, strings.Index(src, `"d"`)+1))
	want = []string{`d`, `"d"`, `"d": null`, src[1 : len(src)-1], src}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("on a key: %q", got)
	}
	// Outside the root value: the document.
	doc := "  " + src + "\n"
	root2, _ := jsonpos.Parse([]byte(doc))
	if got := Selection([]byte(doc), root2, len(doc)); len(got) != 1 || got[0] != (Span{0, len(doc)}) {
		t.Fatalf("after the root: %v", got)
	}
}

func TestSelectionHalfTyped(t *testing.T) {
	src := `{"stages": {"dev": {"lambda_memory_size": 12`
	root, _ := jsonpos.Parse([]byte(src))
	got := spansText(src, Selection([]byte(src), root, len(src)))
	// Every step contains the previous one and the cursor, and the chain ends with the document.
	for i, s := range Selection([]byte(src), root, len(src)) {
		if s.Start > len(src) || s.End < len(src) {
			t.Fatalf("step %d %q does not hold the cursor", i, got[i])
		}
	}
	if got[0] != "12" || got[len(got)-1] != src || !contains(got, `"lambda_memory_size": 12`) || !contains(got, `"dev": {"lambda_memory_size": 12`) {
		t.Fatalf("half-typed chain: %q", got)
	}
	src = `{"stages": {"dev": {"lambda_`
	root, _ = jsonpos.Parse([]byte(src))
	got = spansText(src, Selection([]byte(src), root, len(src)-2))
	if got[0] != `"lambda_` || got[len(got)-1] != src {
		t.Fatalf("half-typed key: %q", got)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestLinks(t *testing.T) {
	root, _ := jsonpos.Parse([]byte(sample))
	var got []string
	for _, l := range Links([]byte(sample), root) {
		got = append(got, l.Key+"="+l.File+"@"+sample[l.Start:l.End])
	}
	want := []string{"iam_policy_file=worker.json@worker.json", "api_gateway_policy_file=api.json@api.json"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("links: %v", got)
	}
	// api_gateway_policy_file is not read per function; non-strings and empty names are no links.
	src := `{"iam_policy_file": "", "api_gateway_policy_file": 3, "lambda_functions": {"f": {"api_gateway_policy_file": "x.json", "iam_policy_file": "f.json"}}}`
	root, _ = jsonpos.Parse([]byte(src))
	ls := Links([]byte(src), root)
	if len(ls) != 1 || ls[0].File != "f.json" {
		t.Fatalf("links: %+v", ls)
	}
	// Half-typed: a value still being typed.
	src = `{"stages": {"dev": {"iam_policy_file": "pol`
	root, _ = jsonpos.Parse([]byte(src))
	if ls := Links([]byte(src), root); len(ls) != 0 {
		t.Fatalf("unterminated string linked: %+v", ls)
	}
}
