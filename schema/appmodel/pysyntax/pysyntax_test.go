package pysyntax

import "testing"

func TestParseAndStrings(t *testing.T) {
	src := []byte("x = 'a\\tb' \"c\"\ny = r'\\n'\nz = f'{x}'\nw = 'unterminated\nv = b'x'\n")
	tr := Parse(src)
	var lits []StringLit
	Walk(tr.Root, func(n *Node) bool {
		if n.Kind == "string_start" {
			if l, ok := tr.LooseString(n); ok {
				lits = append(lits, l)
			}
		}
		if n.Kind == "string" || n.Kind == "concatenated_string" {
			if l, ok := tr.String(n); ok {
				lits = append(lits, l)
			}
			return false
		}
		return true
	})
	want := []struct {
		v              string
		static, closed bool
	}{{"a\tbc", true, true}, {`\n`, true, true}, {"{x}", false, true}, {"unterminated", true, false}, {"x", false, true}}
	if len(lits) != len(want) {
		t.Fatalf("got %d literals: %+v", len(lits), lits)
	}
	for i, w := range want {
		if lits[i].Value != w.v || lits[i].Static != w.static || lits[i].Terminated != w.closed {
			t.Errorf("literal %d = %+v, want %+v", i, lits[i], w)
		}
	}
	if got := string(src[lits[3].ContentStart:lits[3].ContentEnd]); got != "unterminated" {
		t.Errorf("unterminated content span = %q", got)
	}
	if len(tr.Errors()) == 0 {
		t.Errorf("expected a syntax error for the unterminated string")
	}
}

func TestUnescape(t *testing.T) {
	cases := map[string]string{
		`a\x41\u00e9\U0001F680\101\q\\`: "aAé🚀A\\q\\",
		`\x4`:                           `\x4`,
		"a\\\nb":                        "ab",
	}
	for in, want := range cases {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInnermostAndDeepNesting(t *testing.T) {
	src := []byte("foo(bar, 'x')")
	tr := Parse(src)
	n := tr.Innermost(10)
	if n == nil || n.Kind != "string_content" {
		t.Fatalf("Innermost(10) = %+v", n)
	}
	deep := make([]byte, 0, 40000)
	for i := 0; i < 20000; i++ {
		deep = append(deep, '(')
	}
	Parse(deep) // must not overflow the stack
}

func TestConcurrentParse(t *testing.T) {
	src := []byte("import os\n\ndef f(x):\n    return [i for i in range(x)]\n")
	done := make(chan int)
	for g := 0; g < 8; g++ {
		go func() {
			n := 0
			for i := 0; i < 50; i++ {
				n += len(Parse(src).Root.Children)
			}
			done <- n
		}()
	}
	for g := 0; g < 8; g++ {
		if n := <-done; n != 100 {
			t.Errorf("got %d top-level nodes over 50 parses, want 100", n)
		}
	}
}

func TestEmptyAndBinary(t *testing.T) {
	for _, src := range [][]byte{nil, {}, {0, 0xff, 0xfe, '\n', 0x80}, []byte("\x00def")} {
		tr := Parse(src)
		if tr.Root == nil {
			t.Fatalf("nil root for %q", src)
		}
		tr.Errors()
	}
}

func BenchmarkParse(b *testing.B) {
	var src []byte
	for i := 0; i < 100; i++ {
		src = append(src, []byte("@app.route('/x')\ndef view():\n    return {'a': [1, 2, 3]}\n\n")...)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Parse(src)
	}
}

func TestCallArgs(t *testing.T) {
	src := []byte("Chalice(scope, 'Id', source_dir='runtime', *rest, **more, stage_config={})\nf()\n")
	tr := Parse(src)
	var calls []*Node
	Walk(tr.Root, func(n *Node) bool {
		if n.Kind == "call" {
			calls = append(calls, n)
		}
		return true
	})
	if len(calls) != 2 {
		t.Fatalf("found %d calls", len(calls))
	}
	a := tr.CallArgs(calls[0].ChildByField("arguments"))
	if len(a.Positional) != 2 || tr.Text(a.Positional[1]) != "'Id'" || len(a.Keyword) != 2 {
		t.Fatalf("args: %d positional, keywords %v", len(a.Positional), a.Keyword)
	}
	for _, c := range []struct {
		i    int
		kw   string
		want string
	}{{0, "scope", "scope"}, {2, "source_dir", "'runtime'"}, {-1, "stage_config", "{}"}, {1, "id", "'Id'"}, {5, "nope", ""}, {-1, "rest", ""}} {
		if got := tr.Text(a.Get(c.i, c.kw)); got != c.want {
			t.Errorf("Get(%d, %q) = %q, want %q", c.i, c.kw, got, c.want)
		}
	}
	if e := tr.CallArgs(calls[1].ChildByField("arguments")); len(e.Positional) != 0 || e.Get(0, "x") != nil {
		t.Errorf("f(): %+v", e)
	}
	if e := tr.CallArgs(nil); e.Get(0, "x") != nil {
		t.Error("nil list must give no arguments")
	}
}
