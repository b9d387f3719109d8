package jsonfeatures

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// SymbolKind is what a symbol's value is.
type SymbolKind int

// The kinds of symbols, by the JSON type of the member's value. KeyOnly is a key
// typed without a value yet (a half-typed document).
const (
	ObjectSymbol SymbolKind = iota
	ArraySymbol
	StringSymbol
	NumberSymbol
	BooleanSymbol
	NullSymbol
	KeyOnly
)

// Symbol is one member of an object (or element of an array) in the outline.
type Symbol struct {
	Name   string
	Detail string
	Kind   SymbolKind
	// Start, End span the whole member (key and value); SelStart, SelEnd the key
	// (the element itself for array elements).
	Start, End       int
	SelStart, SelEnd int
	Children         []Symbol
	// Container is the dotted path of the enclosing members ("stages.dev"), for
	// clients that take a flat list.
	Container string
}

// DefaultSymbolLimit is how many symbols an outline holds at most, as VS Code's
// json.maxItemsComputed (5000): a 1 MB config has ~100k members, and an outline of
// all of them is megabytes of JSON that no one reads. The limit is applied breadth
// first, so the top levels (stages, functions) are always complete.
const DefaultSymbolLimit = 5000

// Symbols returns the outline of a config.json: one symbol per member, nested like
// the document, breadth-first up to limit symbols (<= 0: no limit). truncated is
// true when the limit cut symbols off. Members whose key has no value yet are
// listed (kind KeyOnly), so a half-typed key is in the outline while it is typed.
//
// Detail shows a scalar's value (as VS Code does), "{}" or "[]" for an empty
// container, the number of items of an array, and says which objects are stages
// (stages.<name>) and Lambda functions (lambda_functions.<name>).
func Symbols(root *jsonpos.Node, limit int) (syms []Symbol, truncated bool) {
	if root == nil {
		return nil, false
	}
	if limit <= 0 {
		limit = int(^uint(0) >> 1)
	}
	type visit struct {
		node   *jsonpos.Node
		out    *[]Symbol
		path   string
		parent string // key of the member holding node ("" for the root)
	}
	queue := []visit{{node: root, out: &syms}}
	for i := 0; i < len(queue); i++ {
		v := queue[i]
		n := v.node
		switch n.Kind {
		case jsonpos.Object:
			if len(n.Members) == 0 {
				continue
			}
			*v.out = make([]Symbol, 0, min(len(n.Members), limit))
			for _, m := range n.Members {
				if limit == 0 {
					truncated = true
					break
				}
				limit--
				s := Symbol{Name: keyLabel(m.Key), SelStart: m.KeyStart, SelEnd: m.KeyEnd, Start: m.KeyStart, End: m.KeyEnd, Container: v.path}
				if m.Value == nil {
					s.Kind, s.Detail = KeyOnly, "no value yet"
				} else {
					s.End = m.Value.End
					s.Kind = kindOf(m.Value)
					s.Detail = detailOf(m.Value, v.parent)
				}
				*v.out = append(*v.out, s)
			}
			out := *v.out
			for j := range out {
				if m := n.Members[j]; m.Value != nil && hasChildren(m.Value) {
					queue = append(queue, visit{node: m.Value, out: &out[j].Children, path: join(v.path, m.Key), parent: m.Key})
				}
			}
		case jsonpos.Array:
			if len(n.Elems) == 0 {
				continue
			}
			*v.out = make([]Symbol, 0, min(len(n.Elems), limit))
			for j, e := range n.Elems {
				if limit == 0 {
					truncated = true
					break
				}
				limit--
				*v.out = append(*v.out, Symbol{Name: strconv.Itoa(j), Kind: kindOf(e), Detail: detailOf(e, ""),
					Start: e.Start, End: e.End, SelStart: e.Start, SelEnd: e.End, Container: v.path})
			}
			out := *v.out
			for j := range out {
				if e := n.Elems[j]; hasChildren(e) {
					queue = append(queue, visit{node: e, out: &out[j].Children, path: join(v.path, strconv.Itoa(j))})
				}
			}
		}
	}
	return syms, truncated
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func hasChildren(n *jsonpos.Node) bool {
	return n != nil && (len(n.Members) > 0 || len(n.Elems) > 0)
}

// keyLabel is VS Code's getKeyLabel: line breaks shown as ↵, a blank key quoted so
// the outline never shows an empty name.
func keyLabel(k string) string {
	k = strings.ReplaceAll(k, "\n", "↵")
	if strings.TrimSpace(k) == "" {
		return `"` + k + `"`
	}
	return k
}

func kindOf(n *jsonpos.Node) SymbolKind {
	switch n.Kind {
	case jsonpos.Object:
		return ObjectSymbol
	case jsonpos.Array:
		return ArraySymbol
	case jsonpos.String:
		return StringSymbol
	case jsonpos.Number:
		return NumberSymbol
	case jsonpos.Bool:
		return BooleanSymbol
	}
	return NullSymbol
}

// maxDetail bounds a string value shown as detail: an outline line, not the value.
const maxDetail = 60

func detailOf(n *jsonpos.Node, parentKey string) string {
	switch n.Kind {
	case jsonpos.Object:
		kind := ""
		switch parentKey {
		case "stages":
			kind = "stage"
		case "lambda_functions":
			kind = "Lambda function"
		}
		if len(n.Members) == 0 {
			return strings.TrimSpace(kind + " {}")
		}
		return kind
	case jsonpos.Array:
		switch len(n.Elems) {
		case 0:
			return "[]"
		case 1:
			return "1 item"
		}
		return strconv.Itoa(len(n.Elems)) + " items"
	case jsonpos.String:
		return truncate(n.Text)
	}
	return n.Text
}

func truncate(s string) string {
	s = strings.ReplaceAll(s, "\n", "↵")
	if utf8.RuneCountInString(s) <= maxDetail {
		return s
	}
	r := []rune(s)
	return string(r[:maxDetail-1]) + "…"
}
