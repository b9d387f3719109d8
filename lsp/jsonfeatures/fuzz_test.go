package jsonfeatures

import (
	"bytes"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// FuzzStructure: on any (half-typed) document the structural features never panic
// and never return spans outside it; selection steps nest and hold the cursor; and
// formatting a document without syntax errors changes only whitespace, keeps it
// valid, and is idempotent.
func FuzzStructure(f *testing.F) {
	for _, s := range []string{`{}`, `{"stages": {"dev": {"lam`, "{\r\n\t\"a\": [1,\r2],\n\n\"b\": {\"\U0001F600\": null}}", `[{`, `{"a": }`, `{"iam_policy_file": "p.json", "stages": {"d": {"lambda_functions": {"f": {"iam_policy_file": "x"}}}}}`, "\xff{\"a\"", ``, `  "x"  `} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, src string, off int) {
		b := []byte(src)
		if off < 0 || off > len(b) {
			return
		}
		root, errs := jsonpos.Parse(b)
		in := func(what string, s, e int) {
			if s < 0 || e > len(b) || s > e {
				t.Fatalf("%s spans [%d,%d) of %d bytes", what, s, e, len(b))
			}
		}
		var walk func([]Symbol)
		walk = func(ss []Symbol) {
			for _, s := range ss {
				in("symbol "+s.Name, s.Start, s.End)
				in("symbol selection "+s.Name, s.SelStart, s.SelEnd)
				walk(s.Children)
			}
		}
		syms, _ := Symbols(root, 50)
		walk(syms)
		m := text.NewMapper(b)
		for _, lf := range []bool{true, false} {
			for _, fo := range Folds(b, root, m, FoldOptions{LineFoldingOnly: lf, RangeLimit: 3}) {
				if fo.StartLine > fo.EndLine || fo.EndLine >= m.LineCount() {
					t.Fatalf("fold %+v of %d lines", fo, m.LineCount())
				}
				in("fold", fo.StartOffset, fo.EndOffset)
			}
		}
		prev := Span{off, off}
		for _, sp := range Selection(b, root, off) {
			in("selection", sp.Start, sp.End)
			if sp.Start > prev.Start || sp.End < prev.End {
				t.Fatalf("selection step %v does not contain %v", sp, prev)
			}
			prev = sp
		}
		for _, l := range Links(b, root) {
			in("link", l.Start, l.End)
		}
		edits, err := Format(b, errs, -1, -1, FormatOptions{TabSize: 2, InsertSpaces: true, KeepLines: true})
		if len(errs) > 0 {
			if err == nil {
				t.Fatal("a document with syntax errors was formatted")
			}
			return
		}
		out := apply(b, edits)
		if !bytes.Equal(squeeze(out), squeeze(b)) {
			t.Fatalf("formatting changed tokens: %q -> %q", b, out)
		}
		if _, errs := jsonpos.Parse(out); len(errs) > 0 {
			t.Fatalf("formatting broke the document: %q -> %q (%v)", b, out, errs[0])
		}
		if again, _ := Format(out, nil, -1, -1, FormatOptions{TabSize: 2, InsertSpaces: true, KeepLines: true}); len(again) > 0 {
			t.Fatalf("formatting is not idempotent on %q: %q then %+v", b, out, again)
		}
		if off <= len(b) {
			rangeEdits, _ := Format(b, errs, off/2, off, FormatOptions{TabSize: 4, KeepLines: true})
			for _, e := range rangeEdits {
				if e.Start < off/2 || e.End > off {
					t.Fatalf("range edit %+v outside [%d,%d)", e, off/2, off)
				}
			}
		}
	})
}
