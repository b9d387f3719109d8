package servertest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMarkers(t *testing.T) {
	m, err := Parse("{⟦!unknown-key:error key|\"lamda\"⟧: ⟦v|[⟨in⟩1, ⟦!wrong-type|\"x\"⟧]⟧, ⟨end⟩⟦!empty|⟧}")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"lamda": [1, "x"], }`; m.Text != want {
		t.Fatalf("text %q, want %q", m.Text, want)
	}
	if want := map[string]int{"in": 11, "end": 20}; !reflect.DeepEqual(m.Points, want) {
		t.Errorf("points %v, want %v", m.Points, want)
	}
	if want := map[string]Span{"key": {1, 8}, "v": {10, 18}}; !reflect.DeepEqual(m.Ranges, want) {
		t.Errorf("ranges %v, want %v", m.Ranges, want)
	}
	want := []WantDiag{{"unknown-key", "error", Span{1, 8}}, {"wrong-type", "", Span{14, 17}}, {"empty", "", Span{20, 20}}}
	if !reflect.DeepEqual(m.Want, want) {
		t.Errorf("diagnostics %v, want %v", m.Want, want)
	}
	if p, _ := m.Point("key"); p != 1 {
		t.Errorf("a range name as a point: %d, want its start 1", p)
	}
	// Annotate writes the same notation back.
	if got, want := Annotate(m.Text, m.Want), "{⟦!unknown-key:error|\"lamda\"⟧: [1, ⟦!wrong-type|\"x\"⟧], ⟦!empty|⟧}"; got != want {
		t.Errorf("annotate:\n got %s\nwant %s", got, want)
	}
}

func TestAnnotateNested(t *testing.T) {
	got := Annotate("abcdef", []WantDiag{{Code: "in", Span: Span{2, 4}}, {Code: "out", Span: Span{0, 4}}, {Code: "next", Span: Span{4, 6}}})
	if want := "⟦!out|ab⟦!in|cd⟧⟧⟦!next|ef⟧"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestParseMarkerErrors(t *testing.T) {
	for in, want := range map[string]string{
		"a ⟨x":              "line 1: ⟨ without ⟩",
		"a\n⟦x\n|b⟧":        "line 2: ⟦ without a label",
		"⟦|b⟧":              "empty range label",
		"a⟧":                "⟧ without ⟦",
		"⟦x|a":              "never closed",
		"⟨x⟩⟨x⟩":            `marker name "x" used twice`,
		"⟦!code:fatal|a⟧":   `bad diagnostic "!code:fatal"`,
		"⟨has space⟩":       "bad point name",
		"a⟩":                "⟩ without ⟨",
		"⟦x|a⟧⟦x|b⟧":        `marker name "x" used twice`,
		"⟨x⟩\n⟦x !e|b⟧":     `line 2: marker name "x" used twice`,
		"⟦!:error|a⟧":       `bad diagnostic "!:error"`,
		"ok ⟦a|⟦b|x⟧⟧ ⟨c⟩ ": "",
	} {
		_, err := Parse(in)
		if (err == nil) != (want == "") || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("Parse(%q): %v, want an error with %q", in, err, want)
		}
	}
}

func TestParseArchive(t *testing.T) {
	a, err := ParseArchive("a comment\n-- p/a.json --\n{⟨c⟩}\n-- b.py --\nx = 1\r\n\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 || a[0].Path != "p/a.json" || a[0].Text != "{}\n" || a[0].Points["c"] != 1 || a[1].Path != "b.py" || a[1].Text != "x = 1\r\n\n" {
		t.Fatalf("archive: %+v", a)
	}
	if _, err := ParseArchive("-- a --\nx\n-- a --\ny\n"); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a path twice: %v", err)
	}
	if _, err := ParseArchive("-- a --\n⟦x|y\n"); err == nil || !strings.HasPrefix(err.Error(), "a: line 1") {
		t.Errorf("an error names the file and line: %v", err)
	}
}
