package configfeatures

import (
	"strconv"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// keySlot is where a key completion goes, computed from the text (not from the
// recovered tree, which cannot know whether `"lam"` followed by a member on the next
// line is a key missing its colon or something else).
//
// Clients differ in what they honour (issue #11): VS Code and Helix filter on
// filterText over the edit range and apply textEdit; eglot matches the symbol at
// point ("lam", without the quote) against the item's label/insertText and then
// applies textEdit; Neovim's built-in omnifunc (0.7) matches that word against
// textEdit.newText and inserts newText at the word's start, ignoring the range. So
// when the user typed the opening quote the edit starts after it and newText starts
// with the key itself: every one of those clients inserts the same thing.
type keySlot struct {
	start, end int // the edit range
	tokStart   int // the key token's start (its opening quote, if any)
	quote      byte
	// afterQuote: the range starts after a typed opening quote, so newText omits it.
	afterQuote bool
	// withValue: no colon follows, so the item inserts `"key": value`.
	withValue bool
	// commaAfter: another member follows, so newText ends with a comma.
	commaAfter bool
	// commaBefore is the offset where a comma must go after the previous member
	// (-1: none needed).
	commaBefore int
	// quotedFilter: the range covers the whole quoted token (the cursor is after its
	// closing quote), so the filter text is quoted too.
	quotedFilter bool
}

func isKeyByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func keySlotAt(src []byte, obj *jsonpos.Node, offset int) keySlot {
	offset = min(max(offset, 0), len(src))
	ws := offset
	for ws > 0 && isKeyByte(src[ws-1]) {
		ws--
	}
	sl := keySlot{commaBefore: -1}
	tokEnd := offset
	closedBefore := false
	if ws > 0 && (src[ws-1] == '"' || src[ws-1] == '\'') {
		q := src[ws-1]
		// `"lam"|`: the quote before the cursor closes a key typed before it.
		w2 := ws - 1
		for w2 > 0 && isKeyByte(src[w2-1]) {
			w2--
		}
		if ws == offset && w2 < ws-1 && w2 > 0 && src[w2-1] == q {
			sl.quote, sl.tokStart, closedBefore = q, w2-1, true
		} else {
			sl.quote, sl.tokStart = q, ws-1
			for tokEnd < len(src) && isKeyByte(src[tokEnd]) {
				tokEnd++
			}
			if tokEnd < len(src) && src[tokEnd] == q {
				tokEnd++
			}
		}
	} else {
		sl.tokStart = ws
		for tokEnd < len(src) && isKeyByte(src[tokEnd]) {
			tokEnd++
		}
	}
	next := tokEnd
	for next < len(src) && isSpace(src[next]) {
		next++
	}
	sl.withValue = next >= len(src) || src[next] != ':'
	switch {
	case !sl.withValue && sl.quote != 0 && !closedBefore:
		// Renaming an existing key: replace what is inside its quotes.
		sl.start, sl.end = ws, tokEnd
		if tokEnd > ws && src[tokEnd-1] == sl.quote {
			sl.end = tokEnd - 1
		}
		return sl
	case closedBefore:
		sl.start, sl.end, sl.quotedFilter = sl.tokStart, tokEnd, true
	case sl.quote != 0:
		sl.start, sl.end, sl.afterQuote = ws, tokEnd, true
	default:
		sl.start, sl.end = sl.tokStart, tokEnd
	}
	if !sl.withValue {
		return sl
	}
	sl.commaAfter = next < len(src) && src[next] != '}' && src[next] != ',' && src[next] != ')'
	prev := sl.tokStart
	for prev > obj.Start && isSpace(src[prev-1]) {
		prev--
	}
	if prev > obj.Start && src[prev-1] != '{' && src[prev-1] != ',' {
		sl.commaBefore = prev
	}
	return sl
}

// item finishes a key item for the slot: filter text and the comma before.
func (sl keySlot) item(it Item) Item {
	it.FilterText = it.Label
	if sl.quotedFilter {
		q := string(sl.quote)
		it.FilterText = q + it.Label + q
	}
	if sl.commaBefore >= 0 {
		it.Extra = append(it.Extra, Edit{Start: sl.commaBefore, End: sl.commaBefore, Text: ","})
	}
	return it
}

// presentKeys lists the keys written in the object that starts at obj.Start, read
// from the text, except the key being completed at the slot. The recovered tree can
// lose members after a half-typed key (the parser resynchronises at the next comma),
// and offering a key that is already there makes a duplicate.
func presentKeys(src []byte, obj *jsonpos.Node, sl keySlot) map[string]bool {
	have := map[string]bool{}
	i := obj.Start
	if i >= len(src) || src[i] != '{' {
		for j := range obj.Members {
			if obj.Members[j].KeyStart != sl.tokStart {
				have[obj.Members[j].Key] = true
			}
		}
		return have
	}
	i++
	depth := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '{' || c == '[' || c == '(':
			depth++
			i++
		case c == '}' || c == ']' || c == ')':
			if depth == 0 {
				return have
			}
			depth--
			i++
		case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'' || c == '`' || isKeyByte(c):
			start := i
			var key string
			if isKeyByte(c) {
				for i < len(src) && isKeyByte(src[i]) {
					i++
				}
				key = string(src[start:i])
			} else {
				i++
				for i < len(src) && src[i] != c && src[i] != '\n' {
					if src[i] == '\\' && c != '`' {
						i++
					}
					i++
				}
				if i < len(src) && src[i] == c {
					i++
				}
				key = string(src[start+1 : max(start+1, i-1)])
				if c == '"' {
					if u, err := strconv.Unquote(string(src[start:i])); err == nil {
						key = u
					}
				}
			}
			if depth != 0 || start == sl.tokStart {
				continue
			}
			j := i
			for j < len(src) && isSpace(src[j]) {
				j++
			}
			if j < len(src) && src[j] == ':' {
				have[key] = true
			}
		default:
			i++
		}
	}
	return have
}
