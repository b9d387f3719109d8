package appmodel

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel/pysyntax"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// module is the syntax-level summary of one Python file.
type module struct {
	path string // absolute file path
	name string // dotted module name ("app", "chalicelib.views")
	pkg  string // package for relative imports ("" at top level)
	tree *pysyntax.Tree
	// imports maps a local name to the dotted thing it is bound to:
	// `from chalice import Chalice as C` gives C -> chalice.Chalice,
	// `import chalicelib.views` gives chalicelib -> chalicelib.
	imports map[string]string
	// consts are module-level NAME = "literal" assignments.
	consts map[string]string
	// apps are variables bound to Chalice(...) calls.
	apps map[string]*appDef
	// blueprints are variables bound to Blueprint(...) calls.
	blueprints map[string]string // var -> import name
	decorators []decorator
	tooMany    int    // decorators past MaxHandlers, not analysed
	limitNote  string // says so, for the module's diagnostics
	registers  []register
	flags      []flagCall
	// assigns holds the right-hand side of the last module-level
	// `NAME = expr` for every name (the loader decides what it builds).
	assigns map[string]*pysyntax.Node
	// funcs and classes are module-level def and class statements by name.
	funcs   map[string]*pysyntax.Node
	classes map[string]*pysyntax.Node
	// calls are module-level calls, for helper registrations
	// (`app.route('/')(view)`, `register_views(app)`).
	callNodes []*pysyntax.Node
	// helperDecos are `@name(...)` decorators: a helper that may return a
	// Chalice decorator (`def route(path): return app.route(path, ...)`).
	helperDecos []*pysyntax.Node
	// imported lists the dotted names of every module-level import, as
	// written (`import a.b` gives "a.b"; `from a import b` gives "a" and
	// "a.b", since b may be a submodule).
	imported []string
}

type appDef struct {
	file               string // where the app_name literal is ("" when not a literal)
	name               string
	nameStart, nameEnd int
	start              int
}

type decorator struct {
	obj, method        string
	objNode            *pysyntax.Node
	node, args         *pysyntax.Node
	funcName           string
	nameStart, nameEnd int
}

type register struct {
	obj  string
	call *pysyntax.Node
}

type flagCall struct {
	obj  string
	call *pysyntax.Node
}

// scanModule parses src and collects what appmodel needs from module level.
func scanModule(path, name, pkg string, src []byte) *module {
	m := &module{
		path: path, name: name, pkg: pkg,
		tree:       pysyntax.Parse(src),
		imports:    map[string]string{},
		consts:     map[string]string{},
		apps:       map[string]*appDef{},
		blueprints: map[string]string{},
		assigns:    map[string]*pysyntax.Node{},
		funcs:      map[string]*pysyntax.Node{},
		classes:    map[string]*pysyntax.Node{},
	}
	// Pass 1: imports, constants and Chalice/Blueprint objects, so that
	// pass 2 can recognise `@<var>.<decorator>` wherever it appears.
	moduleLevel(m.tree.Root, func(n *pysyntax.Node) {
		switch n.Kind {
		case "import_statement":
			m.addImport(n)
		case "import_from_statement":
			m.addFromImport(n)
		case "assignment":
			m.addAssignment(n)
		case "function_definition", "class_definition":
			if name := n.ChildByField("name"); name != nil && !inClass(n) {
				if n.Kind == "class_definition" {
					m.classes[m.text(name)] = n
				} else {
					m.funcs[m.text(name)] = n
				}
			}
		}
	})
	pass2 := func(n *pysyntax.Node) {
		switch n.Kind {
		case "decorator":
			m.addDecorator(n)
		case "call":
			m.addCall(n)
		}
	}
	moduleLevel(m.tree.Root, pass2)
	m.resync(pass2)
	if m.tooMany > 0 {
		m.limitNote = fmt.Sprintf("%s has more than %d Chalice decorators; the %d after the first %d are not analysed (a CloudFormation template holds at most 500 resources)",
			filepath.Base(path), MaxHandlers, m.tooMany, MaxHandlers)
	}
	return m
}

// maxResync bounds the re-parses after syntax errors.
const maxResync = 8

// resync recovers handlers after a syntax error that tree-sitter could not
// contain: an unclosed bracket makes the rest of the file one ERROR region,
// so `@app.lambda_function()` further down is read as a matrix
// multiplication. Python statements at module level start in column 0, so
// each column-0 "@" line inside an error region that did not yield a
// decorator is a place to parse again from; decorators found in that
// re-parse are added (offsets stay those of the whole file).
func (m *module) resync(visit func(*pysyntax.Node)) {
	src := m.tree.Src
	spans := m.tree.ErrorSpans()
	if len(spans) == 0 {
		return
	}
	covered := func(off int) bool {
		for _, d := range m.decorators {
			if d.node.Start <= off && off < d.node.End {
				return true
			}
		}
		return false
	}
	inError := func(off int, spans [][2]int) bool {
		for _, s := range spans {
			if s[0] <= off && off < s[1] {
				return true
			}
		}
		return false
	}
	parses := 0
	for off := 0; off < len(src) && parses < maxResync; {
		if src[off] == '@' && inError(off, spans) && !covered(off) {
			sub := pysyntax.ParseFrom(src, off)
			parses++
			moduleLevel(sub.Root, func(n *pysyntax.Node) {
				if n.Kind == "decorator" && covered(n.Start) {
					return
				}
				visit(n)
			})
			spans = append(spans, sub.ErrorSpans()...)
		}
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
}

// moduleLevel visits the nodes that run at import time: it does not enter
// function bodies (decorators and default values of a def do run) and
// does enter class bodies, if/try/with blocks and ERROR regions.
func moduleLevel(root *pysyntax.Node, visit func(*pysyntax.Node)) {
	pysyntax.Walk(root, func(n *pysyntax.Node) bool {
		if n.Kind == "block" && n.Parent != nil && (n.Parent.Kind == "function_definition" || n.Parent.Kind == "lambda") {
			return false
		}
		visit(n)
		return true
	})
}

func (m *module) text(n *pysyntax.Node) string { return m.tree.Text(n) }

func (m *module) addImport(n *pysyntax.Node) {
	for _, c := range n.ChildrenByField("name") {
		switch c.Kind {
		case "dotted_name":
			full := dottedText(m, c)
			root := strings.SplitN(full, ".", 2)[0]
			m.imports[root] = root
			m.imported = append(m.imported, full)
		case "aliased_import":
			if alias := c.ChildByField("alias"); alias != nil {
				m.imports[m.text(alias)] = dottedText(m, c.ChildByField("name"))
				m.imported = append(m.imported, dottedText(m, c.ChildByField("name")))
			}
		}
	}
}

func (m *module) addFromImport(n *pysyntax.Node) {
	modNode := n.ChildByField("module_name")
	if modNode == nil {
		return
	}
	mod := ""
	switch modNode.Kind {
	case "dotted_name":
		mod = dottedText(m, modNode)
	case "relative_import":
		mod = m.resolveRelative(m.text(modNode))
	default:
		return
	}
	m.imported = append(m.imported, mod)
	for _, c := range n.ChildrenByField("name") {
		switch c.Kind {
		case "dotted_name":
			local := m.text(c)
			m.imports[local] = join(mod, local)
			m.imported = append(m.imported, join(mod, local))
		case "aliased_import":
			alias := c.ChildByField("alias")
			if alias != nil {
				m.imports[m.text(alias)] = join(mod, dottedText(m, c.ChildByField("name")))
				m.imported = append(m.imported, join(mod, dottedText(m, c.ChildByField("name"))))
			}
		}
	}
}

// resolveRelative turns ".views" or ".." into an absolute module name.
func (m *module) resolveRelative(rel string) string {
	rel = strings.Join(strings.Fields(rel), "")
	dots := len(rel) - len(strings.TrimLeft(rel, "."))
	base := strings.Split(m.pkg, ".")
	if m.pkg == "" {
		base = nil
	}
	up := dots - 1
	if up > len(base) {
		up = len(base)
	}
	base = base[:len(base)-up]
	return join(strings.Join(base, "."), rel[dots:])
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// dottedText returns a dotted_name without whitespace or comments.
func dottedText(m *module, n *pysyntax.Node) string {
	if n == nil {
		return ""
	}
	var parts []string
	for _, c := range n.Children {
		if c.Kind == "identifier" {
			parts = append(parts, m.text(c))
		}
	}
	if len(parts) == 0 {
		return m.text(n)
	}
	return strings.Join(parts, ".")
}

// qualified returns the dotted name an expression refers to, with its first
// part replaced through the imports ("c.Chalice" with `import chalice as c`
// gives "chalice.Chalice"). ok is false for anything but names and
// attribute chains.
func (m *module) qualified(n *pysyntax.Node) (q string, imported, ok bool) {
	var parts []string
	for n != nil && n.Kind == "attribute" {
		parts = append([]string{m.text(n.ChildByField("attribute"))}, parts...)
		n = n.ChildByField("object")
	}
	if n == nil || n.Kind != "identifier" {
		return "", false, false
	}
	root := m.text(n)
	if target, found := m.imports[root]; found {
		root, imported = target, true
	}
	return strings.Join(append([]string{root}, parts...), "."), imported, true
}

// calls reports whether call invokes chalice.<cls> (imported under any
// name, or bare after `from chalice import *`).
func (m *module) calls(call *pysyntax.Node, cls string) bool {
	if call == nil || call.Kind != "call" {
		return false
	}
	q, imported, ok := m.qualified(call.ChildByField("function"))
	if !ok {
		return false
	}
	if q == "chalice."+cls || q == "chalice.app."+cls {
		return true
	}
	return !imported && q == cls
}

func (m *module) addAssignment(n *pysyntax.Node) {
	left, right := n.ChildByField("left"), n.ChildByField("right")
	if left == nil || right == nil || left.Kind != "identifier" {
		return
	}
	name := m.text(left)
	m.assigns[name] = right
	if lit, ok := m.tree.String(right); ok && lit.Static {
		m.consts[name] = lit.Value
		return
	}
	switch {
	case m.calls(right, "Chalice"):
		def := &appDef{start: n.Start}
		args := m.tree.CallArgs(right.ChildByField("arguments"))
		if v := args.Get(0, "app_name"); v != nil {
			if lit, ok := m.tree.String(v); ok && lit.Static {
				def.name, def.nameStart, def.nameEnd = lit.Value, lit.ContentStart, lit.ContentEnd
			} else if v.Kind == "identifier" {
				def.name = m.consts[m.text(v)]
			}
		}
		m.apps[name] = def
	case m.calls(right, "Blueprint"):
		args := m.tree.CallArgs(right.ChildByField("arguments"))
		imp := m.name
		if v := args.Get(0, "import_name"); v != nil {
			if lit, ok := m.tree.String(v); ok && lit.Static {
				imp = lit.Value
			}
		}
		m.blueprints[name] = imp
	}
}

func (m *module) addDecorator(n *pysyntax.Node) {
	if d, ok := m.parseDecorator(n); ok {
		if len(m.decorators) >= MaxHandlers {
			m.tooMany++
			return
		}
		m.decorators = append(m.decorators, d)
		return
	}
	// @route('/x'): a call of a helper that may return app.route(...).
	var call *pysyntax.Node
	for _, c := range n.NamedChildren() {
		call = c
	}
	if call != nil && call.Kind == "call" {
		if fn := call.ChildByField("function"); fn != nil && fn.Kind == "identifier" {
			for _, o := range m.helperDecos {
				if o.Start == n.Start {
					return
				}
			}
			m.helperDecos = append(m.helperDecos, n)
		}
	}
}

// parseDecorator reads `@<obj>.<method>(...)` above a def.
func (m *module) parseDecorator(n *pysyntax.Node) (decorator, bool) {
	var call *pysyntax.Node
	for _, c := range n.NamedChildren() {
		call = c
	}
	if call == nil || call.Kind != "call" {
		return decorator{}, false
	}
	fn := call.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" {
		return decorator{}, false
	}
	obj := fn.ChildByField("object")
	if obj == nil || (obj.Kind != "identifier" && obj.Kind != "attribute") {
		return decorator{}, false
	}
	d := decorator{
		obj:     m.text(obj),
		objNode: obj,
		method:  m.text(fn.ChildByField("attribute")),
		node:    n,
		args:    call.ChildByField("arguments"),
	}
	if id := decoratedFuncName(n); id != nil {
		d.funcName, d.nameStart, d.nameEnd = m.text(id), id.Start, id.End
	}
	return d, true
}

// MaxHandlers bounds the decorators analysed per module. A CloudFormation template
// holds at most 500 resources, so a real app has far fewer handlers; the bound
// keeps a hostile app.py with hundreds of thousands of them from making every
// request that needs the app slow.
const MaxHandlers = 10000

// decoratedFuncName finds the name of the function a decorator applies to,
// also when tree-sitter had to wrap half-typed code in an ERROR node.
func decoratedFuncName(deco *pysyntax.Node) *pysyntax.Node {
	p := deco.Parent
	if p == nil {
		return nil
	}
	if p.Kind == "decorated_definition" {
		def := p.ChildByField("definition")
		if def == nil || def.Kind != "function_definition" {
			return nil
		}
		return def.ChildByField("name")
	}
	// Inside an ERROR region: look at the following siblings for `def name`.
	idx := -1
	for i, c := range p.Children {
		if c == deco {
			idx = i
		}
	}
	for i := idx + 1; i >= 1 && i < len(p.Children); i++ {
		c := p.Children[i]
		switch c.Kind {
		case "decorator", "comment":
			continue
		case "function_definition":
			return c.ChildByField("name")
		case "def":
			if i+1 < len(p.Children) && p.Children[i+1].Kind == "identifier" {
				return p.Children[i+1]
			}
		}
		return nil
	}
	return nil
}

func (m *module) addCall(n *pysyntax.Node) {
	fn := n.ChildByField("function")
	if fn == nil {
		return
	}
	if fn.Kind != "attribute" {
		for _, c := range m.callNodes {
			if c.Start == n.Start {
				return
			}
		}
		m.callNodes = append(m.callNodes, n)
		return
	}
	obj := fn.ChildByField("object")
	attr := m.text(fn.ChildByField("attribute"))
	for _, r := range m.registers {
		if r.call.Start == n.Start {
			return // already seen (resync re-parses part of the file)
		}
	}
	for _, c := range m.callNodes {
		if c.Start == n.Start {
			return
		}
	}
	m.callNodes = append(m.callNodes, n)
	for _, f := range m.flags {
		if f.call.Start == n.Start {
			return
		}
	}
	switch {
	case attr == "register_blueprint" && obj != nil && obj.Kind == "identifier":
		m.registers = append(m.registers, register{obj: m.text(obj), call: n})
	case (attr == "update" || attr == "add") && obj != nil && obj.Kind == "attribute" &&
		m.text(obj.ChildByField("attribute")) == "experimental_feature_flags":
		if o := obj.ChildByField("object"); o != nil && o.Kind == "identifier" {
			m.flags = append(m.flags, flagCall{obj: m.text(o), call: n})
		}
	}
}

// errors returns the module's syntax errors and the note when it hit a limit.
func (m *module) errors() []diag.Diagnostic {
	errs := m.tree.Errors()
	if m.limitNote != "" {
		errs = append(errs, diag.Diagnostic{Severity: diag.Warning, Code: "analysis-limit", Message: m.limitNote})
	}
	return errs
}

// inClass reports a definition nested in a class body (a method).
func inClass(n *pysyntax.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Kind == "class_definition" {
			return true
		}
	}
	return false
}
