package cdkcode

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// ConstructImportPath is the Go construct's package path.
const ConstructImportPath = "github.com/chalice-lsp/chalice-lsp/construct"

var goIDMethods = map[string]struct {
	want IDKind
	arg  int
}{
	"GetResource":            {AnyResource, 0},
	"GetRole":                {Role, 0},
	"GetFunction":            {Function, 0},
	"AddEnvironmentVariable": {Function, 2},
}

type goFile struct {
	steps int // evaluation work done; see maxSteps
	path  string
	src   []byte
	fset  *token.FileSet
	file  *ast.File
	base  int
	// constructPkg and jsiiPkg are the local names of the imports.
	constructPkg, jsiiPkg, filepathPkg, pathPkg string
}

// AnalyzeGo analyses a Go CDK file.
func AnalyzeGo(filename string, src []byte) *File {
	f := &File{Path: filename, Lang: Go}
	g := &goFile{path: filename, src: src, fset: token.NewFileSet()}
	// go/parser returns a partial AST for broken files; the errors are the
	// compiler's business, not ours.
	base := g.fset.Base() // the file gets the next base of a fresh FileSet
	file, _ := parser.ParseFile(g.fset, filename, src, parser.SkipObjectResolution|parser.AllErrors)
	if file != nil {
		g.file = file
		g.base = base
		g.readImports()
		vars := map[*ast.CallExpr]string{} // call -> what it is assigned to
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, r := range n.Rhs {
						if call, ok := r.(*ast.CallExpr); ok {
							vars[call] = g.text(n.Lhs[i])
						}
					}
				}
			case *ast.ValueSpec:
				for i, r := range n.Values {
					if call, ok := r.(*ast.CallExpr); ok && i < len(n.Names) {
						vars[call] = n.Names[i].Name
					}
				}
			case *ast.CallExpr:
				if c, ok := g.construct(n); ok {
					c.Var = vars[n]
					f.Constructs = append(f.Constructs, c)
				}
			}
			return true
		})
	}
	f.IDRefs = goIDRefs(src)
	return f
}

// text is the source of a node.
func (g *goFile) text(n ast.Node) string { return string(g.src[g.off(n.Pos()):g.off(n.End())]) }

// calledName is the name a call calls: NewStack for awscdk.NewStack(...), F for F(...).
func calledName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// assignedCall returns the call e (a variable) was assigned from, or nil.
func (g *goFile) assignedCall(e ast.Expr) *ast.CallExpr {
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	call, _ := g.declValue(id.Name, id.Pos()).(*ast.CallExpr)
	return call
}

// isApp reports whether e is a variable holding awscdk.NewApp(...).
func (g *goFile) isApp(e ast.Expr) bool {
	call := g.assignedCall(e)
	return call != nil && calledName(call) == "NewApp"
}

// stackOf finds the stack a construct's scope expression is: a variable assigned
// from NewStack(scope, id, ...) with a static id, or with the id taken from the
// second parameter of the enclosing function (a stack factory).
func (g *goFile) stackOf(scope ast.Expr) StackRef {
	call := g.assignedCall(scope)
	if call == nil || calledName(call) != "NewStack" || len(call.Args) < 2 {
		return StackRef{}
	}
	if id, ok := g.evalString(call.Args[1], 0); ok {
		return StackRef{ID: id, AtRoot: g.isApp(call.Args[0])}
	}
	param := call.Args[1]
	for {
		switch e := param.(type) {
		case *ast.CallExpr: // jsii.String(id)
			if len(e.Args) == 1 {
				param = e.Args[0]
				continue
			}
		case *ast.UnaryExpr: // &id
			param = e.X
			continue
		case *ast.StarExpr: // *id
			param = e.X
			continue
		}
		break
	}
	name, ok := param.(*ast.Ident)
	if !ok {
		return StackRef{}
	}
	for _, d := range g.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || call.Pos() < fd.Body.Pos() || call.End() > fd.Body.End() {
			continue
		}
		i := 0
		for _, fld := range fd.Type.Params.List {
			for _, n := range fld.Names {
				if n.Name == name.Name && i == 1 {
					return StackRef{Factory: fd.Name.Name}
				}
				i++
			}
		}
	}
	return StackRef{}
}

// goStackIDs is StackIDs for Go.
func goStackIDs(filename string, src []byte) map[string]string {
	g := &goFile{path: filename, src: src, fset: token.NewFileSet()}
	base := g.fset.Base()
	file, _ := parser.ParseFile(g.fset, filename, src, parser.SkipObjectResolution|parser.AllErrors)
	if file == nil {
		return nil
	}
	g.file, g.base = file, base
	g.readImports()
	// Variables assigned from NewApp(...), collected in one pass so that the file
	// is not searched again for every call.
	apps := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, r := range n.Rhs {
				if call, ok := r.(*ast.CallExpr); ok && calledName(call) == "NewApp" && i < len(n.Lhs) {
					if id, ok := n.Lhs[i].(*ast.Ident); ok {
						apps[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for i, r := range n.Values {
				if call, ok := r.(*ast.CallExpr); ok && calledName(call) == "NewApp" && i < len(n.Names) {
					apps[n.Names[i].Name] = true
				}
			}
		}
		return true
	})
	ids := map[string]string{}
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		name := calledName(call)
		scope, ok := call.Args[0].(*ast.Ident)
		if _, done := ids[name]; done || name == "" || !ok || !apps[scope.Name] {
			return true
		}
		if id, ok := g.evalString(call.Args[1], 0); ok && id != "" {
			ids[name] = id
		}
		return true
	})
	return ids
}

func (g *goFile) off(p token.Pos) int {
	o := int(p) - g.base
	if o < 0 {
		return 0
	}
	if o > len(g.src) {
		return len(g.src)
	}
	return o
}

func (g *goFile) readImports() {
	g.constructPkg, g.jsiiPkg, g.filepathPkg, g.pathPkg = "construct", "jsii", "filepath", "path"
	for _, imp := range g.file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name := ""
		if imp.Name != nil {
			name = imp.Name.Name
		}
		switch p {
		case ConstructImportPath:
			if name != "" {
				g.constructPkg = name
			}
		case "github.com/aws/jsii-runtime-go":
			if name != "" {
				g.jsiiPkg = name
			}
		case "path/filepath":
			if name != "" {
				g.filepathPkg = name
			}
		case "path":
			if name != "" {
				g.pathPkg = name
			}
		}
	}
}

// selector returns pkg, name for a pkg.Name expression.
func selector(e ast.Expr) (string, string) {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	x, ok := s.X.(*ast.Ident)
	if !ok {
		return "", ""
	}
	return x.Name, s.Sel.Name
}

func (g *goFile) construct(call *ast.CallExpr) (Construct, bool) {
	var c Construct
	if pkg, name := selector(call.Fun); pkg != g.constructPkg || name != "NewChalice" {
		return c, false
	}
	c.Flavour = GoConstruct
	c.CallStart, c.CallEnd = g.off(call.Pos()), g.off(call.End())
	if len(call.Args) > 0 {
		c.Stack = g.stackOf(call.Args[0])
	}
	if len(call.Args) < 3 {
		return c, true
	}
	props := g.traceComposite(call.Args[2], 0)
	lit, ok := props.(*ast.CompositeLit)
	if !ok {
		return c, true
	}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		switch key.Name {
		case "SourceDir":
			c.SourceDirStart, c.SourceDirEnd = g.off(kv.Value.Pos()), g.off(kv.Value.End())
			c.SourceDir, c.SourceDirResolved = g.evalString(kv.Value, 0)
		case "StageName":
			c.StageName, _ = g.evalString(kv.Value, 0)
		case "StageConfig":
			c.StageConfigStart, c.StageConfigEnd = g.off(kv.Value.Pos()), g.off(kv.Value.End())
			if m, ok := g.traceComposite(kv.Value, 0).(*ast.CompositeLit); ok {
				c.StageConfig = g.toJSON(m, 0)
				c.StageConfigPartial = g.applyMutations(c.StageConfig, kv.Value, lit)
			} else {
				c.StageConfigPartial = true
			}
		}
	}
	return c, true
}

// declValue finds the value of a variable or constant named name: the last
// `name := v` / `name = v` / `var|const name = v` in the file before pos
// (package level or in the function around pos).
func (g *goFile) declValue(name string, before token.Pos) ast.Expr {
	var found ast.Expr
	ast.Inspect(g.file, func(n ast.Node) bool {
		if n == nil || n.Pos() >= before && !isGenDecl(n) {
			return n == nil || n.Pos() < before
		}
		switch d := n.(type) {
		case *ast.AssignStmt:
			for i, l := range d.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name && i < len(d.Rhs) && len(d.Lhs) == len(d.Rhs) {
					found = d.Rhs[i]
				}
			}
		case *ast.ValueSpec:
			for i, id := range d.Names {
				if id.Name == name && i < len(d.Values) {
					found = d.Values[i]
				}
			}
		}
		return true
	})
	return found
}

func isGenDecl(n ast.Node) bool {
	_, ok := n.(*ast.GenDecl)
	if !ok {
		_, ok = n.(*ast.ValueSpec)
	}
	return ok
}

// traceComposite follows &T{...}, variables and calls of functions in this
// file that return a composite literal.
func (g *goFile) traceComposite(e ast.Expr, depth int) ast.Expr {
	g.steps++
	if depth > 8 || e == nil || g.steps > maxSteps {
		return nil
	}
	switch v := e.(type) {
	case *ast.CompositeLit:
		return v
	case *ast.UnaryExpr:
		if v.Op == token.AND {
			return g.traceComposite(v.X, depth+1)
		}
	case *ast.ParenExpr:
		return g.traceComposite(v.X, depth+1)
	case *ast.Ident:
		if d := g.declValue(v.Name, v.Pos()); d != nil {
			return g.traceComposite(d, depth+1)
		}
	case *ast.CallExpr:
		var fname string
		switch fn := v.Fun.(type) {
		case *ast.Ident:
			fname = fn.Name
		case *ast.SelectorExpr:
			fname = fn.Sel.Name
		}
		for _, d := range g.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != fname || fd.Body == nil {
				continue
			}
			var ret ast.Expr
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if _, ok := n.(*ast.FuncLit); ok {
					return false
				}
				if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
					ret = r.Results[0]
				}
				return true
			})
			if ret != nil {
				return g.traceComposite(ret, depth+1)
			}
		}
	}
	return nil
}

// evalString evaluates a string expression: literals, jsii.String(x),
// filepath.Join / path.Join, filepath.Dir, +, and constants/variables.
func (g *goFile) evalString(e ast.Expr, depth int) (string, bool) {
	g.steps++
	if depth > maxDepth || e == nil || g.steps > maxSteps {
		return "", false
	}
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			s, err := strconv.Unquote(v.Value)
			return s, err == nil
		}
	case *ast.ParenExpr:
		return g.evalString(v.X, depth+1)
	case *ast.Ident:
		if d := g.declValue(v.Name, v.Pos()); d != nil {
			return g.evalString(d, depth+1)
		}
	case *ast.BinaryExpr:
		if v.Op == token.ADD {
			l, ok1 := g.evalString(v.X, depth+1)
			r, ok2 := g.evalString(v.Y, depth+1)
			return l + r, ok1 && ok2
		}
	case *ast.CallExpr:
		pkg, name := selector(v.Fun)
		var args []string
		for _, a := range v.Args {
			s, ok := g.evalString(a, depth+1)
			if !ok {
				return "", false
			}
			args = append(args, s)
		}
		switch {
		case pkg == g.jsiiPkg && name == "String" && len(args) == 1:
			return args[0], true
		case (pkg == g.filepathPkg || pkg == g.pathPkg) && name == "Join":
			return path.Join(args...), true
		case (pkg == g.filepathPkg || pkg == g.pathPkg) && name == "Dir" && len(args) == 1:
			return filepath.Dir(args[0]), true
		case (pkg == g.filepathPkg || pkg == g.pathPkg) && name == "Clean" && len(args) == 1:
			return filepath.Clean(args[0]), true
		}
	}
	return "", false
}

// toJSON converts a Go map/slice composite literal to a jsonpos tree.
func (g *goFile) toJSON(e ast.Expr, depth int) *jsonpos.Node {
	out := &jsonpos.Node{Start: g.off(e.Pos()), End: g.off(e.End())}
	opaque := func() *jsonpos.Node {
		out.Kind, out.Text, out.Members, out.Elems = jsonpos.Opaque, string(g.src[out.Start:out.End]), nil, nil
		return out
	}
	if depth > maxDepth {
		return opaque()
	}
	switch v := e.(type) {
	case *ast.CompositeLit:
		switch v.Type.(type) {
		case *ast.MapType, nil:
			isMap := false
			if _, ok := v.Type.(*ast.MapType); ok {
				isMap = true
			}
			if v.Type == nil && len(v.Elts) > 0 {
				_, isMap = v.Elts[0].(*ast.KeyValueExpr)
			}
			if !isMap && v.Type == nil {
				out.Kind = jsonpos.Array
				for _, el := range v.Elts {
					out.Elems = append(out.Elems, g.toJSON(el, depth+1))
				}
				return out
			}
			out.Kind = jsonpos.Object
			for _, el := range v.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				m := jsonpos.Member{KeyStart: g.off(kv.Key.Pos()), KeyEnd: g.off(kv.Key.End())}
				if s, ok := g.evalString(kv.Key, depth+1); ok {
					m.Key = s
				} else {
					m.Key = string(g.src[m.KeyStart:m.KeyEnd])
				}
				if _, bad := kv.Value.(*ast.BadExpr); !bad && kv.Value != nil {
					m.Value = g.toJSON(kv.Value, depth+1)
				}
				out.Members = append(out.Members, m)
			}
		case *ast.ArrayType:
			out.Kind = jsonpos.Array
			for _, el := range v.Elts {
				out.Elems = append(out.Elems, g.toJSON(el, depth+1))
			}
		default:
			return opaque()
		}
	case *ast.BasicLit:
		switch v.Kind {
		case token.STRING:
			s, err := strconv.Unquote(v.Value)
			if err != nil {
				return opaque()
			}
			out.Kind, out.Text = jsonpos.String, s
		case token.INT, token.FLOAT:
			txt := strings.ReplaceAll(v.Value, "_", "")
			if strings.ContainsAny(txt, "xXoObB") {
				return opaque()
			}
			out.Kind, out.Text = jsonpos.Number, txt
		default:
			return opaque()
		}
	case *ast.UnaryExpr:
		if v.Op == token.SUB {
			if inner := g.toJSON(v.X, depth+1); inner.Kind == jsonpos.Number {
				out.Kind, out.Text = jsonpos.Number, "-"+inner.Text
				return out
			}
		}
		if v.Op == token.AND {
			inner := g.toJSON(v.X, depth+1)
			if inner.Kind != jsonpos.Opaque {
				return inner
			}
		}
		return opaque()
	case *ast.Ident:
		switch v.Name {
		case "true", "false":
			out.Kind, out.Text = jsonpos.Bool, v.Name
		case "nil":
			out.Kind, out.Text = jsonpos.Null, "null"
		default:
			return opaque()
		}
	case *ast.CallExpr:
		// jsii.String("x"), jsii.Number(5), jsii.Bool(true) are literals.
		if pkg, name := selector(v.Fun); pkg == g.jsiiPkg && len(v.Args) == 1 {
			inner := g.toJSON(v.Args[0], depth+1)
			switch {
			case name == "String" && inner.Kind == jsonpos.String,
				name == "Number" && inner.Kind == jsonpos.Number,
				name == "Bool" && inner.Kind == jsonpos.Bool:
				inner.Start, inner.End = out.Start, out.End
				return inner
			}
		}
		return opaque()
	case *ast.ParenExpr:
		return g.toJSON(v.X, depth+1)
	default:
		return opaque()
	}
	return out
}

// goIDRefs finds logical-ID arguments from the token stream (go/scanner),
// which keeps working on half-typed lines the parser cannot place.
func goIDRefs(src []byte) []IDRef {
	type tok struct {
		off int
		tok token.Token
		lit string
	}
	var toks []tok
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, func(token.Position, string) {}, 0)
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit == "\n" {
			continue // automatic semicolons at line ends
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}
	var out []IDRef
	for i := 1; i+1 < len(toks); i++ {
		spec, ok := goIDMethods[toks[i].lit]
		if toks[i].tok != token.IDENT || !ok || toks[i-1].tok != token.PERIOD || toks[i+1].tok != token.LPAREN {
			continue
		}
		ref := IDRef{Method: toks[i].lit, Want: spec.want}
		// The receiver: a name chain before ".Method(", skipping ".SamTemplate()".
		k := i - 2
		if k >= 3 && toks[k].tok == token.RPAREN && toks[k-1].tok == token.LPAREN && toks[k-2].lit == "SamTemplate" && toks[k-3].tok == token.PERIOD {
			k -= 4
		}
		var chain []string
		for k >= 0 && toks[k].tok == token.IDENT {
			chain = append([]string{toks[k].lit}, chain...)
			if k >= 1 && toks[k-1].tok == token.PERIOD {
				k -= 2
				continue
			}
			break
		}
		ref.Receiver = strings.Join(chain, ".")
		argIdx, depth, found, atStart, prefix := 0, 0, false, true, false
		j := i + 2
	scan:
		for ; j < len(toks); j++ {
			t := toks[j]
			switch t.tok {
			case token.LPAREN, token.LBRACK, token.LBRACE:
				// jsii.String( at the start of the wanted argument is
				// transparent.
				if t.tok == token.LPAREN && argIdx == spec.arg && depth == 0 && j >= 3 &&
					toks[j-1].tok == token.IDENT && toks[j-2].tok == token.PERIOD && toks[j-3].tok == token.IDENT {
					depth++
					atStart, prefix = true, false
					continue
				}
				depth++
				atStart = false
			case token.RPAREN, token.RBRACK, token.RBRACE:
				if atStart && !prefix && argIdx == spec.arg {
					ref.Start, ref.End = t.off, t.off
					found = true
					break scan
				}
				if depth == 0 {
					break scan
				}
				depth--
			case token.COMMA:
				if depth == 0 {
					argIdx++
					atStart, prefix = true, false
				} else {
					atStart = false
				}
			case token.STRING:
				if argIdx == spec.arg && atStart && depth <= 1 {
					ref.Quoted = true
					lit := t.lit
					ref.Start = t.off + 1
					q := lit[0]
					ref.Terminated = len(lit) >= 2 && lit[len(lit)-1] == q
					end := t.off + len(lit)
					if ref.Terminated {
						end--
					}
					ref.End = end
					if ref.Terminated {
						if v, err := strconv.Unquote(lit); err == nil {
							ref.Text = v
						} else {
							ref.Text = string(src[ref.Start:ref.End])
						}
					} else {
						ref.Text = string(src[ref.Start:ref.End])
					}
					found = true
					break scan
				}
				atStart = false
			case token.IDENT, token.PERIOD:
				// part of jsii.String before its "(" — keep atStart
				if argIdx == spec.arg && depth == 0 && atStart {
					prefix = true
					continue
				}
				atStart = false
			case token.FUNC, token.RETURN, token.IF, token.FOR, token.VAR, token.CONST, token.TYPE:
				break scan
			default:
				atStart = false
			}
		}
		if !found && j >= len(toks) && argIdx == spec.arg && atStart && !prefix {
			end := toks[len(toks)-1].off + max(1, len(toks[len(toks)-1].lit))
			if toks[len(toks)-1].tok == token.LPAREN {
				end = toks[len(toks)-1].off + 1
			}
			ref.Start, ref.End = end, end
			found = true
		}
		if found {
			out = append(out, ref)
		}
	}
	return out
}

// applyMutations applies `sc["key"] = value` (also nested, also under an if)
// between the variable's declaration and the construct call to the tree, for
// a StageConfig given as a variable. It reports whether the final value is only
// partly known: a computed key, or the map handed to other code.
func (g *goFile) applyMutations(root *jsonpos.Node, arg ast.Expr, at ast.Node) bool {
	for {
		if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
			arg = u.X
			continue
		}
		if pe, ok := arg.(*ast.ParenExpr); ok {
			arg = pe.X
			continue
		}
		break
	}
	id, ok := arg.(*ast.Ident)
	if !ok {
		return false
	}
	decl := g.declValue(id.Name, id.Pos())
	if decl == nil {
		return false
	}
	partial := false
	ast.Inspect(g.file, func(n ast.Node) bool {
		if n == nil || n.Pos() < decl.End() || n.Pos() >= at.Pos() {
			return n == nil || n.End() > decl.End() && n.Pos() < at.Pos()
		}
		switch v := n.(type) {
		case *ast.AssignStmt:
			for i, l := range v.Lhs {
				keys, base := g.indexPath(l)
				if base != id.Name || i >= len(v.Rhs) || len(v.Lhs) != len(v.Rhs) {
					continue
				}
				if keys == nil {
					partial = true
					continue
				}
				obj := root
				for _, k := range keys[:len(keys)-1] {
					next := obj.Get(k)
					if next == nil {
						next = &jsonpos.Node{Kind: jsonpos.Object, Start: g.off(l.Pos()), End: g.off(l.End())}
						setMember(obj, k, g.off(l.Pos()), g.off(l.End()), next)
					}
					obj = next
				}
				if !setMember(obj, keys[len(keys)-1], g.off(l.Pos()), g.off(l.End()), g.toJSON(v.Rhs[i], 1)) {
					partial = true
				}
			}
		case *ast.CallExpr:
			for _, a := range v.Args {
				if x, ok := a.(*ast.Ident); ok && x.Name == id.Name {
					partial = true // maps.Copy(sc, ...), addDomain(sc), ...
				}
			}
		}
		return true
	})
	return partial
}

// indexPath reads `name["a"]["b"]`: the base name and the keys (nil when a
// key is not a string literal).
func (g *goFile) indexPath(e ast.Expr) ([]string, string) {
	var rev []string
	static := true
	for {
		if ta, ok := e.(*ast.TypeAssertExpr); ok {
			static, e = false, ta.X // sc["tags"].(map[string]any)["x"] = ...
			continue
		}
		ix, ok := e.(*ast.IndexExpr)
		if !ok {
			break
		}
		if bl, ok := ix.Index.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			k, err := strconv.Unquote(bl.Value)
			if err != nil {
				static = false
			}
			rev = append(rev, k)
		} else {
			static = false
		}
		e = ix.X
	}
	id, ok := e.(*ast.Ident)
	if !ok || len(rev) == 0 && static {
		return nil, ""
	}
	if !static {
		return nil, id.Name
	}
	keys := make([]string, len(rev))
	for i := range rev {
		keys[i] = rev[len(rev)-1-i]
	}
	return keys, id.Name
}
