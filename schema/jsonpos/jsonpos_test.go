package jsonpos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseValidMatchesEncodingJSON(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `null`, `true`, `0`, `-1.5e+3`, `"x"`,
		`{"a": {"b": [1, 2, {"c": null}]}, "d": "é\u00e9\ud83d\ude00", "e": false}`,
		`{"a": 1, "a": 2}`,
		"{\"tab\":\"a\\tb\", \"esc\": \"\\\"\\\\\\/\\b\\f\\n\\r\"}",
	}
	for _, doc := range docs {
		root, errs := Parse([]byte(doc))
		if len(errs) > 0 {
			t.Fatalf("%s: unexpected errors %v", doc, errs)
		}
		var want any
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := root.Value(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", doc, got, want)
		}
	}
}

func TestPositions(t *testing.T) {
	src := `{"é": {"lambda_timeout": 30}, "k": [true]}`
	root, errs := Parse([]byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	m := root.Member("é")
	if got := src[m.KeyStart:m.KeyEnd]; got != `"é"` {
		t.Errorf("key span %q", got)
	}
	v := root.Lookup("/é/lambda_timeout")
	if v == nil || src[v.Start:v.End] != "30" || v.Kind != Number {
		t.Fatalf("lookup: %+v", v)
	}
	if e := root.Lookup("/k/0"); e == nil || src[e.Start:e.End] != "true" {
		t.Errorf("array lookup %+v", e)
	}
	if root.Lookup("/k/1") != nil || root.Lookup("/nope") != nil || root.Lookup("x") != nil {
		t.Error("missing paths must give nil")
	}
	if got := Pointer("a/b", "c~d"); got != "/a~1b/c~0d" {
		t.Errorf("Pointer = %q", got)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		doc, span, msg string
	}{
		{`{"a": 1,}`, `,`, "trailing comma"},
		{`[1, 2,]`, `,`, "trailing comma"},
		{"{\"a\": 1 // hi\n}", `// hi`, "comments are not allowed"},
		{`{"a": 1 /* x */}`, `/* x */`, "comments are not allowed"},
		{`{"a": True}`, `True`, "Python, not JSON"},
		{`{'a': 1}`, `'a'`, "double quotes"},
		{`{"a" 1}`, `"a"`, "missing ':'"},
		{`{"a": 1 "b": 2}`, `"`, "missing ','"},
		{`{"a": 01}`, `01`, "not a valid JSON number"},
		{"{\"a\": \"x\ty\"}", "\t", "control character"},
		{`{"a": "\q"}`, `\q`, "invalid escape"},
		{`{"a": 1`, `{`, "never closed"},
		{`{"a": 1} x`, `x`, "after the end"},
		{``, ``, "empty"},
		{"   \n", ``, "empty"},
		{"\xef\xbb\xbf{}", "\xef\xbb\xbf", "byte order mark"},
		{"{\"a\": \"\xff\"}", "\xff", "not valid UTF-8"},
		{`{"a": }`, `}`, "missing value"},
		{`{"a": NaN}`, `NaN`, "not valid JSON"},
	}
	for _, c := range cases {
		_, errs := Parse([]byte(c.doc))
		if len(errs) == 0 {
			t.Errorf("%q: no error", c.doc)
			continue
		}
		e := errs[0]
		if got := c.doc[e.Start:e.End]; got != c.span || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%q: error %q at %q, want %q at %q", c.doc, e.Msg, got, c.msg, c.span)
		}
	}
}

func TestRecoveryKeepsLaterMembers(t *testing.T) {
	src := `{"a": 1,, "b": tru, "c": {"d": 2,}, "e": [1,,2], "f": 3}`
	root, errs := Parse([]byte(src))
	if len(errs) < 3 {
		t.Errorf("expected several errors, got %v", errs)
	}
	for _, p := range []string{"/a", "/c/d", "/f"} {
		if root.Lookup(p) == nil {
			t.Errorf("recovery lost %s", p)
		}
	}
	if n := len(root.Get("e").Elems); n != 2 {
		t.Errorf("array recovery kept %d elems", n)
	}
}

func TestHalfTypedKeyIsKept(t *testing.T) {
	src := "{\n  \"stages\": {\n    \"dev\": {\n      \"lamb\n    }\n  }\n}"
	root, _ := Parse([]byte(src))
	dev := root.Lookup("/stages/dev")
	if dev == nil || len(dev.Members) != 1 || dev.Members[0].Key != "lamb" {
		t.Fatalf("got %+v", dev)
	}
	loc := Locate(root, strings.Index(src, "lamb")+4)
	if !loc.InKey || strings.Join(loc.Path, "/") != "stages/dev" {
		t.Errorf("locate: %+v", loc)
	}
}

func TestDeepNestingAndJunk(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	_, errs := Parse([]byte(deep))
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "nested more than") {
		t.Errorf("deep: %v", errs)
	}
	junk := bytes.Repeat([]byte{0, 0xff, '{', '"', '[', 0x80}, 2000)
	Parse(junk) // must not panic or hang
}

func TestLocate(t *testing.T) {
	src := `{"stages": {"dev": {"lambda_timeout": 30, "x": [1, {"y": 2}]}}, "app_name": "a"}`
	root, errs := Parse([]byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	at := func(s string, delta int) Location { return Locate(root, strings.Index(src, s)+delta) }

	l := at(`"lambda_timeout"`, 3)
	if !l.InKey || l.Member.Key != "lambda_timeout" || strings.Join(l.Path, "/") != "stages/dev" {
		t.Errorf("key: %+v", l)
	}
	l = at(`30`, 1)
	if !l.InValue || l.Member.Key != "lambda_timeout" || l.Node.Text != "30" {
		t.Errorf("value: %+v", l)
	}
	l = at(`, "x"`, 1)
	if l.InKey || l.InValue || strings.Join(l.Path, "/") != "stages/dev" {
		t.Errorf("between: %+v", l)
	}
	l = at(`"y"`, 1)
	if !l.InKey || strings.Join(l.Path, "/") != "stages/dev/x/1" {
		t.Errorf("in array: %+v", l)
	}
	l = at(`"a"}`, 1)
	if !l.InValue || l.Member.Key != "app_name" || len(l.Path) != 0 {
		t.Errorf("top value: %+v", l)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": [1, 2, {"b": null}]}`, `{"a": 1,}`, `[`, `"\ud83d\ude00"`, "{\"a\": \"\xff\"}", `{'a': True}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		root, errs := Parse(src)
		for _, e := range errs {
			if e.Start < 0 || e.End > len(src) || e.Start > e.End {
				t.Fatalf("bad error span %+v for %q", e, src)
			}
		}
		if root != nil {
			Locate(root, len(src)/2)
		}
		if len(errs) == 0 {
			var want any
			dec := json.NewDecoder(bytes.NewReader(src))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("we accepted %q but encoding/json says %v", src, err)
			}
			if got := root.Value(); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: got %#v want %#v", src, got, want)
			}
		}
	})
}

// TestMessagesNameInvisibleBytes: a control character or a byte that is no UTF-8 is
// named by its code, never pasted raw into the message (where it is invisible or
// breaks the terminal).
func TestMessagesNameInvisibleBytes(t *testing.T) {
	for doc, want := range map[string]string{
		"{\"a\": 1}\x01":   "U+0001",
		"{\"a\": 1}\x1b[m": "U+001B",
		"{\"a\": \x7f}":    "U+007F",
		"{\"a\": 1}\u200b": `"\u200b"`,
		"{\"a\": 1}é":      `"é"`,
	} {
		_, errs := Parse([]byte(doc))
		if len(errs) == 0 {
			t.Errorf("%q: no error", doc)
			continue
		}
		msg := errs[len(errs)-1].Msg
		if !strings.Contains(msg, want) {
			t.Errorf("%q: message %q does not name %s", doc, msg, want)
		}
		for _, r := range msg {
			if r < 0x20 || r == 0x7f || r == 0x200b {
				t.Errorf("%q: message %q holds the raw character %U", doc, msg, r)
			}
		}
	}
}

// TestJunkWithoutValueGivesOneError: when the document does not start with a JSON
// value, what follows is not "after the end of the JSON value" (there is none); the
// first error says all there is to say.
func TestJunkWithoutValueGivesOneError(t *testing.T) {
	for _, doc := range []string{"hello world", "\xa0\x01\xd7{}", "<html><body>", "%% junk {"} {
		root, errs := Parse([]byte(doc))
		if root != nil {
			t.Errorf("%q: tree %+v, want none", doc, root)
		}
		if len(errs) != 1 {
			t.Errorf("%q: %d errors %v, want 1", doc, len(errs), errs)
		}
		for _, e := range errs {
			if strings.Contains(e.Msg, "after the end") {
				t.Errorf("%q: %q", doc, e.Msg)
			}
		}
	}
}

func TestInvalidUTF8IsMarked(t *testing.T) {
	_, errs := Parse([]byte("{\"a\": \"\xff\", \"b\": 1,}"))
	if len(errs) != 2 || !errs[0].InvalidUTF8 || errs[1].InvalidUTF8 {
		t.Errorf("want the encoding error marked and the trailing comma not: %+v", errs)
	}
	// The BOM check comes after the encoding check; a BOM followed by bad bytes
	// must still mark the encoding error, not the BOM one.
	_, errs = Parse([]byte("\xef\xbb\xbf{\"a\": \"\xfe\"}"))
	for _, e := range errs {
		if e.InvalidUTF8 != strings.Contains(e.Msg, "UTF-8 (byte") {
			t.Errorf("mismarked: %+v", e)
		}
	}
}

// configOfSize builds a realistic config.json of about n bytes: many stages with
// per-function settings, environment variables and tags.
func configOfSize(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"version": "2.0", "app_name": "bench", "stages": {`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `
    "stage%d": {"api_gateway_stage": "api", "lambda_memory_size": 512, "xray": true,
      "environment_variables": {"TABLE": "t-%d", "MODE": "prod", "URL": "https://example.com/é/%d"},
      "tags": {"team": "core", "cost-center": "42"},
      "lambda_functions": {"api_handler": {"lambda_timeout": 30, "layers": ["arn:aws:lambda:us-east-1:123456789012:layer:x:1"]},
        "worker": {"lambda_memory_size": 1024, "reserved_concurrency": 5}}}`, i, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

func BenchmarkParse1MB(b *testing.B) {
	src := configOfSize(1 << 20)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := Parse(src); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
