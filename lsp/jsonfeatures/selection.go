package jsonfeatures

import "github.com/chalice-lsp/chalice-lsp/schema/jsonpos"

// Span is a byte span [Start, End).
type Span struct{ Start, End int }

// Selection returns the ranges "expand selection" steps through from offset,
// innermost first, each containing the previous: a string's content, the string, the
// member (key and value), the member with its trailing comma, the object's content,
// the object, ... up to the root value and finally the whole document. The steps
// are those of VS Code's jsonSelectionRanges, plus the document. It works on partial
// trees: a key without a value selects as a member of its own.
func Selection(src []byte, root *jsonpos.Node, offset int) []Span {
	var chain []Span
	add := func(s Span) {
		if n := len(chain); n > 0 && chain[n-1] == s {
			return
		}
		if n := len(chain); n > 0 && (s.Start > chain[n-1].Start || s.End < chain[n-1].End) {
			return // never narrower than the previous step
		}
		chain = append(chain, s)
	}
	// inner adds the content span of a string or container, when offset is in it.
	inner := func(start, end int) {
		if cs, ce := start+1, end-1; cs < ce && offset >= cs && offset <= ce {
			add(Span{cs, ce})
		}
	}
	valueSpans := func(n *jsonpos.Node) {
		switch n.Kind {
		case jsonpos.String, jsonpos.Object, jsonpos.Array:
			if closedAt(src, n) {
				inner(n.Start, n.End)
			} else if n.Kind != jsonpos.String {
				// Unclosed: its content runs to the end.
				if offset > n.Start {
					add(Span{n.Start + 1, n.End})
				}
			}
		}
		add(Span{n.Start, n.End})
	}
	withComma := func(s Span) {
		i := s.End
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i < len(src) && src[i] == ',' {
			add(Span{s.Start, i + 1})
		}
	}
	// Collect the path of nodes from root to offset, then emit spans innermost first.
	type step struct {
		node   *jsonpos.Node
		member *jsonpos.Member // the member of node's parent holding node
		inArr  bool
		onKey  bool // offset is on member's key, node is the member's value or nil
	}
	if root == nil || !root.Contains(offset) {
		if len(src) > 0 {
			return []Span{{0, len(src)}}
		}
		return nil
	}
	path := []step{{node: root}}
	cur := root
	for {
		var next step
		found := false
		switch cur.Kind {
		case jsonpos.Object:
			for i := range cur.Members {
				m := &cur.Members[i]
				end := m.KeyEnd
				if m.Value != nil {
					end = m.Value.End
				}
				if offset < m.KeyStart || offset > end {
					continue
				}
				// On the colon or the spaces around it the member itself is selected
				// (node does not contain offset).
				next, found = step{node: m.Value, member: m, onKey: offset <= m.KeyEnd}, true
				break
			}
		case jsonpos.Array:
			for _, e := range cur.Elems {
				if e.Contains(offset) {
					next, found = step{node: e, inArr: true}, true
					break
				}
			}
		}
		if !found {
			break
		}
		path = append(path, next)
		if next.onKey || next.node == nil || !next.node.Contains(offset) {
			break
		}
		cur = next.node
	}
	for i := len(path) - 1; i >= 0; i-- {
		st := path[i]
		switch {
		case st.member != nil:
			m := st.member
			if st.onKey {
				if m.KeyEnd-m.KeyStart >= 2 && src[m.KeyStart] == '"' && src[m.KeyEnd-1] == '"' {
					inner(m.KeyStart, m.KeyEnd)
				}
				add(Span{m.KeyStart, m.KeyEnd})
			} else if st.node != nil && st.node.Contains(offset) {
				valueSpans(st.node)
			}
			end := m.KeyEnd
			if m.Value != nil {
				end = m.Value.End
			}
			add(Span{m.KeyStart, end})
			withComma(Span{m.KeyStart, end})
		case st.inArr:
			valueSpans(st.node)
			withComma(Span{st.node.Start, st.node.End})
		case st.node != nil:
			valueSpans(st.node)
		}
	}
	if len(src) > 0 {
		add(Span{0, len(src)})
	}
	return chain
}

// closedAt reports whether a string, object or array ends with its closing
// character (a half-typed document has unclosed ones).
func closedAt(src []byte, n *jsonpos.Node) bool {
	if n.End-n.Start < 2 || n.End > len(src) {
		return false
	}
	switch n.Kind {
	case jsonpos.String:
		return src[n.End-1] == '"'
	case jsonpos.Object:
		return src[n.End-1] == '}'
	case jsonpos.Array:
		return src[n.End-1] == ']'
	}
	return false
}
