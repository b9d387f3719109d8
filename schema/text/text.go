// Package text converts between byte offsets in a file's content and LSP positions.
//
// Every analysis in chalice-lsp works in byte offsets; conversion to the client's
// position encoding (UTF-16 by default, UTF-8 or UTF-32 when negotiated) happens once,
// at the edge, with a Mapper. Line breaks are "\n", "\r\n" and "\r", as in LSP.
package text

import (
	"sort"
	"sync"
	"unicode/utf8"
)

// Encoding is a position encoding negotiated with the client (LSP 3.17 positionEncoding).
type Encoding int

const (
	// UTF16 counts UTF-16 code units: the LSP default and what VS Code uses.
	UTF16 Encoding = iota
	// UTF8 counts bytes.
	UTF8
	// UTF32 counts Unicode code points.
	UTF32
)

// String returns the LSP name of the encoding ("utf-16", "utf-8", "utf-32").
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "utf-8"
	case UTF32:
		return "utf-32"
	default:
		return "utf-16"
	}
}

// Position is a 0-based line and a 0-based character offset in the chosen encoding.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range is a half-open span [Start, End) of positions.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Mapper maps byte offsets to positions and back for one version of a file's content.
// It is immutable and safe for concurrent use.
type Mapper struct {
	src        []byte
	lineStarts []int // byte offset where each line begins; lineStarts[0] == 0

	// ckpts holds, for long lines, the column at every ckptEvery bytes (per
	// encoding), built on first use: mapping an offset on a 1 MB one-line document
	// then costs at most ckptEvery bytes of counting, not the whole line, so
	// mapping many diagnostics is linear.
	mu    sync.Mutex
	ckpts map[ckptKey][]ckpt
}

const ckptEvery = 1024

type ckptKey struct {
	line int
	enc  Encoding
}

type ckpt struct{ off, units int }

// columnOf returns the width of src[start:offset] in enc (start is a line start).
func (m *Mapper) columnOf(line, start, offset int, enc Encoding) int {
	if enc == UTF8 || offset-start <= ckptEvery {
		return width(m.src[start:offset], enc)
	}
	m.mu.Lock()
	cs, ok := m.ckpts[ckptKey{line, enc}]
	if !ok {
		end := m.lineEnd(line)
		cs = []ckpt{{start, 0}}
		off, units := start, 0
		for off < end {
			r, size := utf8.DecodeRune(m.src[off:end])
			units += runeUnits(r, size, enc)
			off += size
			if off-cs[len(cs)-1].off >= ckptEvery {
				cs = append(cs, ckpt{off, units})
			}
		}
		if m.ckpts == nil {
			m.ckpts = map[ckptKey][]ckpt{}
		}
		m.ckpts[ckptKey{line, enc}] = cs
	}
	m.mu.Unlock()
	i := sort.Search(len(cs), func(i int) bool { return cs[i].off > offset }) - 1
	return cs[i].units + width(m.src[cs[i].off:offset], enc)
}

// NewMapper indexes the line starts of src. The slice is retained, not copied.
func NewMapper(src []byte) *Mapper {
	starts := AppendLineStarts(make([]int, 1, 1+len(src)/32), src, 0, len(src))
	return &Mapper{src: src, lineStarts: starts}
}

// AppendLineStarts appends to starts the byte offset of each line start that a
// line break in src[from:to] begins ("\n", "\r\n" or a lone "\r", as LSP counts
// lines). A "\r" at to-1 looks at src[to] to tell "\r\n" from a lone "\r". It
// is the one line-break scanner: the Mapper indexes whole documents with it and
// the server's overlay re-indexes just the span an edit touched.
func AppendLineStarts(starts []int, src []byte, from, to int) []int {
	for i := from; i < to; i++ {
		switch src[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}

// Content returns the content the mapper was built for.
func (m *Mapper) Content() []byte { return m.src }

// LineCount is the number of lines (an empty file has one).
func (m *Mapper) LineCount() int { return len(m.lineStarts) }

// LineStart returns the byte offset where line begins, clamped to the file.
func (m *Mapper) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(m.lineStarts) {
		return len(m.src)
	}
	return m.lineStarts[line]
}

// lineEnd is the offset of the line break (or EOF) that ends line.
func (m *Mapper) lineEnd(line int) int {
	end := len(m.src)
	if line+1 < len(m.lineStarts) {
		end = m.lineStarts[line+1]
		// Step back over the line break itself.
		if end > 0 && m.src[end-1] == '\n' {
			end--
		}
		if end > 0 && m.src[end-1] == '\r' {
			end--
		}
	}
	return end
}

// Position converts a byte offset to a position. Offsets are clamped to the file; in
// UTF-16 and UTF-32 an offset inside a multi-byte character is moved to that
// character's start (UTF-8 positions count bytes, so any offset has one).
func (m *Mapper) Position(offset int, enc Encoding) Position {
	if offset < 0 {
		offset = 0
	}
	if offset > len(m.src) {
		offset = len(m.src)
	}
	line := sort.Search(len(m.lineStarts), func(i int) bool { return m.lineStarts[i] > offset }) - 1
	start := m.lineStarts[line]
	if end := m.lineEnd(line); offset > end {
		offset = end // inside a "\r\n": count it as the end of the line
	} else if enc != UTF8 {
		offset = runeStart(m.src, start, offset)
	}
	return Position{Line: line, Character: m.columnOf(line, start, offset, enc)}
}

// Range converts a byte span to a range.
func (m *Mapper) Range(start, end int, enc Encoding) Range {
	return Range{Start: m.Position(start, enc), End: m.Position(end, enc)}
}

// Offset converts a position back to a byte offset. A line past the end maps to the end
// of the file; a character past the end of its line maps to the end of that line; a
// character inside a surrogate pair maps to the start of that code point.
func (m *Mapper) Offset(p Position, enc Encoding) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(m.lineStarts) {
		return len(m.src)
	}
	off := m.lineStarts[p.Line]
	end := m.lineEnd(p.Line)
	units := 0
	for off < end && units < p.Character {
		r, size := utf8.DecodeRune(m.src[off:end])
		n := runeUnits(r, size, enc)
		if units+n > p.Character {
			break
		}
		units += n
		off += size
	}
	return off
}

// runeStart moves offset back to the start of the valid UTF-8 character it falls
// inside (not before lineStart); offsets at a character start, and bytes that belong
// to no valid character, stay where they are. Without it the stray bytes of a split
// character would each count as a unit and a position could land inside a surrogate
// pair.
func runeStart(src []byte, lineStart, offset int) int {
	if offset >= len(src) || utf8.RuneStart(src[offset]) {
		return offset
	}
	for back := 1; back < utf8.UTFMax && offset-back >= lineStart; back++ {
		if utf8.RuneStart(src[offset-back]) {
			if r, size := utf8.DecodeRune(src[offset-back:]); !(r == utf8.RuneError && size == 1) && size > back {
				return offset - back
			}
			break
		}
	}
	return offset
}

// width counts b in the units of enc. Invalid UTF-8 bytes count as one unit each
// (they become U+FFFD for the client).
func width(b []byte, enc Encoding) int {
	if enc == UTF8 {
		return len(b)
	}
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		n += runeUnits(r, size, enc)
		b = b[size:]
	}
	return n
}

func runeUnits(r rune, size int, enc Encoding) int {
	switch enc {
	case UTF8:
		return size
	case UTF32:
		return 1
	default:
		if r >= 0x10000 && r != utf8.RuneError {
			return 2
		}
		return 1
	}
}
