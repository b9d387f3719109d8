package schema_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// checkInvariants holds for every input: spans inside the file, a code and a readable
// message on every diagnostic, source order, and an error whenever there is no tree.
func checkInvariants(t testing.TB, src []byte) []diag.Diagnostic {
	t.Helper()
	root, ds := schema.CheckConfig(src)
	if len(src) <= 1<<20 {
		sameAsLibrary(t, root, schema.ConfigFile)
	}
	for i, d := range ds {
		if d.Start < 0 || d.End < d.Start || d.End > len(src) {
			t.Fatalf("diagnostic %d: span [%d,%d) outside [0,%d): %+v", i, d.Start, d.End, len(src), d)
		}
		if d.Code == "" || d.Message == "" || !utf8.ValidString(d.Message) {
			t.Fatalf("diagnostic %d: bad code or message: %+v", i, d)
		}
		for _, s := range d.Suggestions {
			if !utf8.ValidString(s) {
				t.Fatalf("diagnostic %d: suggestion is not UTF-8: %q", i, s)
			}
		}
		if i > 0 && ds[i-1].Start > d.Start {
			t.Fatalf("diagnostics out of order at %d", i)
		}
		if d.Code == schema.CodeInternal {
			t.Fatalf("internal error: %s", d.Message)
		}
	}
	if root == nil && !diag.HasErrors(ds) {
		t.Fatalf("no tree and no error for %q", truncate(src))
	}
	return ds
}

func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

func codes(ds []diag.Diagnostic) map[string]int {
	m := map[string]int{}
	for _, d := range ds {
		m[d.Code]++
	}
	return m
}

func TestBadInput(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		for _, src := range []string{"", "  \n\t\r\n"} {
			ds := checkInvariants(t, []byte(src))
			if len(ds) != 1 || ds[0].Code != schema.CodeEmptyFile || !strings.Contains(ds[0].Message, "config.json is empty") {
				t.Errorf("%q: %+v", src, ds)
			}
		}
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		src := []byte("{\"app_name\": \"caf\xe9\", \"lamda_timeout\": 1}")
		ds := checkInvariants(t, src)
		c := codes(ds)
		if c[schema.CodeInvalidEncoding] != 1 || c[schema.CodeUnknownKey] != 1 {
			t.Fatalf("%+v", ds)
		}
		for _, d := range ds {
			if d.Code == schema.CodeInvalidEncoding && d.Start != 17 {
				t.Errorf("encoding error at %d, want 17 (the 0xe9 byte)", d.Start)
			}
		}
		// An invalid byte inside an unknown key still gives a readable message.
		ds = checkInvariants(t, []byte("{\"k\xff\": 1}"))
		if codes(ds)[schema.CodeUnknownKey] != 1 {
			t.Errorf("%+v", ds)
		}
	})
	t.Run("10 MB config", func(t *testing.T) {
		src := bigConfig(10<<20, true)
		ds := checkInvariants(t, src)
		if len(ds) != 1 || ds[0].Code != schema.CodeUnknownKey || string(src[ds[0].Start:ds[0].End]) != `"lamda_timeout"` {
			t.Fatalf("want exactly the one typo near the end, got %d diagnostics: %+v", len(ds), first(ds, 3))
		}
	})
	t.Run("10000 levels of nesting", func(t *testing.T) {
		for _, src := range []string{
			strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
			strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
			`{"stages": {"dev": {"layers": ` + strings.Repeat("[", 10000),
		} {
			ds := checkInvariants(t, []byte(src))
			if codes(ds)[schema.CodeJSONSyntax] == 0 {
				t.Errorf("no syntax error for deep nesting: %+v", first(ds, 3))
			}
			found := false
			for _, d := range ds {
				found = found || strings.Contains(d.Message, "nested more than")
			}
			if !found {
				t.Errorf("no nesting message: %+v", first(ds, 3))
			}
		}
	})
	t.Run("binary junk", func(t *testing.T) {
		r := rand.New(rand.NewSource(1))
		for i := 0; i < 50; i++ {
			b := make([]byte, r.Intn(4096)+1)
			r.Read(b)
			if i%2 == 0 {
				b[0] = '{' // get past the first byte into the object parser
			}
			ds := checkInvariants(t, b)
			if !diag.HasErrors(ds) {
				t.Fatalf("junk %q gave no error", truncate(b))
			}
		}
		// A 1 MB blob of junk finishes too.
		b := make([]byte, 1<<20)
		r.Read(b)
		checkInvariants(t, b)
		// NUL bytes, a BOM, a lone quote.
		for _, s := range []string{"\x00", "\xef\xbb\xbf{}", `"`, "{\"a\x00\": 1}", "{\"stages\": {\"dev\": {\"lambda_functions\": {\"f\": {\"xray\": nul"} {
			if ds := checkInvariants(t, []byte(s)); !diag.HasErrors(ds) {
				t.Errorf("%q: no error", s)
			}
		}
	})
}

func first(ds []diag.Diagnostic, n int) []diag.Diagnostic {
	if len(ds) > n {
		return ds[:n]
	}
	return ds
}

// bigConfig builds a realistic config of about size bytes: many stages with functions,
// environment variables and tags. With typo set, the last stage holds "lamda_timeout".
func bigConfig(size int, typo bool) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"version\": \"2.0\",\n  \"app_name\": \"big-app\",\n  \"stages\": {\n")
	for i := 0; ; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    "stage%d": {
      "api_gateway_stage": "v%d",
      "lambda_memory_size": %d,
      "environment_variables": {"TABLE_NAME": "table-%d", "LOG_LEVEL": "info", "FEATURE_FLAGS": "a,b,c", "REGION_NAME": "eu-west-1"},
      "tags": {"team": "payments", "stage": "s%d", "cost-center": "cc-1234"},
      "lambda_functions": {
        "api_handler": {"lambda_timeout": 29, "reserved_concurrency": 5, "layers": ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:%d"]},
        "worker_%d": {"lambda_memory_size": 1024, "subnet_ids": ["subnet-0a%d"], "security_group_ids": ["sg-0b%d"], "log_retention_in_days": 14}
      }
    }`, i, i, 128+i%9000, i, i, i, i, i, i)
		if b.Len() >= size-300 {
			if typo {
				b.WriteString(",\n    \"last\": {\"lamda_timeout\": 30}")
			}
			break
		}
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

func FuzzCheckConfig(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"version": "2.0"}`, `{"lamda_timeout": 1}`, `{"lambda_memory_size": "big"}`,
		`{"stages": {"dev": {"lambda_functions": {"api_handler": {"automatic_layer": true}}}}}`,
		`{"api_gateway_custom_domain": {"url_prefixes": []}}`, `{"environment_variables": {"1": 1}}`,
		`{"a": 1,}`, "{// c\n}", "{\"é😀\": \"\xff\"}", `{"version": "3"}`, `{"version": 1e400}`,
		`{"stages": {"%41~1/": {"lambda_timeout": -1}}}`, `{"layers": [1, [2], {"x": 3}]}`, `{"a":{"b":{"c":[[[[`,
		`{"lambda_timeout": 1e2, "lambda_memory_size": 128.0000000000000000001}`,
	} {
		f.Add([]byte(s))
	}
	for _, p := range []string{"configs/kitchen-sink.json", "configs/valid.json", "configs/mistakes.json", "configs/trailing-comma.json", "apps/mistakes/.chalice/config.json"} {
		if b, err := os.ReadFile(filepath.Join("..", "testdata", p)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkInvariants(t, src)
	})
}
