package configfeatures

import (
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// FuzzCompleteHover: completion and hover never panic and never return spans
// outside the document, whatever the (half-typed) content and cursor.
func FuzzCompleteHover(f *testing.F) {
	for _, s := range []string{`{}`, `{"stages": {"dev": {"lam`, `{"lambda_functions": {"": {`, `{"xray": `, `[1, {"a": }]`, `{"stages": {"p": {"lambda_functions": {"f": {"lambda_timeout": 3}}}}}`, "\xff{\"a\"", ``} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, src string, off int) {
		if off < 0 || off > len(src) {
			return
		}
		root, _ := jsonpos.Parse([]byte(src))
		for _, kind := range []schema.Kind{schema.ConfigFile, schema.StageConfig} {
			c := Context{Kind: kind, Functions: []string{"api_handler", "f"}, Config: root}
			for _, it := range Complete([]byte(src), root, off, c) {
				if it.Start < 0 || it.End > len(src) || it.Start > it.End {
					t.Fatalf("item %q spans [%d,%d) of %d bytes", it.Label, it.Start, it.End, len(src))
				}
				for _, e := range it.Extra {
					if e.Start < 0 || e.End > len(src) || e.Start > e.End || e.End > it.Start && e.Start < it.End {
						t.Fatalf("item %q: extra edit [%d,%d) is outside the document or overlaps [%d,%d)", it.Label, e.Start, e.End, it.Start, it.End)
					}
				}
			}
			if h, ok := HoverAt(root, off, c); ok && (h.Start < 0 || h.End > len(src) || h.Start > h.End) {
				t.Fatalf("hover spans [%d,%d) of %d bytes", h.Start, h.End, len(src))
			}
		}
	})
}
