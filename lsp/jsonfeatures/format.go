package jsonfeatures

import (
	"fmt"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// FormatOptions are the client's formatting options.
type FormatOptions struct {
	TabSize      int  // 0 means 4, as in VS Code
	InsertSpaces bool // false: indent with tabs
	// InsertFinalNewline ends the document with a line break.
	InsertFinalNewline bool
	// KeepLines keeps the user's line breaks (and so blank lines and one-line
	// objects), only re-indenting and normalising spaces: VS Code's
	// json.format.keepLines. chalice-lsp always formats with it, because a
	// hand-written config.json groups its keys with blank lines.
	KeepLines bool
}

// Edit replaces the bytes [Start, End) with Text.
type Edit struct {
	Start, End int
	Text       string
}

// SyntaxErrorRefusal is why Format declined: the document has a syntax error, and
// formatting around it would guess at the structure.
type SyntaxErrorRefusal struct {
	Offset int // where the first error is
	Msg    string
}

func (e *SyntaxErrorRefusal) Error() string {
	return fmt.Sprintf("not formatted: the document has a syntax error (%s); fix it first", e.Msg)
}

// Format returns the edits that format src (the whole document, or the lines of
// [rangeStart, rangeEnd) when rangeStart >= 0). It is a port of jsonc-parser's
// format (the formatter behind VS Code's Format Document for JSON) and gives the
// same edits for the same options, except:
//
//   - a document with a syntax error (errs from jsonpos.Parse, which also rejects
//     comments, trailing commas and a byte order mark, as Chalice's json.loads does)
//     is refused with a *SyntaxErrorRefusal instead of formatted around the error;
//   - range formatting only returns edits inside the range, where jsonc-parser also
//     returns edits that straddle its ends;
//   - offsets are bytes, not UTF-16 code units.
//
// Edits only ever replace the whitespace between two tokens, so key order and every
// key and value stay exactly as written.
func Format(src []byte, errs []jsonpos.SyntaxError, rangeStart, rangeEnd int, o FormatOptions) ([]Edit, error) {
	if len(errs) > 0 {
		return nil, &SyntaxErrorRefusal{Offset: errs[0].Start, Msg: errs[0].Msg}
	}
	f := formatter{src: src, opts: o}
	return f.run(rangeStart, rangeEnd), nil
}

type tokKind uint8

const (
	tEOF tokKind = iota
	tOpenBrace
	tCloseBrace
	tOpenBracket
	tCloseBracket
	tComma
	tColon
	tLiteral // null, true, false, a number
	tString
	tUnknown
)

type formatter struct {
	src  []byte
	opts FormatOptions

	// scanner state over src[base:limit]
	pos, limit   int
	tokStart     int
	tokEnd       int
	lineBreaks   int // line breaks before the current token
	hasError     bool
	edits        []Edit
	ranged       bool
	rStart, rEnd int
}

// scan reads the next token, counting the line breaks before it.
func (f *formatter) scan() tokKind {
	f.lineBreaks = 0
	for f.pos < f.limit {
		switch f.src[f.pos] {
		case ' ', '\t':
			f.pos++
			continue
		case '\r':
			f.pos++
			if f.pos < f.limit && f.src[f.pos] == '\n' {
				f.pos++
			}
		case '\n':
			f.pos++
		default:
			goto token
		}
		if f.opts.KeepLines {
			f.lineBreaks++
		} else {
			f.lineBreaks = 1
		}
	}
token:
	f.tokStart = f.pos
	f.hasError = false
	if f.pos >= f.limit {
		f.tokEnd = f.pos
		return tEOF
	}
	c := f.src[f.pos]
	f.pos++
	var k tokKind
	switch c {
	case '{':
		k = tOpenBrace
	case '}':
		k = tCloseBrace
	case '[':
		k = tOpenBracket
	case ']':
		k = tCloseBracket
	case ',':
		k = tComma
	case ':':
		k = tColon
	case '"':
		k = tString
		closed := false
		for f.pos < f.limit {
			ch := f.src[f.pos]
			if ch == '"' {
				f.pos++
				closed = true
				break
			}
			if ch == '\\' && f.pos+1 < f.limit {
				f.pos += 2
				continue
			}
			if ch == '\n' || ch == '\r' {
				break
			}
			f.pos++
		}
		f.hasError = !closed
	default:
		// A number or a keyword: read the word; anything else is unknown.
		for f.pos < f.limit && !strings.ContainsRune(" \t\r\n{}[],:\"", rune(f.src[f.pos])) {
			f.pos++
		}
		switch w := string(f.src[f.tokStart:f.pos]); {
		case w == "true" || w == "false" || w == "null":
			k = tLiteral
		case len(w) > 0 && (w[0] == '-' || (w[0] >= '0' && w[0] <= '9')):
			k = tLiteral
		default:
			k = tUnknown
			f.hasError = true
		}
	}
	f.tokEnd = f.pos
	return k
}

func (f *formatter) run(rangeStart, rangeEnd int) []Edit {
	src := f.src
	base := 0
	f.limit = len(src)
	initialLevel := 0
	if rangeStart >= 0 {
		f.ranged, f.rStart, f.rEnd = true, rangeStart, rangeEnd
		base = rangeStart
		for base > 0 && !isEOL(src[base-1]) {
			base--
		}
		end := rangeEnd
		for end < len(src) && !isEOL(src[end]) {
			end++
		}
		f.limit = end
		initialLevel = f.indentLevelAt(base)
	} else {
		f.rStart, f.rEnd = 0, len(src)
	}
	f.pos = base
	eol := detectEOL(src)
	indent := "\t"
	if f.opts.InsertSpaces {
		indent = strings.Repeat(" ", f.tabSize())
	}
	level := 0
	newLinesAndIndent := func() string {
		n := max(f.lineBreaks, 1)
		return strings.Repeat(eol, n) + strings.Repeat(indent, max(initialLevel+level, 0))
	}

	first := f.scan()
	// Leading line breaks are kept with keepLines (whole documents only, as in
	// jsonc-parser, which inserts them at offset 0; here one edit does both).
	leading := ""
	if f.opts.KeepLines && f.lineBreaks > 0 && !f.ranged {
		leading = strings.Repeat(eol, f.lineBreaks)
	}
	if first != tEOF {
		f.add(leading+strings.Repeat(indent, initialLevel), base, f.tokStart)
	}
	keep := f.opts.KeepLines
	for first != tEOF {
		firstEnd := f.tokEnd
		second := f.scan()
		replace := ""
		switch {
		case second == tCloseBrace || second == tCloseBracket:
			open := tOpenBrace
			if second == tCloseBracket {
				open = tOpenBracket
			}
			if first != open {
				level--
			}
			if keep && f.lineBreaks > 0 || !keep && first != open {
				replace = newLinesAndIndent()
			} else if keep {
				replace = " "
			}
		default:
			switch first {
			case tOpenBracket, tOpenBrace:
				level++
				if keep && f.lineBreaks > 0 || !keep {
					replace = newLinesAndIndent()
				} else {
					replace = " "
				}
			case tComma:
				if keep && f.lineBreaks > 0 || !keep {
					replace = newLinesAndIndent()
				} else {
					replace = " "
				}
			case tColon:
				if keep && f.lineBreaks > 0 {
					replace = newLinesAndIndent()
				} else {
					replace = " "
				}
			case tString:
				if keep && f.lineBreaks > 0 {
					replace = newLinesAndIndent()
				} else if second == tColon {
					replace = ""
				}
			case tLiteral, tCloseBrace, tCloseBracket:
				if keep && f.lineBreaks > 0 {
					replace = newLinesAndIndent()
				} else if second != tComma && second != tEOF {
					f.hasError = true
				}
			case tUnknown:
				f.hasError = true
			}
		}
		if second == tEOF {
			if keep && f.lineBreaks > 0 {
				replace = newLinesAndIndent()
			} else if f.opts.InsertFinalNewline {
				replace = eol
			} else {
				replace = ""
			}
		}
		f.add(replace, firstEnd, f.tokStart)
		first = second
	}
	return f.edits
}

// add records an edit unless it changes nothing, follows a token error, or (range
// formatting) reaches outside the range.
func (f *formatter) add(text string, start, end int) {
	if f.hasError {
		return
	}
	// Inside the range, and (as in jsonc-parser) overlapping it: an insertion
	// exactly at either end of the range is outside.
	if f.ranged && (start < f.rStart || end > f.rEnd || !(start < f.rEnd && end > f.rStart)) {
		return
	}
	if string(f.src[start:end]) == text {
		return
	}
	f.edits = append(f.edits, Edit{Start: start, End: end, Text: text})
}

func (f *formatter) tabSize() int {
	if f.opts.TabSize <= 0 {
		return 4
	}
	return f.opts.TabSize
}

// indentLevelAt is jsonc-parser's computeIndentLevel: the indentation of the line
// starting at offset, in tab stops.
func (f *formatter) indentLevelAt(offset int) int {
	n := 0
	for i := offset; i < len(f.src); i++ {
		switch f.src[i] {
		case ' ':
			n++
		case '\t':
			n += f.tabSize()
		default:
			return n / f.tabSize()
		}
	}
	return n / f.tabSize()
}

func isEOL(c byte) bool { return c == '\n' || c == '\r' }

// detectEOL is the document's first line break, "\n" if it has none.
func detectEOL(src []byte) string {
	for i, c := range src {
		switch c {
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				return "\r\n"
			}
			return "\r"
		case '\n':
			return "\n"
		}
	}
	return "\n"
}
