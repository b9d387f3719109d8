package overlay

import (
	"runtime"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/uri"
)

// manyEdits is one didChange with 5,000 range edits over a 1 MB document, each
// inserting at the start of a line further down (in document order).
func manyEdits() (string, []Change, string) {
	var lines []string
	for i := 0; i < 20000; i++ {
		lines = append(lines, strings.Repeat("x", 50))
	}
	doc := strings.Join(lines, "\n")
	var changes []Change
	for i := 0; i < 5000; i++ {
		r := text.Range{Start: text.Position{Line: i * 4, Character: 10}, End: text.Position{Line: i * 4, Character: 12}}
		changes = append(changes, Change{Range: &r, Text: "é"})
	}
	for i := 0; i < 5000; i++ {
		l := lines[i*4]
		lines[i*4] = l[:10] + "é" + l[12:]
	}
	return doc, changes, strings.Join(lines, "\n")
}

// A change with 5,000 edits used to copy the document and rebuild its line index
// for every edit (seconds on a 1 MB document, gigabytes allocated). The bound is
// on bytes allocated, which the code decides, not on the clock: a copy of the
// document per edit allocates 5,000 times its size; the bound is a fifth of that
// (the line index's tail is still copied per edit: about 400 times the size).
func TestManyEditsInOneChange(t *testing.T) {
	doc, changes, want := manyEdits()
	s := NewStore()
	u := uri.File("/tmp/x/.chalice/config.json")
	s.Open(u, "json", 1, doc)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, err := s.Change(u, 2, changes, text.UTF16)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Content) != want {
		t.Fatal("wrong content after the edits")
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	if limit := uint64(len(changes) / 5 * len(doc)); allocated > limit {
		t.Errorf("5,000 edits of a %d-byte document allocated %d bytes, want at most %d (a copy per edit?)", len(doc), allocated, limit)
	}
	t.Logf("5,000 edits: %d bytes allocated (document %d bytes)", allocated, len(doc))
}

// The incrementally kept line index equals a fresh one after every possible edit
// of documents mixing "\n", "\r\n" and "\r" (joins and splits of "\r\n" included).
func TestEditorLineIndexExhaustive(t *testing.T) {
	docs := []string{"", "a", "a\nb", "a\r\nb\rc\n", "\r\n\r\n", "\r\r\n\n", "ab\r", "\nx\r"}
	inserts := []string{"", "\n", "\r", "\r\n", "a\rb", "é\n\n", "x"}
	for _, doc := range docs {
		for start := 0; start <= len(doc); start++ {
			for end := start; end <= len(doc); end++ {
				for _, ins := range inserts {
					var e editor
					e.reset([]byte(doc))
					e.replace(start, end, ins)
					want := doc[:start] + ins + doc[end:]
					if string(e.buf) != want {
						t.Fatalf("content %q, want %q", e.buf, want)
					}
					fresh := text.AppendLineStarts([]int{0}, []byte(want), 0, len(want))
					if len(fresh) != len(e.starts) {
						t.Fatalf("%q [%d,%d) <- %q: starts %v, want %v", doc, start, end, ins, e.starts, fresh)
					}
					for i := range fresh {
						if fresh[i] != e.starts[i] {
							t.Fatalf("%q [%d,%d) <- %q: starts %v, want %v", doc, start, end, ins, e.starts, fresh)
						}
					}
				}
			}
		}
	}
}
