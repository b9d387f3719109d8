package text

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPositionRoundTrip(t *testing.T) {
	src := []byte("a\r\né😀x\rz\n\xffq")
	m := NewMapper(src)
	if m.LineCount() != 4 {
		t.Fatalf("lines = %d", m.LineCount())
	}
	cases := []struct {
		off        int
		enc        Encoding
		line, char int
	}{
		{0, UTF16, 0, 0},
		{1, UTF16, 0, 1},
		{2, UTF16, 0, 1}, // between \r and \n: end of line 0
		{3, UTF16, 1, 0},
		{5, UTF16, 1, 1},  // after é (2 bytes, 1 unit)
		{9, UTF16, 1, 3},  // after 😀 (4 bytes, 2 units)
		{9, UTF8, 1, 6},   // bytes
		{9, UTF32, 1, 2},  // code points
		{12, UTF16, 2, 1}, // "z" line after lone \r
		{14, UTF16, 3, 1}, // after invalid byte: one unit
		{100, UTF16, 3, 2},
	}
	for _, c := range cases {
		p := m.Position(c.off, c.enc)
		if p.Line != c.line || p.Character != c.char {
			t.Errorf("Position(%d,%v) = %+v, want %d:%d", c.off, c.enc, p, c.line, c.char)
		}
	}
	// Offsets at character boundaries round-trip in every encoding.
	for _, off := range []int{0, 1, 3, 5, 9, 10, 11, 12, 13, 14, 15} {
		for _, enc := range []Encoding{UTF8, UTF16, UTF32} {
			if got := m.Offset(m.Position(off, enc), enc); got != off {
				t.Errorf("round trip %d (%v) = %d", off, enc, got)
			}
		}
	}
	// Inside a surrogate pair, clamp to the code point start; past the line end, to the end.
	if got := m.Offset(Position{Line: 1, Character: 2}, UTF16); got != 5 {
		t.Errorf("mid-surrogate offset = %d", got)
	}
	if got := m.Offset(Position{Line: 0, Character: 99}, UTF16); got != 1 {
		t.Errorf("past end of line = %d", got)
	}
	if got := m.Offset(Position{Line: 99}, UTF16); got != len(src) {
		t.Errorf("past end of file = %d", got)
	}
}

func TestEmpty(t *testing.T) {
	m := NewMapper(nil)
	if p := m.Position(0, UTF16); p != (Position{}) {
		t.Errorf("%+v", p)
	}
	if m.Offset(Position{Line: 0, Character: 3}, UTF16) != 0 {
		t.Error("offset in empty file")
	}
}

// TestPositionInsideCharacter: Position's documented promise, an offset inside a
// multi-byte character counts as that character's start (it used to count each
// stray byte as a unit, which could put an end position inside a surrogate pair).
func TestPositionInsideCharacter(t *testing.T) {
	src := []byte("xé😀y\n\x80\xe9z\n\ufffd")
	m := NewMapper(src)
	for _, c := range []struct {
		off  int
		enc  Encoding
		char int
	}{
		{2, UTF16, 1}, // inside é
		{4, UTF16, 2}, // inside 😀 (1st continuation byte)
		{6, UTF16, 2}, // inside 😀 (last continuation byte)
		{6, UTF32, 2},
		{6, UTF8, 6}, // bytes are bytes
		{7, UTF16, 4},
		{10, UTF16, 1}, // after a lone continuation byte: it is one invalid unit, not part of a character
		{11, UTF16, 2}, // after \xe9, which starts no valid character
		{14, UTF16, 0}, // inside a literal U+FFFD (line 2), which is a valid character
	} {
		if p := m.Position(c.off, c.enc); p.Line != m.Position(c.off, UTF8).Line || p.Character != c.char {
			t.Errorf("Position(%d, %v) = %+v, want character %d", c.off, c.enc, p, c.char)
		}
	}
}

// Long lines are mapped through checkpoints; the columns must equal a plain count
// from the line start, in every encoding, at every offset.
func TestLongLineCheckpointsAgree(t *testing.T) {
	var b []byte
	b = append(b, "x\n"...)
	for i := 0; i < 3000; i++ {
		b = append(b, "aé😀\xff"[i%4:]...)
	}
	b = append(b, "\nend"...)
	m := NewMapper(b)
	for _, enc := range []Encoding{UTF16, UTF32, UTF8} {
		for off := 2; off < len(b)-4; off += 7 {
			got := m.Position(off, enc)
			want := Position{Line: 1, Character: width(b[2:runeStartFor(b, off, enc)], enc)}
			if got != want {
				t.Fatalf("%v offset %d: %+v, want %+v", enc, off, got, want)
			}
		}
	}
}

func runeStartFor(b []byte, off int, enc Encoding) int {
	if enc == UTF8 {
		return off
	}
	return runeStart(b, 2, off)
}

// Mapping 100,000 positions on a 1 MB line is linear: this used to count from the
// line start for each one (minutes). What makes it linear is checked, not the
// clock: the line is indexed once, with checkpoints no more than ckptEvery bytes
// (plus one character) apart, so each position counts at most that many bytes.
func TestManyPositionsOnALongLine(t *testing.T) {
	line := []byte(strings.Repeat("aé😀", 1<<20/7+1))[:1<<20] // 1-, 2- and 4-byte characters
	m := NewMapper(line)
	for off := 0; off < len(line); off += 10 {
		m.Position(off, UTF16)
	}
	if len(m.ckpts) != 1 {
		t.Fatalf("%d checkpoint indexes for one line in one encoding, want 1", len(m.ckpts))
	}
	cs := m.ckpts[ckptKey{0, UTF16}]
	if len(cs) < len(line)/(ckptEvery+utf8.UTFMax) {
		t.Fatalf("%d checkpoints for a %d-byte line", len(cs), len(line))
	}
	for i := 1; i < len(cs); i++ {
		if gap := cs[i].off - cs[i-1].off; gap <= 0 || gap > ckptEvery+utf8.UTFMax {
			t.Fatalf("checkpoints %d and %d are %d bytes apart, want 1 to %d", i-1, i, gap, ckptEvery+utf8.UTFMax)
		}
		if want := cs[i-1].units + width(line[cs[i-1].off:cs[i].off], UTF16); cs[i].units != want {
			t.Fatalf("checkpoint %d: %d units, want %d", i, cs[i].units, want)
		}
	}
	if last := cs[len(cs)-1].off; len(line)-last > ckptEvery+utf8.UTFMax {
		t.Fatalf("the last checkpoint is %d bytes before the line's end", len(line)-last)
	}
}

func TestAppendLineStartsSpan(t *testing.T) {
	src := []byte("a\r\nb\rc\nd\r")
	if got, want := AppendLineStarts([]int{0}, src, 0, len(src)), []int{0, 3, 5, 7, 9}; !slices.Equal(got, want) {
		t.Fatalf("whole: %v, want %v", got, want)
	}
	// A span ending on the "\r" of "\r\n" still counts the pair as one break,
	// after the "\n"; a span starting after the "\r" sees a plain "\n".
	if got, want := AppendLineStarts(nil, src, 1, 2), []int{3}; !slices.Equal(got, want) {
		t.Fatalf("span [1,2): %v, want %v", got, want)
	}
	if got, want := AppendLineStarts(nil, src, 2, 6), []int{3, 5}; !slices.Equal(got, want) {
		t.Fatalf("span [2,6): %v, want %v", got, want)
	}
}
