// Package pysyntax parses Python source with tree-sitter and copies the syntax
// tree into plain Go values, so analysers (app.py handlers, CDK stacks) walk it
// without a cgo call per node visit and never have to free anything.
//
// tree-sitter recovers from errors: half-typed code still yields a tree, with
// ERROR nodes around the parts it could not place and zero-width MISSING
// nodes for tokens it inserted (a closing parenthesis or quote). All offsets
// are byte offsets into the parsed source.
package pysyntax

import (
	"fmt"
	"strings"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// Node is one node of a Python syntax tree and its byte span [Start, End).
type Node struct {
	// Kind is the tree-sitter node type ("call", "identifier", "(", "ERROR", ...).
	Kind string
	// Field is the field name under which the parent holds this node
	// ("function", "arguments", "name", ...), or "".
	Field      string
	Start, End int
	// Named is false for anonymous tokens such as "(" or ",".
	Named bool
	// Missing marks a zero-width token tree-sitter inserted to recover from
	// an error (e.g. the ")" of an unfinished call).
	Missing  bool
	Parent   *Node
	Children []*Node
}

// Tree is a parsed Python file.
type Tree struct {
	Src  []byte
	Root *Node
	// Refused says why the source was not parsed (Parse's limits), "" otherwise.
	Refused string
}

// MaxNesting is the deepest bracket nesting Parse accepts. CPython itself refuses
// more than 200 nested parentheses ("too many nested parentheses"), so deeper
// source cannot be a working app.py; parsing it would cost tree-sitter and the
// node tree memory in proportion to the depth for every byte (a 2 MB nested file
// cost about 1 GiB).
const MaxNesting = 200

// nestingDepth returns the deepest bracket nesting of Python source, skipping
// comments and string literals (approximately: enough to bound the parser).
func nestingDepth(src []byte) int {
	depth, max := 0, 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case '\'', '"':
			triple := i+2 < len(src) && src[i+1] == c && src[i+2] == c
			if triple {
				i += 3
				for i+2 < len(src) && !(src[i] == c && src[i+1] == c && src[i+2] == c) {
					if src[i] == '\\' {
						i++
					}
					i++
				}
				i += 2
				continue
			}
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '(', '[', '{':
			depth++
			if depth > max {
				max = depth
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return max
}

var (
	lang     = sitter.NewLanguage(python.Language())
	kindOnce sync.Once
	kinds    []string
	fields   []string
	// parsers is a small free list of C parsers. Not a sync.Pool: the pool
	// drops idle items at GC, which would leak the C memory behind them.
	parsers = make(chan cParser, 4)
)

func getParser() cParser {
	select {
	case p := <-parsers:
		return p
	default:
	}
	p := newCParser()
	if p == nil {
		// The grammar is compiled in; a version mismatch is a build bug.
		panic("pysyntax: tree-sitter rejected the compiled-in Python grammar (ABI mismatch)")
	}
	return p
}

func putParser(p cParser) {
	select {
	case parsers <- p:
	default:
		deleteCParser(p)
	}
}

func loadNames() {
	n := lang.NodeKindCount()
	kinds = make([]string, n)
	for i := uint32(0); i < n; i++ {
		kinds[i] = lang.NodeKindForId(uint16(i))
	}
	f := lang.FieldCount()
	fields = make([]string, f+1)
	for i := uint32(1); i <= f; i++ {
		fields[i] = lang.FieldNameForId(uint16(i))
	}
}

// Parse parses src. It never fails: syntax errors become ERROR and MISSING
// nodes (see Errors).
func Parse(src []byte) *Tree {
	if d := nestingDepth(src); d > MaxNesting {
		return &Tree{Src: src, Root: &Node{Kind: "module", Named: true, End: len(src)},
			Refused: fmt.Sprintf("brackets are nested %d deep; Python allows %d (\"too many nested parentheses\"), so this file was not analysed", d, MaxNesting)}
	}
	kindOnce.Do(loadNames)
	p := getParser()
	root := parseFlat(p, src)
	putParser(p)
	if root == nil {
		// Out of memory in C; report an empty module rather than crash.
		root = &Node{Kind: "module", Named: true, End: len(src)}
	}
	return &Tree{Src: src, Root: root}
}

// Text returns the source text of n.
func (t *Tree) Text(n *Node) string {
	if n == nil || n.Start < 0 || n.End > len(t.Src) || n.Start > n.End {
		return ""
	}
	return string(t.Src[n.Start:n.End])
}

// ChildByField returns the first child held under field, or nil.
func (n *Node) ChildByField(field string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Field == field {
			return c
		}
	}
	return nil
}

// ChildrenByField returns all children held under field.
func (n *Node) ChildrenByField(field string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Field == field {
			out = append(out, c)
		}
	}
	return out
}

// NamedChildren returns the named children (no punctuation tokens); comments
// are left out too.
func (n *Node) NamedChildren() []*Node {
	if n == nil {
		return nil
	}
	out := make([]*Node, 0, len(n.Children))
	for _, c := range n.Children {
		if c.Named && c.Kind != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// Walk visits n and its descendants in source order, iteratively. When visit
// returns false the node's children are skipped.
func Walk(n *Node, visit func(*Node) bool) {
	if n == nil {
		return
	}
	stack := []*Node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(cur) {
			continue
		}
		for i := len(cur.Children) - 1; i >= 0; i-- {
			stack = append(stack, cur.Children[i])
		}
	}
}

// Innermost returns the deepest node whose span contains offset (an end
// offset counts as inside, so the cursor right after a token finds it);
// later siblings win ties so "foo(|)" finds the ")" side.
func (t *Tree) Innermost(offset int) *Node {
	n := t.Root
	if n == nil || offset < n.Start || offset > n.End {
		return nil
	}
	for {
		var next *Node
		for _, c := range n.Children {
			if offset >= c.Start && offset <= c.End {
				next = c
				if offset < c.End {
					break
				}
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
}

// Errors lists the syntax errors tree-sitter recovered from, as diagnostics
// with code "python-syntax". An ERROR node is reported on its first line only
// so a single stray token does not underline the rest of the file.
func (t *Tree) Errors() []diag.Diagnostic {
	var out []diag.Diagnostic
	if t.Refused != "" {
		out = append(out, diag.Diagnostic{Severity: diag.Error, Code: "python-syntax", Message: "Python syntax error: " + t.Refused})
	}
	Walk(t.Root, func(n *Node) bool {
		switch {
		case n.Missing:
			tok := n.Kind
			out = append(out, diag.Diagnostic{
				Start: n.Start, End: n.End, Severity: diag.Error, Code: "python-syntax",
				Message: fmt.Sprintf("Python syntax error: missing %q", tok),
			})
			return false
		case n.Kind == "ERROR":
			end := n.End
			if i := strings.IndexByte(string(t.Src[n.Start:n.End]), '\n'); i >= 0 {
				end = n.Start + i
			}
			if end == n.Start && n.End > n.Start {
				end = n.Start + 1
			}
			snippet := string(t.Src[n.Start:end])
			if len(snippet) > 40 {
				snippet = snippet[:40] + "…"
			}
			out = append(out, diag.Diagnostic{
				Start: n.Start, End: end, Severity: diag.Error, Code: "python-syntax",
				Message: fmt.Sprintf("Python syntax error near %q; handlers in this part of the file may be missed until it is fixed", snippet),
			})
			// Keep looking inside for MISSING tokens? They add noise; one
			// error per region is enough.
			return false
		}
		return true
	})
	return out
}

// ParseFrom parses src[start:] on its own and returns the tree with offsets
// shifted into src, so Text and String keep working on the whole file. Used
// to resynchronise after an error tree-sitter could not contain (an
// unclosed bracket swallows the rest of the file).
func ParseFrom(src []byte, start int) *Tree {
	if start < 0 || start > len(src) {
		start = len(src)
	}
	t := Parse(src[start:])
	Walk(t.Root, func(n *Node) bool {
		n.Start += start
		n.End += start
		return true
	})
	t.Src = src
	return t
}

// ErrorSpans returns the spans of the outermost ERROR nodes.
func (t *Tree) ErrorSpans() [][2]int {
	var out [][2]int
	Walk(t.Root, func(n *Node) bool {
		if n.Kind == "ERROR" {
			out = append(out, [2]int{n.Start, n.End})
			return false
		}
		return true
	})
	return out
}

// Args are the arguments of one call, split the way Python binds them.
type Args struct {
	// Positional holds the positional arguments in order.
	Positional []*Node
	// Keyword maps each keyword argument's name to its value.
	Keyword map[string]*Node
}

// CallArgs splits the argument_list of a call (nil: no arguments). *args, **kwargs
// and ERROR nodes are left out: what they bind cannot be read from the source.
func (t *Tree) CallArgs(list *Node) Args {
	a := Args{Keyword: map[string]*Node{}}
	for _, c := range list.NamedChildren() {
		switch c.Kind {
		case "keyword_argument":
			if k, v := c.ChildByField("name"), c.ChildByField("value"); k != nil && v != nil {
				a.Keyword[t.Text(k)] = v
			}
		case "list_splat", "dictionary_splat", "ERROR":
		default:
			a.Positional = append(a.Positional, c)
		}
	}
	return a
}

// Get returns the argument bound to parameter kw at position i: the keyword argument
// kw if given, else positional argument i, else nil. i < 0 means keyword-only.
func (a Args) Get(i int, kw string) *Node {
	if v, ok := a.Keyword[kw]; ok {
		return v
	}
	if i >= 0 && i < len(a.Positional) {
		return a.Positional[i]
	}
	return nil
}
