package overlay

import (
	"slices"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// editor applies the edits of one didChange to a private copy of the content,
// keeping the line index up to date edit by edit. Copying the document and
// rebuilding its index for every edit made one change with 5,000 edits cost
// seconds on a 1 MB document; here an edit costs a move of the bytes after it.
type editor struct {
	buf    []byte
	starts []int // byte offset of each line start (after "\n", "\r\n" or "\r")
}

func (e *editor) reset(src []byte) {
	e.buf = append([]byte(nil), src...)
	e.starts = text.AppendLineStarts([]int{0}, e.buf, 0, len(e.buf))
}

// offset converts an LSP position, as text.Mapper.Offset does.
func (e *editor) offset(p text.Position, enc text.Encoding) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(e.starts) {
		return len(e.buf)
	}
	start := e.starts[p.Line]
	end := len(e.buf)
	if p.Line+1 < len(e.starts) {
		end = e.starts[p.Line+1]
	}
	// Map within the line only (a Mapper over one line is the same computation).
	return start + text.NewMapper(e.buf[start:end]).Offset(text.Position{Character: p.Character}, enc)
}

// replace replaces buf[start:end] with s and updates the line index.
func (e *editor) replace(start, end int, s string) {
	e.buf = slices.Replace(e.buf, start, end, []byte(s)...)
	// Line starts inside the replaced span (and the one right after it, which a
	// "\r" + "\n" join or split can change) are recomputed; the rest shift.
	first := sort.SearchInts(e.starts, start+1) // first start after the edit's start
	last := sort.SearchInts(e.starts, end+2)    // first start not affected
	delta := len(s) - (end - start)
	tail := append([]int(nil), e.starts[last:]...)
	for i := range tail {
		tail[i] += delta
	}
	lineFrom := start
	if lineFrom > 0 && e.buf[lineFrom-1] == '\r' {
		lineFrom-- // an inserted "\n" may complete a "\r\n"
	}
	head := e.starts[:first]
	for len(head) > 1 && head[len(head)-1] > lineFrom {
		head = head[:len(head)-1]
	}
	to := end + delta + 1
	if to > len(e.buf) {
		to = len(e.buf)
	}
	mid := text.AppendLineStarts(nil, e.buf, lineFrom, to)
	for len(tail) > 0 && len(mid) > 0 && tail[0] <= mid[len(mid)-1] {
		tail = tail[1:]
	}
	e.starts = append(append(head, mid...), tail...)
}
