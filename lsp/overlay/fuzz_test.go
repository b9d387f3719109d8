package overlay

import (
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/uri"
)

// FuzzChange: any edit a (buggy) client sends either applies or is rejected; it
// never panics, and the result is what splicing the mapped byte range gives.
func FuzzChange(f *testing.F) {
	f.Add("{\"a\": 1}\n", 0, 1, 0, 3, "x", 1)
	f.Add("é😀\r\nb", 0, 2, 1, 0, "", 0)
	f.Fuzz(func(t *testing.T, content string, l1, c1, l2, c2 int, repl string, enc int) {
		s := NewStore()
		u := uri.File("/x/.chalice/config.json")
		s.Open(u, "json", 1, content)
		e := text.Encoding(((enc % 3) + 3) % 3)
		r := text.Range{Start: text.Position{Line: l1, Character: c1}, End: text.Position{Line: l2, Character: c2}}
		d, err := s.Change(u, 2, []Change{{Range: &r, Text: repl}}, e)
		if err != nil {
			return
		}
		m := text.NewMapper([]byte(content))
		a, b := m.Offset(r.Start, e), m.Offset(r.End, e)
		if want := content[:a] + repl + content[b:]; string(d.Content) != want {
			t.Fatalf("got %q want %q", d.Content, want)
		}
	})
}
