package appmodel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel/pysyntax"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// target is an object whose registrations are collected: the app, or one
// registration of a blueprint (with its prefixes).
type target struct {
	id                         string
	prefix, urlPrefix, modName string
	bpVar                      string
	isBlueprint                bool
}

// placed is a handler with the offset that orders it within its file.
type placed struct {
	file string
	at   int
	hs   []Handler
}

// collector gathers the handlers of one app across the project's modules.
type collector struct {
	l   *loader
	a   *App
	app target
	// fallback is the app.py name decorated as the app when the app object
	// itself cannot be resolved (matched by name in app.py only).
	fallback string
	out      []placed
	// visited guards helper functions against recursion.
	visited map[*pysyntax.Node]bool
}

// notFollowed are callables that receive the app without registering
// anything on it.
var notFollowed = map[string]bool{
	"print": true, "isinstance": true, "repr": true, "str": true, "id": true, "type": true,
	"hasattr": true, "getattr": true, "vars": true, "dir": true, "len": true, "bool": true,
}

func (c *collector) unknown(why string) {
	if c.a.HandlersUnknown == "" {
		c.a.HandlersUnknown = why
	}
}

// reach lists the project modules Python imports when it imports app.py
// (module-level imports, transitively, parents first), app.py first.
func (l *loader) reach(from ...*module) []*module {
	var out []*module
	seen := map[*module]bool{}
	var visit func(m *module)
	visit = func(m *module) {
		if m == nil || seen[m] {
			return
		}
		seen[m] = true
		out = append(out, m)
		for _, imp := range m.imported {
			parts := strings.Split(imp, ".")
			for k := 1; k <= len(parts); k++ {
				visit(l.module(strings.Join(parts[:k], ".")))
			}
		}
	}
	for _, m := range from {
		visit(m)
	}
	return out
}

// isTarget reports whether expression n (in module m) is the target object.
func (c *collector) isTarget(m *module, n *pysyntax.Node, t target) bool {
	if n == nil || (n.Kind != "identifier" && n.Kind != "attribute") {
		return false
	}
	if !t.isBlueprint && c.fallback != "" {
		return m.name == "app" && n.Kind == "identifier" && m.text(n) == c.fallback
	}
	o := c.l.expr(m, n, 0)
	return o.kind != objUnknown && o.id == t.id
}

// scanModule collects the registrations on t at module level of m.
func (c *collector) scanModule(m *module, t target) {
	isT := func(n *pysyntax.Node) bool { return c.isTarget(m, n, t) }
	c.scan(m, m.decorators, m.callNodes, isT, t, 0)
	if !t.isBlueprint {
		c.helperDecorators(m, t)
	}
}

// scanFunc collects the registrations on t inside a function that runs
// with the target bound to the local names in bound (a factory, or a helper
// the app is passed to).
func (c *collector) scanFunc(m *module, fn *pysyntax.Node, bound map[string]bool, t target, depth int) {
	if c.visited[fn] {
		return
	}
	c.visited[fn] = true
	var decos []decorator
	var calls []*pysyntax.Node
	inScope(fn.ChildByField("body"), func(n *pysyntax.Node) {
		switch n.Kind {
		case "decorator":
			if d, ok := m.parseDecorator(n); ok {
				decos = append(decos, d)
			}
		case "call":
			calls = append(calls, n)
		}
	})
	isT := func(n *pysyntax.Node) bool {
		if n != nil && n.Kind == "identifier" && bound[m.text(n)] {
			return true
		}
		return c.isTarget(m, n, t)
	}
	c.scan(m, decos, calls, isT, t, depth)
}

func (c *collector) add(m *module, at int, hs ...Handler) {
	if len(hs) > 0 {
		c.out = append(c.out, placed{m.path, at, hs})
	}
}

// scan turns decorators and calls on the target into handlers, follows
// blueprint registrations and helpers that receive the app.
func (c *collector) scan(m *module, decos []decorator, calls []*pysyntax.Node, isT func(*pysyntax.Node) bool, t target, depth int) {
	for _, d := range decos {
		if !isT(d.objNode) {
			continue
		}
		if h, ok := c.l.handler(m, d, t.prefix, t.urlPrefix, t.modName, t.bpVar); ok {
			c.add(m, d.node.Start, h)
		}
	}
	for _, call := range calls {
		fn := call.ChildByField("function")
		if fn == nil {
			continue
		}
		// <target>.<decorator>(...)(view): registration without "@".
		if fn.Kind == "call" {
			inner := fn.ChildByField("function")
			if inner != nil && inner.Kind == "attribute" && !afterAt(m, call) && isT(inner.ChildByField("object")) {
				if h, ok := c.chained(m, call, fn, inner, t); ok {
					c.add(m, call.Start, h)
				}
			}
			continue
		}
		if fn.Kind == "attribute" && isT(fn.ChildByField("object")) {
			if t.isBlueprint {
				continue
			}
			switch m.text(fn.ChildByField("attribute")) {
			case "register_blueprint":
				bp, hs := c.blueprint(m, call)
				c.a.Blueprints = append(c.a.Blueprints, bp)
				c.add(m, call.Start, hs...)
			}
			continue
		}
		if fn.Kind == "attribute" && m.text(fn.ChildByField("attribute")) != "" {
			if o := fn.ChildByField("object"); o != nil && o.Kind == "attribute" && isT(o.ChildByField("object")) &&
				m.text(o.ChildByField("attribute")) == "experimental_feature_flags" && !t.isBlueprint {
				c.a.FeatureFlags = append(c.a.FeatureFlags, flagStrings(m, call)...)
				continue
			}
		}
		if !t.isBlueprint {
			c.helper(m, call, isT, t, depth)
		}
	}
}

// chained reads `<target>.<method>(args)(view)`.
func (c *collector) chained(m *module, outer, innerCall, attr *pysyntax.Node, t target) (Handler, bool) {
	method := m.text(attr.ChildByField("attribute"))
	if _, ok := decorators[method]; !ok {
		return Handler{}, false
	}
	args := m.tree.CallArgs(outer.ChildByField("arguments"))
	if len(args.Positional) == 0 {
		return Handler{}, false
	}
	view := args.Positional[0]
	name := view
	if view.Kind == "attribute" {
		name = view.ChildByField("attribute")
	}
	if name == nil || name.Kind != "identifier" {
		if method != "route" {
			c.unknown(fmt.Sprintf("%s registers a handler whose function the editor cannot name (%s)", m.rel(c.l.dir), m.text(view)))
		}
		return Handler{}, false
	}
	d := decorator{obj: m.text(attr.ChildByField("object")), objNode: attr.ChildByField("object"), method: method,
		node: innerCall, args: innerCall.ChildByField("arguments"), funcName: m.text(name), nameStart: name.Start, nameEnd: name.End}
	return c.l.handler(m, d, t.prefix, t.urlPrefix, t.modName, t.bpVar)
}

// helper follows a call that passes the app to a function of the project
// (`register_routes(app)`); a function the editor cannot read makes the
// handler set unknown.
func (c *collector) helper(m *module, call *pysyntax.Node, isT func(*pysyntax.Node) bool, t target, depth int) {
	args := m.tree.CallArgs(call.ChildByField("arguments"))
	pos, kw := -1, ""
	for i, a := range args.Positional {
		if isT(a) {
			pos = i
		}
	}
	for k, a := range args.Keyword {
		if isT(a) {
			kw = k
		}
	}
	if pos < 0 && kw == "" {
		return
	}
	callee := call.ChildByField("function")
	name := m.text(callee)
	if notFollowed[name] {
		return
	}
	fm, def := c.l.funcDef(m, callee, 0)
	if def == nil || depth >= maxDepth {
		c.unknown(fmt.Sprintf("%s passes the app to %s(), which is not a function of this project, so it may register handlers the editor cannot see",
			m.rel(c.l.dir), name))
		return
	}
	param := paramName(fm, def, pos, kw)
	if param == "" {
		c.unknown(fmt.Sprintf("%s passes the app to %s(), whose parameters the editor cannot match", m.rel(c.l.dir), name))
		return
	}
	c.scanFunc(fm, def, map[string]bool{param: true}, t, depth+1)
}

// paramName returns the parameter of def bound to positional argument pos
// (or keyword kw).
func paramName(m *module, def *pysyntax.Node, pos int, kw string) string {
	var names []string
	for _, p := range def.ChildByField("parameters").NamedChildren() {
		n := p
		if p.Kind == "default_parameter" || p.Kind == "typed_parameter" || p.Kind == "typed_default_parameter" {
			n = p.ChildByField("name")
			if n == nil && len(p.NamedChildren()) > 0 {
				n = p.NamedChildren()[0]
			}
		}
		if n == nil || n.Kind != "identifier" {
			if p.Kind == "list_splat_pattern" || p.Kind == "dictionary_splat_pattern" {
				return ""
			}
			continue
		}
		names = append(names, m.text(n))
	}
	if kw != "" {
		for _, n := range names {
			if n == kw {
				return n
			}
		}
		return ""
	}
	if pos < len(names) {
		return names[pos]
	}
	return ""
}

// blueprint resolves a register_blueprint call and returns the blueprint's
// handlers with the prefixes applied, from every module that decorates it.
func (c *collector) blueprint(app *module, call *pysyntax.Node) (Blueprint, []Handler) {
	l := c.l
	a := app.tree.CallArgs(call.ChildByField("arguments"))
	bp := Blueprint{CallStart: call.Start, CallEnd: call.End}
	if v := a.Get(1, "name_prefix"); v != nil {
		if lit, ok := app.tree.String(v); ok {
			bp.NamePrefix = lit.Value
		}
	}
	if v := a.Get(2, "url_prefix"); v != nil {
		if lit, ok := app.tree.String(v); ok {
			bp.URLPrefix = lit.Value
		}
	}
	arg := a.Get(0, "blueprint")
	if arg == nil {
		return bp, nil
	}
	bp.Expr = app.text(arg)
	o := l.expr(app, arg, 0)
	if o.kind != objBlueprint {
		l.errs[app.path] = append(l.errs[app.path], diag.Diagnostic{
			Start: arg.Start, End: arg.End, Severity: diag.Warning, Code: "blueprint-unresolved",
			Message: fmt.Sprintf("cannot find the Blueprint %q in this project; its handlers are not known to the editor (expected `%s = Blueprint(__name__)` in a module under %s)", bp.Expr, bp.Expr, l.dir),
		})
		c.unknown(fmt.Sprintf("%s registers the blueprint %s, which the editor cannot find in this project", app.rel(l.dir), bp.Expr))
		return bp, nil
	}
	bp.Var, bp.File, bp.ImportName = o.id[len(o.mod.name)+1:], o.mod.path, o.imp
	t := target{id: o.id, prefix: bp.NamePrefix, urlPrefix: bp.URLPrefix, modName: o.imp, bpVar: bp.Var, isBlueprint: true}
	sub := &collector{l: l, a: c.a, app: t, visited: map[*pysyntax.Node]bool{}}
	for _, m := range l.reach(l.modules["app"], o.mod) {
		sub.scanModule(m, t)
	}
	var hs []Handler
	for _, p := range sub.sorted() {
		hs = append(hs, p.hs...)
	}
	return bp, hs
}

// sorted orders the placed handlers: by file in first-seen order, then by
// offset within the file.
func (c *collector) sorted() []placed {
	rank := map[string]int{}
	for _, p := range c.out {
		if _, ok := rank[p.file]; !ok {
			rank[p.file] = len(rank)
		}
	}
	out := append([]placed(nil), c.out...)
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].file] != rank[out[j].file] {
			return rank[out[i].file] < rank[out[j].file]
		}
		return out[i].at < out[j].at
	})
	return out
}

// afterAt reports a call that follows "@": a decorator tree-sitter misread
// as a call inside an error region (`@app.f()` + `def g(e, c)` as
// `app.f()(e, c)`).
func afterAt(m *module, n *pysyntax.Node) bool {
	for i := n.Start - 1; i >= 0; i-- {
		switch m.tree.Src[i] {
		case ' ', '\t':
			continue
		case '@':
			return true
		}
		return false
	}
	return false
}

// helperDecorators reads `@route('/x')` where route is a function of the
// project that returns a Chalice decorator of the target
// (`return app.route(path, methods=['POST'])`).
func (c *collector) helperDecorators(m *module, t target) {
	for _, n := range m.helperDecos {
		var call *pysyntax.Node
		for _, ch := range n.NamedChildren() {
			call = ch
		}
		fm, def := c.l.funcDef(m, call.ChildByField("function"), 0)
		if def == nil {
			continue
		}
		var ret *pysyntax.Node
		inScope(def.ChildByField("body"), func(x *pysyntax.Node) {
			if x.Kind == "return_statement" {
				for _, v := range x.NamedChildren() {
					if v.Kind == "call" {
						ret = v
					}
				}
			}
		})
		if ret == nil {
			continue
		}
		attr := ret.ChildByField("function")
		if attr == nil || attr.Kind != "attribute" || !c.isTarget(fm, attr.ChildByField("object"), t) {
			continue
		}
		method := fm.text(attr.ChildByField("attribute"))
		if _, ok := decorators[method]; !ok {
			continue
		}
		d := decorator{obj: fm.text(attr.ChildByField("object")), objNode: attr.ChildByField("object"), method: method, node: n}
		if fm == m {
			d.args = ret.ChildByField("arguments") // the literal arguments of the helper's call
		}
		if id := decoratedFuncName(n); id != nil {
			d.funcName, d.nameStart, d.nameEnd = m.text(id), id.Start, id.End
		}
		if h, ok := c.l.handler(m, d, t.prefix, t.urlPrefix, t.modName, t.bpVar); ok {
			if h.NameUnresolved && h.Kind != KindRoute {
				c.unknown(fmt.Sprintf("%s registers %s through %s(), whose name= the editor cannot evaluate", m.rel(c.l.dir), h.PyFunc, fm.text(def.ChildByField("name"))))
				continue
			}
			c.add(m, n.Start, h)
		}
	}
}

// unattributed looks, in the modules Python imports with app.py, for handler
// decorators on names the loader cannot resolve (`app = store.get('app')`):
// they may register handlers on the app, so the handler set is unknown; those
// on a name "app" are taken as the app's (a likely guess, for completion).
func (c *collector) unattributed(mods []*module) {
	for _, m := range mods {
		for _, d := range m.decorators {
			if _, ok := decorators[d.method]; !ok || d.objNode.Kind != "identifier" {
				continue
			}
			if m.name == "app" && (d.obj == c.a.AppVar || c.fallback != "") {
				continue
			}
			if _, isBP := m.blueprints[d.obj]; isBP {
				continue
			}
			if o := c.l.expr(m, d.objNode, 0); o.kind != objUnknown {
				continue
			}
			c.unknown(fmt.Sprintf("%s registers handlers on %s, which the editor cannot trace to the app object", m.rel(c.l.dir), d.obj))
			if d.obj == "app" {
				if h, ok := c.l.handler(m, d, "", "", "app", ""); ok {
					c.add(m, d.node.Start, h)
				}
			}
		}
	}
}
