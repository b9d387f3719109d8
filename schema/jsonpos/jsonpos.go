// Package jsonpos parses JSON into a tree that remembers where every key and value is.
//
// encoding/json gives no positions, and chalice-lsp must put each diagnostic on the exact
// key or value, complete half-typed documents and jump into generated templates. Parse
// follows Python's json.loads (which is how Chalice reads .chalice/config.json): strict
// JSON, no comments, no trailing commas, last duplicate key wins. Unlike json.loads it
// does not stop at the first error: it records the error and recovers at the next comma
// or closing bracket, so an editor still gets a useful tree while the user types.
//
// All offsets are byte offsets into the parsed source; schema/text converts them to
// LSP positions.
package jsonpos

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the kind of a JSON value.
type Kind uint8

// The kinds of JSON values, plus Opaque for CDK source expressions.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
	// Opaque is a value that is not a literal: trees built from CDK source code (a
	// stage_config dict in Python or Go) use it for expressions such as
	// table.table_name whose value is only known at synth time. Parse never makes one.
	Opaque
)

// String names the kind as a JSON Schema type would ("null", "boolean", ...).
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	case Opaque:
		return "expression"
	}
	return "unknown"
}

// Node is one JSON value and its byte span [Start, End) in the source.
type Node struct {
	Kind       Kind
	Start, End int
	// Text is the decoded content of a String, the literal of a Number, "true" or
	// "false" for a Bool, "null" for Null and the source text of an Opaque value.
	Text string
	// Members of an Object, in source order; duplicates are kept (see Get).
	Members []Member
	// Elems of an Array.
	Elems []*Node

	unclosed bool // an Object or Array that runs to the end of the file
}

// Member is one key/value pair of an object.
type Member struct {
	Key string
	// KeyStart and KeyEnd span the key token including its quotes.
	KeyStart, KeyEnd int
	// Value is nil when the document is incomplete ("key": with nothing after it).
	Value *Node
}

// OpaqueValue is what Value returns for an Opaque node: a value known only at
// synth time, such as the CDK expression table.table_name in a stage_config
// literal. Source is the expression's source text.
type OpaqueValue struct{ Source string }

// TokenPrefix and TokenSuffix delimit a CDK token string ("${Token[TOKEN.12]}").
const TokenPrefix, TokenSuffix = "${Token[", "]}"

// Token is the one spelling of a value only known at synth time wherever it must
// become plain JSON (the config.json the packager writes, the effective-config
// preview, cache keys): CDK's own token-string form with the expression inside,
// "${Token[table.table_name]}". A real CDK token reaches config.json in that form
// too (cdk-chalice writes "${Token[TOKEN.12]}"), so ContainsToken recognises
// both and the validator treats them alike.
func (o OpaqueValue) Token() string { return TokenPrefix + o.Source + TokenSuffix }

// ContainsToken reports whether s holds a CDK token string, whole or embedded
// ("arn:aws:iam::${Token[AWS.AccountId.2]}:role/x").
func ContainsToken(s string) bool {
	i := strings.Index(s, TokenPrefix)
	return i >= 0 && strings.Contains(s[i+len(TokenPrefix):], TokenSuffix)
}

// SynthTime reports a value known only at synth time: a CDK expression (an
// Opaque node) or a string holding a CDK token, as cdk-chalice writes into
// config.json and the packager writes for an expression (OpaqueValue.Token).
func (n *Node) SynthTime() bool {
	return n != nil && (n.Kind == Opaque || n.Kind == String && ContainsToken(n.Text))
}

// Plain returns a copy of v (a value as Node.Value returns it) in which every
// OpaqueValue is replaced by its Token, so the result is made of JSON values only.
// Maps and slices are copied; v is not modified.
func Plain(v any) any {
	switch x := v.(type) {
	case OpaqueValue:
		return x.Token()
	case *OpaqueValue:
		if x == nil {
			return nil
		}
		return x.Token()
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Plain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	}
	return v
}

// SyntaxError is a JSON syntax problem at the byte span [Start, End).
type SyntaxError struct {
	Start, End int
	Msg        string
	// InvalidUTF8 marks the error for bytes that are not UTF-8 (reported once, at
	// the first such byte), so callers can tell an encoding problem from bad JSON.
	InvalidUTF8 bool
}

// Error returns the message, so a SyntaxError can be returned as an error.
func (e SyntaxError) Error() string { return e.Msg }

// MaxDepth bounds nesting. Python's json.loads fails near 1,000 levels (recursion
// limit); deeper documents get one clear error instead of a stack overflow.
const MaxDepth = 1000

// Parse parses src. The tree is nil only when src holds no value at all. Errors are
// in source order; when there are none the tree is exactly what json.loads would read.
func Parse(src []byte) (*Node, []SyntaxError) {
	p := &parser{src: src}
	if !utf8.Valid(src) {
		off := firstInvalidUTF8(src)
		p.errorf(off, off+1, "the file is not valid UTF-8 (byte 0x%02x); save it as UTF-8", src[off])
		p.errs[0].InvalidUTF8 = true
	}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		p.errorf(0, 3, "the file starts with a UTF-8 byte order mark, which Python's json.loads rejects; save it without a BOM")
		p.pos = 3
	}
	p.skipSpace()
	if p.pos >= len(src) {
		p.errorf(len(src), len(src), "the document is empty; expected a JSON value")
		return nil, p.errs
	}
	root := p.value(0)
	// With no value read, the rest is not "after the end of the JSON value": the
	// error at its start already says the file is not JSON.
	if !p.fatal && root != nil {
		p.skipSpace()
		if p.pos < len(src) {
			p.errorf(p.pos, p.tokenEnd(p.pos), "unexpected %s after the end of the JSON value", p.describe(p.pos))
		}
	}
	return root, p.errs
}

type parser struct {
	src   []byte
	pos   int
	errs  []SyntaxError
	fatal bool // nesting limit hit: unwind without further parsing

	// Allocation helpers: a 1 MB config has ~100k values, and allocating each node,
	// member slice and key separately dominated parsing time.
	slab    []Node            // nodes are carved from chunks
	members []Member          // members of the objects being parsed (a stack)
	elems   []*Node           // elements of the arrays being parsed (a stack)
	interns map[string]string // keys and short strings repeat: one copy each
}

// node returns a new node carved from the current chunk.
func (p *parser) node(kind Kind, start, end int, text string) *Node {
	if len(p.slab) == 0 {
		p.slab = make([]Node, 256)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Start, n.End, n.Text = kind, start, end, text
	return n
}

// intern returns b as a string, sharing one copy between equal short strings.
func (p *parser) intern(b []byte) string {
	if len(b) > 64 {
		return string(b)
	}
	if s, ok := p.interns[string(b)]; ok { // no allocation for the lookup
		return s
	}
	if p.interns == nil {
		p.interns = make(map[string]string, 64)
	}
	s := string(b)
	p.interns[s] = s
	return s
}

func (p *parser) errorf(start, end int, format string, args ...any) {
	if end < start {
		end = start
	}
	// One error per spot is enough; recovery can revisit the same offset.
	if n := len(p.errs); n > 0 && p.errs[n-1].Start == start {
		return
	}
	p.errs = append(p.errs, SyntaxError{Start: start, End: end, Msg: fmt.Sprintf(format, args...)})
}

// skipSpace skips JSON whitespace, and also comments, reporting each one: they are a
// common mistake in config.json and Chalice rejects them.
func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; c {
		case ' ', '\t', '\n', '\r':
			p.pos++
		case '/':
			start := p.pos
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '/' {
				for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
					p.pos++
				}
			} else if p.pos+1 < len(p.src) && p.src[p.pos+1] == '*' {
				end := strings.Index(string(p.src[p.pos+2:]), "*/")
				if end < 0 {
					p.pos = len(p.src)
				} else {
					p.pos += 2 + end + 2
				}
			} else {
				return
			}
			p.errorf(start, p.pos, "comments are not allowed in JSON (Chalice reads config.json with Python's json.loads); remove it")
		default:
			return
		}
	}
}

func (p *parser) value(depth int) *Node {
	if depth >= MaxDepth {
		p.errorf(p.pos, p.pos+1, "the JSON is nested more than %d levels deep; Python's json.loads cannot read it", MaxDepth)
		p.fatal = true
		return nil
	}
	if p.pos >= len(p.src) {
		p.errorf(p.pos, p.pos, "unexpected end of file; expected a value")
		return nil
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		start := p.pos
		end := p.tokenEnd(start)
		word := string(p.src[start:end])
		switch word {
		case "true", "false":
			p.pos = end
			return p.node(Bool, start, end, word)
		case "null":
			p.pos = end
			return p.node(Null, start, end, word)
		case "True", "False", "None":
			p.errorf(start, end, "%s is Python, not JSON; use %s", word, map[string]string{"True": "true", "False": "false", "None": "null"}[word])
		case "NaN", "Infinity":
			p.errorf(start, end, "%s is not valid JSON; use a number or a string", word)
		default:
			if c == '\'' {
				p.errorf(start, p.quoteEnd(start, '\''), "strings must use double quotes in JSON")
				p.pos = p.quoteEnd(start, '\'')
				return nil
			}
			p.errorf(start, max(end, start+1), "expected a value, found %s", p.describe(start))
			// Step over the junk so the caller always makes progress; closers and
			// commas are left for the enclosing container to handle.
			if end > start {
				p.pos = end
			} else if c != '}' && c != ']' && c != ',' && c != ':' {
				_, size := utf8.DecodeRune(p.src[start:])
				p.pos = start + size
			}
			return nil
		}
		p.pos = end
		return nil
	}
}

func (p *parser) object(depth int) *Node {
	n := p.node(Object, p.pos, 0, "")
	base := len(p.members)
	p.objectMembers(n, depth)
	if k := len(p.members) - base; k > 0 {
		n.Members = make([]Member, k)
		copy(n.Members, p.members[base:])
		p.members = p.members[:base]
	}
	return n
}

// objectMembers parses the members of object n onto p.members.
func (p *parser) objectMembers(n *Node, depth int) {
	p.pos++ // {
	for {
		p.skipSpace()
		if p.fatal {
			n.End = p.pos
			return
		}
		if p.pos >= len(p.src) {
			p.errorf(n.Start, n.Start+1, "this object is never closed; add a '}'")
			n.End, n.unclosed = p.pos, true
			return
		}
		c := p.src[p.pos]
		if c == '}' {
			p.pos++
			n.End = p.pos
			return
		}
		if c == ']' {
			p.errorf(p.pos, p.pos+1, "expected '}' to close the object, found ']'")
			n.End, n.unclosed = p.pos, true
			return
		}
		if c == ',' {
			p.errorf(p.pos, p.pos+1, "unexpected ','; expected a key in double quotes")
			p.pos++
			continue
		}
		var m Member
		m.KeyStart = p.pos
		switch {
		case c == '"':
			m.Key, m.KeyEnd = p.strText()
		case isWordByte(c) || c == '\'':
			// An unquoted or single-quoted key: keep it, so completion and recovery
			// still see what the user meant.
			end := p.tokenEnd(p.pos)
			if c == '\'' {
				end = p.quoteEnd(p.pos, '\'')
				m.Key = strings.Trim(string(p.src[p.pos:end]), "'")
			} else {
				m.Key = string(p.src[p.pos:end])
			}
			p.errorf(p.pos, end, "object keys must be strings in double quotes")
			p.pos, m.KeyEnd = end, end
		default:
			p.errorf(p.pos, p.pos+1, "expected a key in double quotes or '}', found %s", p.describe(p.pos))
			p.syncTo(true)
			continue
		}
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ':' {
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && (p.src[p.pos] == ',' || p.src[p.pos] == '}') {
				p.errorf(p.pos, p.pos+1, "missing value for key %q", m.Key)
			} else {
				m.Value = p.value(depth + 1)
			}
		} else {
			p.errorf(m.KeyStart, m.KeyEnd, "missing ':' after key %q", m.Key)
		}
		p.members = append(p.members, m)
		if p.fatal {
			n.End = p.pos
			return
		}
		if m.Value == nil {
			p.syncTo(true)
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			continue // reported as never closed
		}
		switch p.src[p.pos] {
		case ',':
			comma := p.pos
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && p.src[p.pos] == '}' {
				p.errorf(comma, comma+1, "trailing comma before '}' is not allowed in JSON; remove it")
			}
		case '}':
		case '"':
			p.errorf(p.pos, p.pos+1, "missing ',' between object members")
		default:
			p.errorf(p.pos, p.tokenEnd(p.pos), "expected ',' or '}', found %s", p.describe(p.pos))
			p.syncTo(true)
			if p.pos < len(p.src) && p.src[p.pos] == ',' {
				p.pos++
			}
		}
	}
}

func (p *parser) array(depth int) *Node {
	n := p.node(Array, p.pos, 0, "")
	base := len(p.elems)
	p.arrayElems(n, depth)
	if k := len(p.elems) - base; k > 0 {
		n.Elems = make([]*Node, k)
		copy(n.Elems, p.elems[base:])
		clear(p.elems[base:])
		p.elems = p.elems[:base]
	}
	return n
}

// arrayElems parses the elements of array n onto p.elems.
func (p *parser) arrayElems(n *Node, depth int) {
	p.pos++ // [
	for {
		p.skipSpace()
		if p.fatal {
			n.End = p.pos
			return
		}
		if p.pos >= len(p.src) {
			p.errorf(n.Start, n.Start+1, "this array is never closed; add a ']'")
			n.End, n.unclosed = p.pos, true
			return
		}
		if p.src[p.pos] == ']' {
			p.pos++
			n.End = p.pos
			return
		}
		if p.src[p.pos] == '}' {
			// Mismatched closer: end the array here and let the enclosing object
			// take the '}'.
			p.errorf(p.pos, p.pos+1, "expected ']' to close the array opened here, found '}'")
			n.End, n.unclosed = p.pos, true
			return
		}
		if p.src[p.pos] == ',' {
			p.errorf(p.pos, p.pos+1, "unexpected ','; expected a value")
			p.pos++
			continue
		}
		v := p.value(depth + 1)
		if p.fatal {
			if v != nil {
				p.elems = append(p.elems, v)
			}
			n.End = p.pos
			return
		}
		if v == nil {
			p.syncTo(false)
		} else {
			p.elems = append(p.elems, v)
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			continue
		}
		switch p.src[p.pos] {
		case ',':
			comma := p.pos
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && p.src[p.pos] == ']' {
				p.errorf(comma, comma+1, "trailing comma before ']' is not allowed in JSON; remove it")
			}
		case ']':
		default:
			p.errorf(p.pos, p.tokenEnd(p.pos), "expected ',' or ']', found %s", p.describe(p.pos))
			p.syncTo(false)
			if p.pos < len(p.src) && p.src[p.pos] == ',' {
				p.pos++
			}
		}
	}
}

// syncTo skips to the next ',' or closing bracket of the current container, stepping
// over nested brackets and strings, without reporting anything.
func (p *parser) syncTo(inObject bool) {
	depth := 0
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '"':
			p.pos = p.quoteEnd(p.pos, '"')
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
		case ',':
			if depth == 0 {
				return
			}
		case '\n':
			// A member of an object usually ends at a line break; stopping there
			// keeps one typo from swallowing the rest of the document.
			if depth == 0 && inObject {
				q := p.pos + 1
				for q < len(p.src) && (p.src[q] == ' ' || p.src[q] == '\t' || p.src[q] == '\r' || p.src[q] == '\n') {
					q++
				}
				if q < len(p.src) && p.src[q] == '"' {
					p.pos = q
					return
				}
			}
		}
		p.pos++
	}
}

// str parses a double-quoted string at p.pos.
func (p *parser) str() *Node {
	start := p.pos
	text, end := p.strText()
	return p.node(String, start, end, text)
}

// strText parses a double-quoted string at p.pos and returns its decoded text and
// end offset.
func (p *parser) strText() (string, int) {
	start := p.pos
	i := start + 1
	simple := true
	for i < len(p.src) {
		c := p.src[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			simple = false
			i += 2
			continue
		}
		if c == '\n' || c == '\r' {
			// Unterminated: stop at the line end so the rest still parses.
			p.errorf(start, i, "unterminated string; add a closing '\"'")
			p.pos = i
			return p.decode(start+1, i), i
		}
		if c < 0x20 {
			p.errorf(i, i+1, "control character (0x%02x) inside a string; escape it (for example \\t or \\u%04x)", c, c)
		}
		i++
	}
	if i >= len(p.src) {
		p.errorf(start, len(p.src), "unterminated string; add a closing '\"'")
		p.pos = len(p.src)
		return p.decode(start+1, len(p.src)), len(p.src)
	}
	end := i + 1
	p.pos = end
	if simple {
		return p.intern(p.src[start+1 : i]), end
	}
	return p.decode(start+1, i), end
}

// decode unescapes the body of a string, reporting bad escapes.
func (p *parser) decode(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		c := p.src[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= to {
			p.errorf(i, to, "incomplete escape sequence")
			break
		}
		i++
		switch p.src[i] {
		case '"', '\\', '/':
			b.WriteByte(p.src[i])
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
		case 'u':
			r, n := p.hex4(i+1, to)
			if n < 4 {
				p.errorf(i-1, i+1+n, "invalid \\u escape; expected four hex digits")
				i += n
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) && i+6 < to+1 && i+2 < to && p.src[i+1] == '\\' && p.src[i+2] == 'u' {
				if r2, n2 := p.hex4(i+3, to); n2 == 4 {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					}
				}
			}
			b.WriteRune(r)
		default:
			p.errorf(i-1, i+1, "invalid escape '\\%c' in string", p.src[i])
		}
	}
	return b.String()
}

func (p *parser) hex4(i, to int) (rune, int) {
	var r rune
	n := 0
	for ; n < 4 && i+n < to; n++ {
		c := p.src[i+n]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return r, n
		}
		r = r<<4 | rune(v)
	}
	return r, n
}

// number parses a JSON number per RFC 8259.
func (p *parser) number() *Node {
	start := p.pos
	i := start
	if p.src[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(p.src) && p.src[i] >= '0' && p.src[i] <= '9' {
			i++
		}
		return i - j
	}
	bad := false
	if i < len(p.src) && p.src[i] == '0' {
		i++
		if i < len(p.src) && p.src[i] >= '0' && p.src[i] <= '9' {
			bad = true // leading zeros
			digits()
		}
	} else if digits() == 0 {
		bad = true
	}
	if i < len(p.src) && p.src[i] == '.' {
		i++
		if digits() == 0 {
			bad = true
		}
	}
	if i < len(p.src) && (p.src[i] == 'e' || p.src[i] == 'E') {
		i++
		if i < len(p.src) && (p.src[i] == '+' || p.src[i] == '-') {
			i++
		}
		if digits() == 0 {
			bad = true
		}
	}
	end := p.tokenEnd(i)
	if end > i {
		bad = true
	}
	p.pos = end
	if bad {
		p.errorf(start, end, "%q is not a valid JSON number", string(p.src[start:end]))
		return nil
	}
	return p.node(Number, start, end, p.intern(p.src[start:end]))
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c == '.' || c == '+' || c == '-' || (c >= '0' && c <= '9') ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

// tokenEnd returns the end of a bare word starting at i (at least i).
func (p *parser) tokenEnd(i int) int {
	for i < len(p.src) && isWordByte(p.src[i]) {
		i++
	}
	return i
}

// quoteEnd returns the offset after the closing quote q of a string starting at i
// (or the end of the line/file when it is unterminated).
func (p *parser) quoteEnd(i int, q byte) int {
	for j := i + 1; j < len(p.src); j++ {
		switch p.src[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n', '\r':
			return j
		}
	}
	return len(p.src)
}

// describe names what is at offset i, for error messages.
func (p *parser) describe(i int) string {
	if i >= len(p.src) {
		return "end of file"
	}
	if end := p.tokenEnd(i); end > i {
		w := string(p.src[i:end])
		if len(w) > 20 {
			w = w[:20] + "…"
		}
		return strconv.Quote(w)
	}
	r, _ := utf8.DecodeRune(p.src[i:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.src[i])
	}
	if !unicode.IsPrint(r) {
		// Pasted raw, a control character is invisible in the message or garbles
		// the terminal; its code point says what to look for.
		return fmt.Sprintf("the control character %U", r)
	}
	return "'" + string(r) + "'"
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// Get returns the value of the last member named key (Python's json.loads keeps the
// last duplicate), or nil. It is nil-safe and returns nil for non-objects.
func (n *Node) Get(key string) *Node {
	if m := n.Member(key); m != nil {
		return m.Value
	}
	return nil
}

// Member returns the last member named key, or nil.
func (n *Node) Member(key string) *Member {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return &n.Members[i]
		}
	}
	return nil
}

// Lookup follows an RFC 6901 JSON pointer ("" is n itself, "/stages/dev").
// It returns nil when any step is missing.
func (n *Node) Lookup(ptr string) *Node {
	if ptr == "" {
		return n
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	cur := n
	for _, tok := range strings.Split(ptr[1:], "/") {
		if cur == nil {
			return nil
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch cur.Kind {
		case Object:
			cur = cur.Get(tok)
		case Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur.Elems) || (len(tok) > 1 && tok[0] == '0') {
				return nil
			}
			cur = cur.Elems[i]
		default:
			return nil
		}
	}
	return cur
}

// Pointer builds an RFC 6901 pointer from keys.
func Pointer(keys ...string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// Value converts the tree to plain Go values: map[string]any (last duplicate wins),
// []any, json.Number, string, bool, nil and OpaqueValue. Missing member values
// (incomplete documents) are left out.
func (n *Node) Value() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Bool:
		return n.Text == "true"
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, 0, len(n.Elems))
		for _, e := range n.Elems {
			out = append(out, e.Value())
		}
		return out
	case Object:
		out := make(map[string]any, len(n.Members))
		for _, m := range n.Members {
			if m.Value != nil {
				out[m.Key] = m.Value.Value()
			}
		}
		return out
	case Opaque:
		return OpaqueValue{Source: n.Text}
	}
	return nil
}

// Contains reports whether offset lies in [Start, End] (the end is included so a
// cursor just after a token still belongs to it).
func (n *Node) Contains(offset int) bool {
	return n != nil && offset >= n.Start && offset <= n.End
}
