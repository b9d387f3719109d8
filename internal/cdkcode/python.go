package cdkcode

import (
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel/pysyntax"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// maxDepth bounds every recursive evaluation (deeply nested literals or
// self-referencing constants must not hang or overflow).
const maxDepth = 64

// maxSteps bounds the evaluation work per file: `a = a + a` style
// definitions would otherwise take exponential time.
const maxSteps = 10000

// pyIDMethods maps logical-ID methods to the wanted kind, the position and
// keyword name of the ID argument.
var pyIDMethods = map[string]struct {
	want IDKind
	arg  int
	kw   string
}{
	"get_resource":             {AnyResource, 0, "name"},
	"get_role":                 {Role, 0, "name"},
	"get_function":             {Function, 0, "name"},
	"add_environment_variable": {Function, 2, "function_name"},
}

type pyFile struct {
	// steps counts expression evaluations; see maxSteps.
	steps   int
	path    string
	tree    *pysyntax.Tree
	imports map[string]string // local name -> dotted target
	// partial is set while building a stage config when part of its final
	// value cannot be known (see mutate.go).
	partial bool
}

// AnalyzePython analyses a Python CDK file.
func AnalyzePython(path string, src []byte) *File {
	p := &pyFile{path: path, tree: pysyntax.Parse(src), imports: map[string]string{}}
	f := &File{Path: path, Lang: Python}
	var leaves []*pysyntax.Node
	pysyntax.Walk(p.tree.Root, func(n *pysyntax.Node) bool {
		switch n.Kind {
		case "import_statement", "import_from_statement":
			p.addImport(n)
		}
		if len(n.Children) == 0 && n.Kind != "comment" && !(n.Missing && n.End == n.Start && n.Kind != ")") {
			leaves = append(leaves, n)
		}
		return true
	})
	pysyntax.Walk(p.tree.Root, func(n *pysyntax.Node) bool {
		if n.Kind == "call" {
			if c, ok := p.construct(n); ok {
				f.Constructs = append(f.Constructs, c)
			}
		}
		return true
	})
	f.IDRefs = p.idRefs(leaves)
	return f
}

func (p *pyFile) text(n *pysyntax.Node) string { return p.tree.Text(n) }

func (p *pyFile) addImport(n *pysyntax.Node) {
	dotted := func(d *pysyntax.Node) string {
		var parts []string
		for _, c := range d.Children {
			if c.Kind == "identifier" {
				parts = append(parts, p.text(c))
			}
		}
		return strings.Join(parts, ".")
	}
	if n.Kind == "import_statement" {
		for _, c := range n.ChildrenByField("name") {
			switch c.Kind {
			case "dotted_name":
				root := strings.SplitN(dotted(c), ".", 2)[0]
				p.imports[root] = root
			case "aliased_import":
				if a := c.ChildByField("alias"); a != nil {
					p.imports[p.text(a)] = dotted(c.ChildByField("name"))
				}
			}
		}
		return
	}
	mod := n.ChildByField("module_name")
	if mod == nil || mod.Kind != "dotted_name" {
		return
	}
	base := dotted(mod)
	for _, c := range n.ChildrenByField("name") {
		switch c.Kind {
		case "dotted_name":
			p.imports[dotted(c)] = base + "." + dotted(c)
		case "aliased_import":
			if a := c.ChildByField("alias"); a != nil {
				p.imports[p.text(a)] = base + "." + dotted(c.ChildByField("name"))
			}
		}
	}
}

// qualified resolves a name or attribute chain through the imports.
func (p *pyFile) qualified(n *pysyntax.Node) string {
	var parts []string
	for n != nil && n.Kind == "attribute" {
		parts = append([]string{p.text(n.ChildByField("attribute"))}, parts...)
		n = n.ChildByField("object")
	}
	if n == nil || n.Kind != "identifier" {
		return ""
	}
	root, ok := p.imports[p.text(n)]
	if !ok {
		return ""
	}
	return strings.Join(append([]string{root}, parts...), ".")
}

func (p *pyFile) construct(call *pysyntax.Node) (Construct, bool) {
	var c Construct
	switch p.qualified(call.ChildByField("function")) {
	case "chalice.cdk.Chalice", "chalice.cdk.construct.Chalice":
		c.Flavour = Builtin
	case "cdk_chalice.Chalice":
		c.Flavour = CDKChalice
	default:
		return c, false
	}
	c.CallStart, c.CallEnd = call.Start, call.End
	if par := call.Parent; par != nil && par.Kind == "assignment" && par.ChildByField("right") == call {
		if l := par.ChildByField("left"); l != nil && (l.Kind == "identifier" || l.Kind == "attribute") {
			c.Var = p.text(l)
		}
	}
	a := p.tree.CallArgs(call.ChildByField("arguments"))
	if scope := a.Get(0, "scope"); scope != nil && p.text(scope) == "self" {
		// A construct in a stack class: the stack's id comes from where the CDK app
		// instantiates the class (StackIDs).
		for n := call.Parent; n != nil; n = n.Parent {
			if n.Kind == "class_definition" {
				if name := n.ChildByField("name"); name != nil {
					c.Stack.Factory = p.text(name)
				}
				break
			}
		}
	}
	stagePos := 3
	if c.Flavour == CDKChalice {
		stagePos = -1 // keyword-only in cdk_chalice
	}
	if sd := a.Get(2, "source_dir"); sd != nil {
		if c.Flavour == CDKChalice && a.Keyword["source_dir"] == nil {
			sd = nil
		}
		if sd != nil {
			c.SourceDirStart, c.SourceDirEnd = sd.Start, sd.End
			c.SourceDir, c.SourceDirResolved = p.evalPath(sd, call, 0)
		}
	}
	if sc := a.Get(stagePos, "stage_config"); sc != nil {
		c.StageConfigStart, c.StageConfigEnd = sc.Start, sc.End
		var aliases []alias
		p.partial = false
		if lit := p.traceLiteral(sc, call, 0, &aliases); lit != nil {
			c.StageConfig = p.toJSON(lit, 0)
			p.applyMutations(c.StageConfig, aliases)
		}
		c.StageConfigPartial = c.StageConfig == nil || p.partial
	}
	return c, true
}

// enclosingFunc returns the function definition containing n, or nil.
func enclosingFunc(n *pysyntax.Node) *pysyntax.Node {
	for n = n.Parent; n != nil; n = n.Parent {
		if n.Kind == "function_definition" {
			return n
		}
	}
	return nil
}

// assignedValue finds the value last assigned to name before offset `before`
// in scope (a function body) or at module level.
func (p *pyFile) assignedValue(name string, scope *pysyntax.Node, before int) *pysyntax.Node {
	var found *pysyntax.Node
	search := func(root *pysyntax.Node, limit int) {
		pysyntax.Walk(root, func(n *pysyntax.Node) bool {
			if n != root && (n.Kind == "function_definition" || n.Kind == "class_definition") && root.Kind == "module" {
				return false
			}
			if n != root && n.Kind == "function_definition" {
				return false
			}
			if n.Kind == "assignment" && n.Start < limit {
				l := n.ChildByField("left")
				if l != nil && p.text(l) == name {
					found = n.ChildByField("right")
				}
			}
			return true
		})
	}
	if scope != nil {
		search(scope, before)
		if found != nil {
			return found
		}
	}
	search(p.tree.Root, len(p.tree.Src)+1)
	return found
}

// evalPath evaluates a source_dir expression to a path string.
func (p *pyFile) evalPath(n *pysyntax.Node, at *pysyntax.Node, depth int) (string, bool) {
	p.steps++
	if n == nil || depth > maxDepth || p.steps > maxSteps {
		return "", false
	}
	if lit, ok := p.tree.String(n); ok {
		return lit.Value, lit.Static && lit.Terminated
	}
	switch n.Kind {
	case "parenthesized_expression":
		for _, c := range n.NamedChildren() {
			return p.evalPath(c, at, depth+1)
		}
	case "identifier":
		name := p.text(n)
		if name == "__file__" {
			abs, err := filepath.Abs(p.path)
			if err != nil {
				return "", false
			}
			return abs, true
		}
		if v := p.assignedValue(name, enclosingFunc(at), n.Start); v != nil {
			return p.evalPath(v, v, depth+1)
		}
	case "attribute":
		switch p.qualified(n) {
		case "os.pardir", "os.path.pardir":
			return "..", true
		case "os.curdir", "os.path.curdir":
			return ".", true
		case "os.sep", "os.path.sep":
			return "/", true
		}
	case "binary_operator":
		if op := n.ChildByField("operator"); op != nil && p.text(op) == "+" {
			l, ok1 := p.evalPath(n.ChildByField("left"), at, depth+1)
			r, ok2 := p.evalPath(n.ChildByField("right"), at, depth+1)
			return l + r, ok1 && ok2
		}
	case "call":
		fn := p.qualified(n.ChildByField("function"))
		a := p.tree.CallArgs(n.ChildByField("arguments"))
		var vals []string
		for _, arg := range a.Positional {
			v, ok := p.evalPath(arg, at, depth+1)
			if !ok {
				return "", false
			}
			vals = append(vals, v)
		}
		switch {
		case fn == "os.path.join" && len(vals) > 0:
			out := ""
			for _, v := range vals {
				if strings.HasPrefix(v, "/") || out == "" {
					out = v
				} else if strings.HasSuffix(out, "/") {
					out += v
				} else {
					out += "/" + v
				}
			}
			return out, true
		case fn == "os.path.dirname" && len(vals) == 1:
			v := vals[0]
			i := strings.LastIndexByte(v, '/')
			if i < 0 {
				return "", true
			}
			head := v[:i+1]
			if strings.Trim(head, "/") != "" {
				head = strings.TrimRight(head, "/")
			}
			return head, true
		case (fn == "os.path.abspath" || fn == "os.path.realpath") && len(vals) == 1:
			// Relative to where cdk runs, not to this process: a relative result
			// stays relative and Construct.Dir resolves it against the CDK app.
			return filepath.Clean(vals[0]), true
		case fn == "os.path.normpath" && len(vals) == 1:
			return filepath.Clean(vals[0]), true
		case fn == "str" && len(vals) == 1:
			return vals[0], true
		}
	}
	return "", false
}

// traceLiteral follows a stage_config argument to the dict literal that
// builds it: the literal itself, a variable assigned one, or a call of a
// function/method in this file that returns one (directly or via a local).
//
// aliases (may be nil) receives the variables the value flows through, for
// applyMutations.
func (p *pyFile) traceLiteral(n *pysyntax.Node, at *pysyntax.Node, depth int, aliases *[]alias) *pysyntax.Node {
	p.steps++
	if n == nil || depth > 8 || p.steps > maxSteps {
		return nil
	}
	switch n.Kind {
	case "dictionary":
		return n
	case "call":
		fn := n.ChildByField("function")
		if fn != nil && fn.Kind == "identifier" && p.text(fn) == "dict" {
			return n
		}
		name := ""
		if fn != nil && fn.Kind == "identifier" {
			name = p.text(fn)
		} else if fn != nil && fn.Kind == "attribute" {
			if o := fn.ChildByField("object"); o != nil && o.Kind == "identifier" && (p.text(o) == "self" || p.text(o) == "cls") {
				name = p.text(fn.ChildByField("attribute"))
			}
		}
		if name == "" {
			return nil
		}
		var def *pysyntax.Node
		pysyntax.Walk(p.tree.Root, func(d *pysyntax.Node) bool {
			if d.Kind == "function_definition" && p.text(d.ChildByField("name")) == name {
				def = d
			}
			return def == nil
		})
		if def == nil {
			return nil
		}
		var ret *pysyntax.Node
		pysyntax.Walk(def.ChildByField("body"), func(d *pysyntax.Node) bool {
			if d.Kind == "function_definition" || d.Kind == "class_definition" {
				return false
			}
			if d.Kind == "return_statement" {
				for _, c := range d.NamedChildren() {
					ret = c
				}
			}
			return true
		})
		if ret == nil {
			return nil
		}
		return p.traceLiteral(ret, ret, depth+1, aliases)
	case "identifier":
		scope := enclosingFunc(at)
		if v := p.assignedValue(p.text(n), scope, n.Start); v != nil {
			if aliases != nil {
				if vs := enclosingFunc(v); vs != scope {
					scope = vs // the module-level value of a name
				}
				*aliases = append(*aliases, alias{name: p.text(n), scope: scope, after: v.End, before: n.Start})
			}
			return p.traceLiteral(v, v, depth+1, aliases)
		}
	case "attribute":
		// self.stage_config = {...} anywhere in the file (typically in
		// __init__ or a setup method).
		want := p.text(n)
		var found *pysyntax.Node
		pysyntax.Walk(p.tree.Root, func(a *pysyntax.Node) bool {
			if a.Kind == "assignment" {
				if l := a.ChildByField("left"); l != nil && l.Kind == "attribute" && p.text(l) == want {
					found = a.ChildByField("right")
				}
			}
			return true
		})
		if found != nil {
			if aliases != nil {
				*aliases = append(*aliases, alias{name: want, after: found.End, before: len(p.tree.Src) + 1})
			}
			return p.traceLiteral(found, found, depth+1, aliases)
		}
	case "parenthesized_expression":
		for _, c := range n.NamedChildren() {
			return p.traceLiteral(c, at, depth+1, aliases)
		}
	}
	return nil
}

// toJSON converts a Python literal to a jsonpos tree (non-literals become
// Opaque nodes holding their source text).
func (p *pyFile) toJSON(n *pysyntax.Node, depth int) *jsonpos.Node {
	out := &jsonpos.Node{Start: n.Start, End: n.End}
	opaque := func() *jsonpos.Node {
		out.Kind, out.Text, out.Members, out.Elems = jsonpos.Opaque, p.text(n), nil, nil
		return out
	}
	if depth > maxDepth {
		return opaque()
	}
	if lit, ok := p.tree.String(n); ok {
		if !lit.Static {
			return opaque()
		}
		out.Kind, out.Text = jsonpos.String, lit.Value
		return out
	}
	switch n.Kind {
	case "dictionary":
		out.Kind = jsonpos.Object
		splatted := false
		for _, c := range n.Children {
			switch c.Kind {
			case "pair":
				k, v := c.ChildByField("key"), c.ChildByField("value")
				if k == nil {
					continue
				}
				m := jsonpos.Member{Key: p.text(k), KeyStart: k.Start, KeyEnd: k.End}
				if lit, ok := p.tree.String(k); ok {
					m.Key = lit.Value
				}
				if v != nil && !v.Missing {
					m.Value = p.toJSON(v, depth+1)
				}
				if splatted {
					remove(out, []string{m.Key}) // a key after **base overrides base's
				}
				out.Members = append(out.Members, m)
			case "dictionary_splat":
				// {**base, ...}: base's members, where the splat stands.
				splatted = true
				var inner *pysyntax.Node
				for _, e := range c.NamedChildren() {
					inner = e
				}
				lit := p.traceLiteral(inner, c, depth+1, nil)
				if lit == nil {
					p.partial = true
					continue
				}
				if base := p.toJSON(lit, depth+1); base.Kind == jsonpos.Object {
					for _, m := range base.Members {
						p.setMember(out, m.Key, m.KeyStart, m.KeyEnd, m.Value)
					}
				} else {
					p.partial = true
				}
			case "ERROR":
				// A key being typed: `{'a': 1, 'lam|}`.
				if m, ok := p.partialKey(c); ok {
					out.Members = append(out.Members, m)
				}
			}
		}
	case "set":
		// `{'lambda_ti|}` or `{'key': |}` while typing: tree-sitter reads a
		// set. A stage config never holds one, so read its strings as keys
		// without values (completion then knows it is on a key).
		out.Kind = jsonpos.Object
		for _, c := range n.Children {
			if c.Kind == "ERROR" {
				if m, ok := p.partialKey(c); ok {
					out.Members = append(out.Members, m)
				}
				continue
			}
			if lit, ok := p.tree.String(c); ok {
				out.Members = append(out.Members, jsonpos.Member{Key: lit.Value, KeyStart: c.Start, KeyEnd: c.End})
			} else if c.Named && c.Kind != "comment" {
				return opaque()
			}
		}
	case "call": // dict(key=value, ...); any other call is an expression
		if fn := n.ChildByField("function"); fn == nil || fn.Kind != "identifier" || p.text(fn) != "dict" {
			return opaque()
		}
		out.Kind = jsonpos.Object
		for _, c := range n.ChildByField("arguments").NamedChildren() {
			if c.Kind != "keyword_argument" {
				return opaque()
			}
			k, v := c.ChildByField("name"), c.ChildByField("value")
			if k == nil {
				continue
			}
			m := jsonpos.Member{Key: p.text(k), KeyStart: k.Start, KeyEnd: k.End}
			if v != nil {
				m.Value = p.toJSON(v, depth+1)
			}
			out.Members = append(out.Members, m)
		}
	case "list", "tuple":
		out.Kind = jsonpos.Array
		for _, e := range n.NamedChildren() {
			out.Elems = append(out.Elems, p.toJSON(e, depth+1))
		}
	case "integer", "float":
		txt := strings.ReplaceAll(p.text(n), "_", "")
		if strings.ContainsAny(txt, "xXoObBjJ") {
			return opaque()
		}
		out.Kind, out.Text = jsonpos.Number, txt
	case "unary_operator":
		arg := n.ChildByField("argument")
		if op := n.ChildByField("operator"); op != nil && p.text(op) == "-" && arg != nil && (arg.Kind == "integer" || arg.Kind == "float") {
			inner := p.toJSON(arg, depth+1)
			if inner.Kind == jsonpos.Number {
				out.Kind, out.Text = jsonpos.Number, "-"+inner.Text
				return out
			}
		}
		return opaque()
	case "true":
		out.Kind, out.Text = jsonpos.Bool, "true"
	case "false":
		out.Kind, out.Text = jsonpos.Bool, "false"
	case "none":
		out.Kind, out.Text = jsonpos.Null, "null"
	case "parenthesized_expression":
		if cs := n.NamedChildren(); len(cs) == 1 {
			return p.toJSON(cs[0], depth+1)
		}
		return opaque()
	default:
		return opaque()
	}
	return out
}

// partialKey reads an unterminated key string inside an ERROR node of a
// dict: the key runs from after the quote to the end of the ERROR node (or
// of the line). KeyEnd is then the end of the typed text, not a quote.
func (p *pyFile) partialKey(errNode *pysyntax.Node) (jsonpos.Member, bool) {
	if len(errNode.Children) == 0 || errNode.Children[0].Kind != "string_start" {
		return jsonpos.Member{}, false
	}
	start := errNode.Children[0]
	lit, ok := p.tree.LooseString(start)
	if !ok {
		return jsonpos.Member{}, false
	}
	end := lit.ContentEnd
	if errNode.End > start.End && errNode.End < end {
		end = errNode.End
	}
	return jsonpos.Member{Key: string(p.tree.Src[start.End:end]), KeyStart: start.Start, KeyEnd: end}, true
}

// idRefs finds logical-ID arguments by walking the token sequence, so that
// calls tree-sitter could not build while the user types are found too.
func (p *pyFile) idRefs(leaves []*pysyntax.Node) []IDRef {
	var out []IDRef
	for i := 1; i+1 < len(leaves); i++ {
		name := leaves[i]
		spec, ok := pyIDMethods[p.text(name)]
		if !ok || name.Kind != "identifier" || leaves[i-1].Kind != "." || leaves[i+1].Kind != "(" || leaves[i+1].Missing {
			continue
		}
		ref := IDRef{Method: p.text(name), Want: spec.want, Receiver: p.receiver(leaves, i-2)}
		argIdx, depth, found := 0, 0, false
		j := i + 2
		atArgStart := true
		for ; j < len(leaves) && !found; j++ {
			t := leaves[j]
			switch t.Kind {
			case "(", "[", "{":
				depth++
				atArgStart = false
				continue
			case ")", "]", "}":
				if depth == 0 {
					if argIdx == spec.arg && atArgStart && !t.Missing {
						ref.Start, ref.End = t.Start, t.Start
						found = true
					}
					j = len(leaves)
					continue
				}
				depth--
				continue
			case ",":
				if depth == 0 {
					argIdx++
					atArgStart = true
				}
				continue
			case "def", "class", "import", "return":
				j = len(leaves)
				continue
			}
			if depth != 0 {
				atArgStart = false
				continue
			}
			// keyword argument `function_name="..."`
			if t.Kind == "identifier" && j+1 < len(leaves) && leaves[j+1].Kind == "=" {
				if p.text(t) == spec.kw {
					argIdx = spec.arg
				} else {
					argIdx = -1
				}
				j++
				atArgStart = true
				continue
			}
			if argIdx == spec.arg && atArgStart && t.Kind == "string_start" {
				var lit pysyntax.StringLit
				var ok bool
				if t.Parent != nil && t.Parent.Kind == "string" {
					lit, ok = p.tree.String(t.Parent)
				} else {
					lit, ok = p.tree.LooseString(t)
				}
				if ok {
					ref.Start, ref.End, ref.Text = lit.ContentStart, lit.ContentEnd, lit.Value
					ref.Quoted, ref.Terminated = true, lit.Terminated
					found = true
				}
			}
			atArgStart = false
		}
		if !found && argIdx == spec.arg && atArgStart && j >= len(leaves) {
			// `get_role(` at the end of the file.
			end := leaves[i+1].End
			ref.Start, ref.End = end, end
			found = true
		}
		if found {
			out = append(out, ref)
		}
	}
	return out
}

// receiver rebuilds the name or attribute chain that ends at leaves[j] (the
// object of `<chain>.get_role(`), without a trailing sam_template; "" when it is
// anything else (a call, a subscript).
func (p *pyFile) receiver(leaves []*pysyntax.Node, j int) string {
	var parts []string
	for j >= 0 && leaves[j].Kind == "identifier" {
		parts = append([]string{p.text(leaves[j])}, parts...)
		if j >= 1 && leaves[j-1].Kind == "." {
			j -= 2
			continue
		}
		break
	}
	if len(parts) > 1 && parts[len(parts)-1] == "sam_template" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}

// pythonStackIDs is StackIDs for Python.
func pythonStackIDs(src []byte) map[string]string {
	p := &pyFile{tree: pysyntax.Parse(src), imports: map[string]string{}}
	// Names assigned from App(), collected in one pass so that the tree is not
	// searched again for every call.
	apps := map[string]bool{}
	pysyntax.Walk(p.tree.Root, func(n *pysyntax.Node) bool {
		if n.Kind == "assignment" {
			l, r := n.ChildByField("left"), n.ChildByField("right")
			if l != nil && r != nil && l.Kind == "identifier" && r.Kind == "call" && lastName(p, r.ChildByField("function")) == "App" {
				apps[p.text(l)] = true
			}
		}
		return true
	})
	ids := map[string]string{}
	pysyntax.Walk(p.tree.Root, func(n *pysyntax.Node) bool {
		if n.Kind != "call" {
			return true
		}
		name := lastName(p, n.ChildByField("function"))
		if name == "" {
			return true
		}
		if _, done := ids[name]; done {
			return true
		}
		a := p.tree.CallArgs(n.ChildByField("arguments"))
		scope, id := a.Get(0, "scope"), a.Get(1, "id")
		if id == nil {
			id = a.Get(-1, "construct_id")
		}
		if scope == nil || id == nil || scope.Kind != "identifier" || !apps[p.text(scope)] {
			return true
		}
		if s, ok := p.evalPath(id, n, 0); ok && s != "" {
			ids[name] = s
		}
		return true
	})
	return ids
}

// lastName is the called name of a call's function: `ChaliceApp` for
// ChaliceApp(...) and stacks.ChaliceApp(...).
func lastName(p *pyFile, fn *pysyntax.Node) string {
	switch {
	case fn == nil:
		return ""
	case fn.Kind == "identifier":
		return p.text(fn)
	case fn.Kind == "attribute":
		if a := fn.ChildByField("attribute"); a != nil {
			return p.text(a)
		}
	}
	return ""
}
