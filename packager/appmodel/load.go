package appmodel

import (
	"errors"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/packager/appmodel/pysyntax"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// ReadFunc reads a file by absolute path. The language server passes one that
// prefers unsaved editor buffers.
type ReadFunc func(path string) ([]byte, error)

// decoratorSpec describes a Chalice decorator: the handler kind it creates
// and its positional parameter names (chalice/app.py DecoratorAPI).
type decoratorSpec struct {
	kind   HandlerKind
	params []string
}

var decorators = map[string]decoratorSpec{
	"route":              {KindRoute, []string{"path"}},
	"authorizer":         {KindAuthorizer, []string{"ttl_seconds", "execution_role", "name", "header"}},
	"lambda_function":    {KindLambda, []string{"name"}},
	"schedule":           {KindSchedule, []string{"expression", "name", "description"}},
	"on_cw_event":        {KindCWEvent, []string{"event_pattern", "name"}},
	"on_s3_event":        {KindS3Event, []string{"bucket", "events", "prefix", "suffix", "name"}},
	"on_sns_message":     {KindSNS, []string{"topic", "name"}},
	"on_sqs_message":     {KindSQS, []string{"queue", "batch_size", "name", "queue_arn", "maximum_batching_window_in_seconds", "maximum_concurrency"}},
	"on_kinesis_record":  {KindKinesis, []string{"stream", "batch_size", "starting_position", "name", "maximum_batching_window_in_seconds"}},
	"on_dynamodb_record": {KindDynamoDB, []string{"stream_arn", "batch_size", "starting_position", "name", "maximum_batching_window_in_seconds"}},
	"on_ws_connect":      {KindWSConnect, []string{"name"}},
	"on_ws_message":      {KindWSMessage, []string{"name"}},
	"on_ws_disconnect":   {KindWSDisconnect, []string{"name"}},
}

// websocketNames are the fixed config names of websocket handlers.
var websocketNames = map[HandlerKind]string{
	KindWSConnect:    "websocket_connect",
	KindWSMessage:    "websocket_message",
	KindWSDisconnect: "websocket_disconnect",
}

// Load parses projectDir/app.py and the blueprints it registers from disk.
// The error is non-nil only when app.py cannot be read; syntax errors are
// reported in App.ParseErrors and the rest of the file is still used.
func Load(projectDir string) (*App, error) {
	return LoadFiles(projectDir, safefile.Read)
}

// LoadFiles is Load with a custom file reader (e.g. unsaved editor buffers).
func LoadFiles(projectDir string, read ReadFunc) (*App, error) {
	dir, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, fmt.Errorf("project directory %q: %w", projectDir, err)
	}
	appFile := filepath.Join(dir, "app.py")
	src, err := read(appFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s not found: a Chalice project needs an app.py next to .chalice/", appFile)
		}
		return nil, fmt.Errorf("reading %s: %w", appFile, err)
	}
	return Parse(dir, src, read), nil
}

// Parse builds the App from app.py's content; read (may be nil) loads the
// blueprint modules it imports.
func Parse(dir string, appSrc []byte, read ReadFunc) *App {
	l := &loader{dir: dir, read: read, modules: map[string]*module{}}
	appFile := filepath.Join(dir, "app.py")
	m := scanModule(appFile, "app", "", appSrc)
	l.modules["app"] = m
	a := &App{Dir: dir, AppFile: appFile, FileErrors: map[string][]diag.Diagnostic{}}
	l.errs = a.FileErrors
	l.errs[appFile] = m.errors()

	appVars := map[string]bool{}
	for v, def := range m.apps {
		appVars[v] = true
		if a.AppVar == "" || v == "app" || (a.AppVar != "app" && def.start > m.apps[a.AppVar].start) {
			a.AppVar = v
		}
	}
	if def := m.apps[a.AppVar]; def != nil {
		a.AppName, a.AppNameStart, a.AppNameEnd = def.name, def.nameStart, def.nameEnd
	}

	type placed struct {
		at int
		hs []Handler
	}
	var all []placed
	for _, d := range m.decorators {
		if !appVars[d.obj] {
			continue
		}
		if h, ok := l.handler(m, d, "", "", "app", ""); ok {
			all = append(all, placed{d.node.Start, []Handler{h}})
		}
	}
	for _, fc := range m.flags {
		if appVars[fc.obj] {
			a.FeatureFlags = append(a.FeatureFlags, flagStrings(m, fc.call)...)
		}
	}
	for _, r := range m.registers {
		if !appVars[r.obj] {
			continue
		}
		bp, hs := l.blueprint(m, r.call)
		a.Blueprints = append(a.Blueprints, bp)
		all = append(all, placed{r.call.Start, hs})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	for _, p := range all {
		a.Handlers = append(a.Handlers, p.hs...)
	}
	a.ParseErrors = a.FileErrors[appFile]
	return a
}

type loader struct {
	dir     string
	read    ReadFunc
	modules map[string]*module // by dotted name; nil = not found
	errs    map[string][]diag.Diagnostic
}

// handler turns one decorator into a Handler (ok false if it is not a
// Chalice handler decorator or the function name is not there yet).
func (l *loader) handler(m *module, d decorator, prefix, urlPrefix, modName, bpVar string) (Handler, bool) {
	spec, known := decorators[d.method]
	if !known || d.funcName == "" {
		return Handler{}, false
	}
	h := Handler{
		Kind: spec.kind, PyFunc: d.funcName, File: m.path,
		NameStart: d.nameStart, NameEnd: d.nameEnd,
		DecoStart: d.node.Start, DecoEnd: d.node.End,
		Args: map[string]string{}, Module: modName, Blueprint: bpVar,
	}
	a := m.tree.CallArgs(d.args)
	for i, p := range spec.params {
		if v := a.Get(i, p); v != nil {
			h.Args[p] = m.value(v)
		}
	}
	for k, v := range a.Keyword {
		if _, done := h.Args[k]; !done {
			h.Args[k] = m.value(v)
		}
	}
	name := d.funcName
	if i := indexOf(spec.params, "name"); i >= 0 || spec.kind == KindRoute {
		if v := a.Get(i, "name"); v != nil {
			if lit, ok := m.tree.String(v); ok && lit.Static {
				name = lit.Value
				h.NameArgStart, h.NameArgEnd = lit.ContentStart, lit.ContentEnd
			} else if c, ok := m.consts[m.text(v)]; ok && v.Kind == "identifier" {
				name = c
			} else if v.Kind != "none" {
				h.NameUnresolved = true
			}
		}
	}
	switch {
	case spec.kind == KindRoute:
		h.Name = APIHandlerName
		h.Route = h.Args["path"]
		if urlPrefix != "" {
			h.Route = strings.TrimRight(strings.TrimRight(urlPrefix, "/")+"/"+strings.Trim(h.Route, "/"), "/")
		}
	case websocketNames[spec.kind] != "":
		h.Name = websocketNames[spec.kind]
	default:
		h.Name = prefix + name
	}
	return h, true
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// value renders an argument: decoded string literals, other source as is.
func (m *module) value(n *pysyntax.Node) string {
	if lit, ok := m.tree.String(n); ok && lit.Static {
		return lit.Value
	}
	if n.Kind == "identifier" {
		if c, ok := m.consts[m.text(n)]; ok {
			return c
		}
	}
	return m.text(n)
}

// flagStrings returns the string literals passed to
// experimental_feature_flags.update([...]) or .add('...').
func flagStrings(m *module, call *pysyntax.Node) []string {
	var out []string
	a := m.tree.CallArgs(call.ChildByField("arguments"))
	if len(a.Positional) == 0 {
		return nil
	}
	arg := a.Positional[0]
	items := []*pysyntax.Node{arg}
	if arg.Kind == "list" || arg.Kind == "set" || arg.Kind == "tuple" {
		items = arg.NamedChildren()
	}
	for _, it := range items {
		if lit, ok := m.tree.String(it); ok && lit.Static {
			out = append(out, lit.Value)
		}
	}
	return out
}

// blueprint resolves a register_blueprint call and returns the blueprint's
// handlers with the prefixes applied.
func (l *loader) blueprint(app *module, call *pysyntax.Node) (Blueprint, []Handler) {
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
	m, v := l.resolveBlueprint(app, arg)
	if m == nil {
		l.errs[app.path] = append(l.errs[app.path], diag.Diagnostic{
			Start: arg.Start, End: arg.End, Severity: diag.Warning, Code: "blueprint-unresolved",
			Message: fmt.Sprintf("cannot find the Blueprint %q in this project; its handlers are not known to the editor (expected `%s = Blueprint(__name__)` in a module under %s)", bp.Expr, bp.Expr, l.dir),
		})
		return bp, nil
	}
	bp.Var, bp.File, bp.ImportName = v, m.path, m.blueprints[v]
	var hs []Handler
	for _, d := range m.decorators {
		if d.obj != v {
			continue
		}
		if h, ok := l.handler(m, d, bp.NamePrefix, bp.URLPrefix, bp.ImportName, v); ok {
			hs = append(hs, h)
		}
	}
	return bp, hs
}

// resolveBlueprint finds the module and variable a blueprint expression
// refers to: a Blueprint in app.py itself, or one imported from a module of
// the project (following re-exports a few levels deep).
func (l *loader) resolveBlueprint(app *module, arg *pysyntax.Node) (*module, string) {
	q, imported, ok := app.qualified(arg)
	if !ok {
		return nil, ""
	}
	if !imported && !strings.Contains(q, ".") {
		if _, ok := app.blueprints[q]; ok {
			return app, q
		}
		return nil, ""
	}
	for depth := 0; depth < 5; depth++ {
		parts := strings.Split(q, ".")
		var next string
		for k := len(parts) - 1; k >= 1; k-- {
			m := l.module(strings.Join(parts[:k], "."))
			if m == nil {
				continue
			}
			rest := parts[k:]
			if len(rest) != 1 {
				return nil, ""
			}
			if _, ok := m.blueprints[rest[0]]; ok {
				return m, rest[0]
			}
			next = m.imports[rest[0]]
			break
		}
		if next == "" {
			return nil, ""
		}
		q = next
	}
	return nil, ""
}

// module loads a project module by dotted name (nil if it is not a file of
// the project).
func (l *loader) module(name string) *module {
	if m, ok := l.modules[name]; ok {
		return m
	}
	l.modules[name] = nil
	if l.read == nil || name == "" {
		return nil
	}
	rel := filepath.Join(strings.Split(name, ".")...)
	candidates := []struct{ path, pkg string }{
		{filepath.Join(l.dir, rel+".py"), parentPkg(name)},
		{filepath.Join(l.dir, rel, "__init__.py"), name},
	}
	for _, c := range candidates {
		src, err := l.read(c.path)
		if err != nil {
			if safefile.IsSkipped(err) {
				// Say so where the user looks: the module exists but was not read.
				l.errs[c.path] = append(l.errs[c.path], diag.Diagnostic{Severity: diag.Warning, Code: safefile.Code, Message: err.Error()})
				return nil
			}
			continue
		}
		m := scanModule(c.path, name, c.pkg, src)
		l.modules[name] = m
		l.errs[c.path] = m.errors()
		return m
	}
	return nil
}

func parentPkg(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return ""
}
