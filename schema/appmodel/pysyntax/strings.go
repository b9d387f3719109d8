package pysyntax

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// StringLit describes a Python string literal node.
type StringLit struct {
	// Value is the decoded text (escapes applied unless raw).
	Value string
	// ContentStart and ContentEnd span the text between the quotes. For an
	// unterminated literal (still being typed) ContentEnd is the node's end.
	ContentStart, ContentEnd int
	// Terminated is false when the closing quote is missing.
	Terminated bool
	// Static is false for f-strings with interpolations and for bytes
	// literals: their value is not a str known before run time.
	Static bool
}

// String decodes a "string" node, or a "concatenated_string" ("a" "b"). ok
// is false for any other node.
func (t *Tree) String(n *Node) (lit StringLit, ok bool) {
	if n == nil {
		return lit, false
	}
	switch n.Kind {
	case "concatenated_string":
		parts := n.NamedChildren()
		if len(parts) == 0 {
			return lit, false
		}
		var b strings.Builder
		lit.Static, lit.Terminated = true, true
		for i, p := range parts {
			pl, ok := t.String(p)
			if !ok {
				return lit, false
			}
			if i == 0 {
				lit.ContentStart = pl.ContentStart
			}
			lit.ContentEnd = pl.ContentEnd
			b.WriteString(pl.Value)
			lit.Static = lit.Static && pl.Static
			lit.Terminated = lit.Terminated && pl.Terminated
		}
		lit.Value = b.String()
		return lit, true
	case "string":
	default:
		return lit, false
	}
	var start, end *Node
	interp := false
	for _, c := range n.Children {
		switch c.Kind {
		case "string_start":
			start = c
		case "string_end":
			end = c
		case "interpolation":
			interp = true
		}
	}
	if start == nil {
		return lit, false
	}
	opener := t.Text(start)
	prefix := strings.ToLower(strings.TrimRight(opener, `"'`))
	lit.ContentStart = start.End
	lit.ContentEnd = n.End
	lit.Terminated = end != nil && !end.Missing && end.End > end.Start
	if lit.Terminated {
		lit.ContentEnd = end.Start
	}
	if lit.ContentEnd < lit.ContentStart {
		lit.ContentEnd = lit.ContentStart
	}
	raw := string(t.Src[lit.ContentStart:lit.ContentEnd])
	if !lit.Terminated {
		// An unterminated single-line literal stops at the line end.
		if i := strings.IndexByte(raw, '\n'); i >= 0 && len(opener)-len(prefix) == 1 {
			raw = raw[:i]
			lit.ContentEnd = lit.ContentStart + i
		}
	}
	lit.Static = !interp && !strings.Contains(prefix, "b")
	if strings.Contains(prefix, "r") {
		lit.Value = raw
	} else {
		lit.Value = unescape(raw)
	}
	return lit, true
}

// unescape applies Python's str escape sequences. Unknown escapes are kept
// as written, as Python does; \N{...} is kept as written too (resolving
// Unicode names needs a table that is not worth carrying here).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\n':
			// line continuation
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

// LooseString handles a literal tree-sitter could not close: for a
// "string_start" token that is not part of a "string" node (tree-sitter wraps
// it in an ERROR node and lexes the rest of the line as other tokens), it
// returns the text from the opening quote to the end of the line, undecoded.
// This is what completion needs while the user types `get_resource("API`.
func (t *Tree) LooseString(start *Node) (StringLit, bool) {
	if start == nil || start.Kind != "string_start" || (start.Parent != nil && start.Parent.Kind == "string") {
		return StringLit{}, false
	}
	end := start.End
	for end < len(t.Src) && t.Src[end] != '\n' && t.Src[end] != '\r' {
		end++
	}
	raw := string(t.Src[start.End:end])
	return StringLit{Value: raw, ContentStart: start.End, ContentEnd: end, Static: true}, true
}
