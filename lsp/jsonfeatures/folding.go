package jsonfeatures

import (
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// FoldOptions are what the client said about folding ranges.
type FoldOptions struct {
	// LineFoldingOnly: the client folds whole lines only (VS Code, Neovim). The
	// fold then ends on the line before the closing bracket, which stays visible,
	// as in VS Code's JSON folding.
	LineFoldingOnly bool
	// RangeLimit is the most ranges the client wants (<= 0: no limit).
	RangeLimit int
}

// Fold is one foldable object or array. Lines are 0-based. StartOffset and
// EndOffset are the byte offsets just after the opening bracket and of the closing
// bracket (or the end of the content of an unclosed container); a client that folds
// characters hides [StartOffset, EndOffset).
type Fold struct {
	StartLine, EndLine     int
	StartOffset, EndOffset int
	Array                  bool
}

// Folds returns the folding ranges of the objects and arrays of the tree (which may
// be partial: an unclosed container folds to its last content). Like VS Code's
// jsonFolding, only containers spanning lines fold, in the order they close, one
// range per start line (the innermost), and a range limit drops the most deeply
// nested ranges first.
func Folds(src []byte, root *jsonpos.Node, m *text.Mapper, o FoldOptions) []Fold {
	if root == nil {
		return nil
	}
	var folds []Fold
	var levels []int
	prevStart := -1
	var walk func(n *jsonpos.Node, depth int)
	walk = func(n *jsonpos.Node, depth int) {
		if n == nil || (n.Kind != jsonpos.Object && n.Kind != jsonpos.Array) {
			return
		}
		closer := byte('}')
		if n.Kind == jsonpos.Array {
			closer = ']'
		}
		closed := n.End-1 > n.Start && n.End <= len(src) && src[n.End-1] == closer
		startLine := m.Position(n.Start, text.UTF8).Line
		var f Fold
		ok := false
		if closed {
			closeLine := m.Position(n.End-1, text.UTF8).Line
			if o.LineFoldingOnly {
				ok = closeLine > startLine+1
				f = Fold{StartLine: startLine, EndLine: closeLine - 1}
			} else {
				ok = closeLine > startLine
				f = Fold{StartLine: startLine, EndLine: closeLine}
			}
			f.EndOffset = n.End - 1
		} else {
			// No closing bracket to keep visible: fold through the last content.
			end := n.End
			for end > n.Start+1 && isSpace(src[end-1]) {
				end--
			}
			endLine := m.Position(end, text.UTF8).Line
			ok = endLine > startLine
			f = Fold{StartLine: startLine, EndLine: endLine, EndOffset: end}
		}
		f.StartOffset, f.Array = n.Start+1, n.Kind == jsonpos.Array
		for _, mem := range n.Members {
			walk(mem.Value, depth+1)
		}
		for _, e := range n.Elems {
			walk(e, depth+1)
		}
		// Ranges are added when their container closes (children first), and a
		// range starting on the line of the one just added is dropped: of "[{" the
		// object folds, as in VS Code.
		if ok && startLine != prevStart {
			folds = append(folds, f)
			levels = append(levels, depth)
			prevStart = startLine
		}
	}
	walk(root, 0)
	if o.RangeLimit <= 0 || len(folds) <= o.RangeLimit {
		return folds
	}
	return limitByNesting(folds, levels, o.RangeLimit)
}

// limitByNesting keeps the limit ranges of least nesting, as VS Code's jsonFolding
// does: every range above the deepest level that fits, and the first ranges of that
// level in document order.
func limitByNesting(folds []Fold, levels []int, limit int) []Fold {
	counts := map[int]int{}
	maxLevel := 0
	for _, l := range levels {
		counts[l]++
		maxLevel = max(maxLevel, l)
	}
	entries, cut := 0, maxLevel+1
	for l := 0; l <= maxLevel; l++ {
		if entries+counts[l] > limit {
			cut = l
			break
		}
		entries += counts[l]
	}
	out := make([]Fold, 0, limit)
	for i, f := range folds {
		if levels[i] < cut || (levels[i] == cut && entries < limit) {
			if levels[i] == cut {
				entries++
			}
			out = append(out, f)
		}
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
