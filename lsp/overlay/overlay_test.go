package overlay

import (
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/uri"
)

func TestIncrementalUTF16(t *testing.T) {
	s := NewStore()
	u := uri.File("/tmp/x/.chalice/config.json")
	s.Open(u, "json", 1, "{\"é😀\": 1,\n \"b\": 2}")
	// Replace the "1" after the emoji key: line 0, UTF-16 character 9 ("{" + quote + é + 2 units + quote + ":" + space = 8).
	r := text.Range{Start: text.Position{Line: 0, Character: 8}, End: text.Position{Line: 0, Character: 9}}
	d, err := s.Change(u, 2, []Change{{Range: &r, Text: "42"}, {Range: &text.Range{Start: text.Position{Line: 1, Character: 6}, End: text.Position{Line: 1, Character: 7}}, Text: "3"}}, text.UTF16)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(d.Content), "{\"é😀\": 42,\n \"b\": 3}"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	if _, err := s.Change(u, 2, nil, text.UTF16); err == nil {
		t.Fatal("stale version must be rejected")
	}
	if d.Path != "/tmp/x/.chalice/config.json" {
		t.Fatalf("path %q", d.Path)
	}
}

func TestBinary(t *testing.T) {
	d := &Document{Content: []byte("ab\x00cd")}
	if ok, _ := d.Analyzable(); ok {
		t.Fatal("NUL bytes mean binary")
	}
}
