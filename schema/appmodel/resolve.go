package appmodel

import (
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel/pysyntax"
)

// Real projects often build the Chalice object somewhere else than
// `app = Chalice(...)` in app.py: a factory in chalicelib (`app = setup_app()`),
// an object imported from another module (`from chalicelib.registry import
// app`), a subclass (`app = MyChalice(...)`), routes registered by helpers
// (`app.route('/')(view)` inside `register(app)`), blueprints whose views live
// in the modules their package imports. This file follows those shapes by
// giving every Chalice and Blueprint object an identity (the module and name
// that create it) and resolving each name to it through the imports, the way
// Python binds them. Chalice itself only ever uses the module attribute
// `app.app` (chalice/cli/factory.py load_chalice_app).

// maxDepth bounds every chain the loader follows (imports, aliases, helper
// calls, subclasses), so cyclic or pathological code cannot loop.
const maxDepth = 6

// objKind says what an expression evaluates to, as far as the loader knows.
type objKind int

const (
	objUnknown objKind = iota
	objChalice
	objBlueprint
)

// object is what a name or expression resolves to.
type object struct {
	kind objKind
	// id identifies the object: "<module>:<name>" where it is created at
	// module level, "<module>:<func>():<name>" inside a factory function.
	id  string
	def *appDef // Chalice: the app_name argument
	// mod is the module that creates the object; for a factory, fn is the
	// factory's def and local the name the object has inside it.
	mod   *module
	fn    *pysyntax.Node
	local string
	// imp is a Blueprint's import name.
	imp string
	// why says why an objUnknown cannot be known ("" when it is simply not
	// a Chalice object, such as a string or a library call).
	why string
}

// nameOf resolves a module-level name of m.
func (l *loader) nameOf(m *module, name string, depth int) object {
	if depth > maxDepth {
		return object{why: fmt.Sprintf("%q is bound through more than %d aliases", name, maxDepth)}
	}
	if target, ok := m.imports[name]; ok {
		return l.dotted(target, depth+1)
	}
	rhs, ok := m.assigns[name]
	if !ok {
		if _, isBP := m.blueprints[name]; isBP {
			return object{kind: objBlueprint, id: m.name + ":" + name, mod: m, imp: m.blueprints[name]}
		}
		return object{}
	}
	return l.built(m, name, rhs, depth)
}

// built resolves `name = rhs` at module level of m.
func (l *loader) built(m *module, name string, rhs *pysyntax.Node, depth int) object {
	switch rhs.Kind {
	case "identifier", "attribute":
		return l.expr(m, rhs, depth+1)
	case "call":
		callee := rhs.ChildByField("function")
		switch {
		case l.isClass(m, callee, "Chalice", depth+1):
			return object{kind: objChalice, id: m.name + ":" + name, mod: m, def: chaliceDef(m, rhs)}
		case l.isClass(m, callee, "Blueprint", depth+1):
			return object{kind: objBlueprint, id: m.name + ":" + name, mod: m, imp: m.blueprints[name]}
		}
		fm, fn := l.funcDef(m, callee, depth+1)
		if fn == nil {
			return object{why: fmt.Sprintf("%s is built by %s(), which is not a function of this project", name, m.text(callee))}
		}
		// A function that returns what it is given (`store.mutation('app',
		// Chalice(...))` with `def mutation(key, value): ...; return value`).
		if arg := passedThrough(fm, fn, m, rhs); arg != nil && arg.Kind == "call" && l.isClass(m, arg.ChildByField("function"), "Chalice", depth+1) {
			return object{kind: objChalice, id: m.name + ":" + name, mod: m, def: chaliceDef(m, arg)}
		}
		return l.factory(fm, fn, depth+1)
	}
	return object{}
}

// expr resolves a name or attribute chain in module m.
func (l *loader) expr(m *module, n *pysyntax.Node, depth int) object {
	q, imported, ok := m.qualified(n)
	if !ok {
		return object{}
	}
	if !imported {
		if !strings.Contains(q, ".") {
			return l.nameOf(m, q, depth+1)
		}
		return object{}
	}
	return l.dotted(q, depth+1)
}

// dotted resolves an absolute dotted name ("chalicelib.registry.app").
func (l *loader) dotted(q string, depth int) object {
	if depth > maxDepth {
		return object{why: fmt.Sprintf("%s is bound through more than %d imports", q, maxDepth)}
	}
	if q == "chalice.Chalice" || q == "chalice.Blueprint" || q == "chalice.app.Chalice" {
		return object{}
	}
	parts := strings.Split(q, ".")
	for k := len(parts) - 1; k >= 1; k-- {
		mod := l.module(strings.Join(parts[:k], "."))
		if mod == nil {
			continue
		}
		if rest := parts[k:]; len(rest) == 1 {
			return l.nameOf(mod, rest[0], depth+1)
		}
		return object{}
	}
	if l.module(q) != nil {
		return object{} // a module, not an object
	}
	if parts[0] == "chalice" {
		return object{}
	}
	return object{why: fmt.Sprintf("it comes from %s, which is not a file of this project", q)}
}

// chaliceDef reads the app_name argument of a Chalice(...) call.
func chaliceDef(m *module, call *pysyntax.Node) *appDef {
	def := &appDef{start: call.Start}
	args := m.tree.CallArgs(call.ChildByField("arguments"))
	if v := args.Get(0, "app_name"); v != nil {
		if lit, ok := m.tree.String(v); ok && lit.Static {
			def.name, def.nameStart, def.nameEnd = lit.Value, lit.ContentStart, lit.ContentEnd
			def.file = m.path
		} else if v.Kind == "identifier" {
			def.name = m.consts[m.text(v)]
		}
	}
	return def
}

// isClass reports whether callee is chalice.<cls> or a project class that
// derives from it (`class MyChalice(Chalice)`, in this module or imported).
func (l *loader) isClass(m *module, callee *pysyntax.Node, cls string, depth int) bool {
	if callee == nil || depth > maxDepth {
		return false
	}
	if m.calls1(callee, cls) {
		return true
	}
	cm, def := l.classDef(m, callee, depth+1)
	if def == nil {
		return false
	}
	sup := def.ChildByField("superclasses")
	for _, b := range sup.NamedChildren() {
		if b.Kind == "keyword_argument" {
			continue
		}
		if l.isClass(cm, b, cls, depth+1) {
			return true
		}
	}
	return false
}

// classDef and funcDef find the project definition a callee names.
func (l *loader) classDef(m *module, callee *pysyntax.Node, depth int) (*module, *pysyntax.Node) {
	return l.definition(m, callee, depth, func(m *module, name string) *pysyntax.Node { return m.classes[name] })
}

func (l *loader) funcDef(m *module, callee *pysyntax.Node, depth int) (*module, *pysyntax.Node) {
	return l.definition(m, callee, depth, func(m *module, name string) *pysyntax.Node { return m.funcs[name] })
}

func (l *loader) definition(m *module, callee *pysyntax.Node, depth int, find func(*module, string) *pysyntax.Node) (*module, *pysyntax.Node) {
	q, imported, ok := m.qualified(callee)
	if !ok || depth > maxDepth {
		return nil, nil
	}
	if !imported {
		if strings.Contains(q, ".") {
			return nil, nil
		}
		return m, find(m, q)
	}
	for d := 0; d <= maxDepth; d++ {
		parts := strings.Split(q, ".")
		var next string
		for k := len(parts) - 1; k >= 1; k-- {
			mod := l.module(strings.Join(parts[:k], "."))
			if mod == nil {
				continue
			}
			if len(parts[k:]) != 1 {
				return nil, nil
			}
			name := parts[k]
			if def := find(mod, name); def != nil {
				return mod, def
			}
			next = mod.imports[name]
			break
		}
		if next == "" {
			return nil, nil
		}
		q = next
	}
	return nil, nil
}

// calls1 is module.calls for any node (not only a call's function).
func (m *module) calls1(fn *pysyntax.Node, cls string) bool {
	q, imported, ok := m.qualified(fn)
	if !ok {
		return false
	}
	if q == "chalice."+cls || q == "chalice.app."+cls {
		return true
	}
	return !imported && q == cls && m.classes[cls] == nil
}

// factory resolves the object a project function returns: a Chalice object
// it creates (`app = Chalice(...); ...; return app`).
func (l *loader) factory(m *module, fn *pysyntax.Node, depth int) object {
	fname := m.text(fn.ChildByField("name"))
	var local string
	var def *appDef
	returns := map[string]bool{}
	body := fn.ChildByField("body")
	inScope(body, func(n *pysyntax.Node) {
		switch n.Kind {
		case "assignment":
			left, right := n.ChildByField("left"), n.ChildByField("right")
			if left != nil && right != nil && left.Kind == "identifier" && right.Kind == "call" &&
				l.isClass(m, right.ChildByField("function"), "Chalice", depth+1) {
				local, def = m.text(left), chaliceDef(m, right)
			}
		case "return_statement":
			for _, c := range n.NamedChildren() {
				if c.Kind == "identifier" {
					returns[m.text(c)] = true
				} else if c.Kind == "call" && l.isClass(m, c.ChildByField("function"), "Chalice", depth+1) {
					local, def = "", chaliceDef(m, c)
					returns[""] = true
				}
			}
		}
	})
	if def == nil || !returns[local] {
		return object{why: fmt.Sprintf("%s() in %s does not visibly create and return a Chalice object", fname, m.rel(l.dir))}
	}
	return object{kind: objChalice, id: m.name + ":" + fname + "():" + local, mod: m, fn: fn, local: local, def: def}
}

// inScope visits the nodes of a function body that run when the function
// runs: nested defs' decorators, not their bodies.
func inScope(body *pysyntax.Node, visit func(*pysyntax.Node)) {
	if body == nil {
		return
	}
	pysyntax.Walk(body, func(n *pysyntax.Node) bool {
		if n != body && n.Kind == "block" && n.Parent != nil && (n.Parent.Kind == "function_definition" || n.Parent.Kind == "lambda") {
			return false
		}
		visit(n)
		return true
	})
}

// rel is the module's path relative to the project directory.
func (m *module) rel(dir string) string {
	if m.path != dir && pathutil.Within(m.path, dir) {
		rel, _ := filepath.Rel(dir, m.path)
		return rel
	}
	return m.path
}

// passedThrough returns the argument of call (in module m) that fn returns
// unchanged (`return value` where value is a parameter), or nil.
func passedThrough(fm *module, fn *pysyntax.Node, m *module, call *pysyntax.Node) *pysyntax.Node {
	var ret string
	n := 0
	inScope(fn.ChildByField("body"), func(x *pysyntax.Node) {
		if x.Kind == "return_statement" {
			n++
			for _, v := range x.NamedChildren() {
				if v.Kind == "identifier" {
					ret = fm.text(v)
				}
			}
		}
	})
	if ret == "" || n != 1 {
		return nil
	}
	args := m.tree.CallArgs(call.ChildByField("arguments"))
	if v, ok := args.Keyword[ret]; ok {
		return v
	}
	for i, p := range fn.ChildByField("parameters").NamedChildren() {
		name := p
		if p.Kind != "identifier" {
			name = p.ChildByField("name")
			if name == nil && len(p.NamedChildren()) > 0 {
				name = p.NamedChildren()[0]
			}
		}
		if name != nil && fm.text(name) == ret {
			if i < len(args.Positional) {
				return args.Positional[i]
			}
			return nil
		}
	}
	return nil
}
