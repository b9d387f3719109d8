package appmodel

import (
	"errors"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel/pysyntax"
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

	c := &collector{l: l, a: a, visited: map[*pysyntax.Node]bool{}}
	obj := l.nameOf(m, "app", 0)
	switch {
	case obj.kind == objChalice:
		a.AppVar = "app"
	case len(m.apps) > 0:
		// No module attribute "app" Chalice could load, but app.py builds a
		// Chalice object under another name: describe that one.
		for v, def := range m.apps {
			if a.AppVar == "" || def.start > m.apps[a.AppVar].start {
				a.AppVar = v
			}
		}
		obj = object{kind: objChalice, id: "app:" + a.AppVar, mod: m, def: m.apps[a.AppVar]}
		a.MisnamedStart = m.apps[a.AppVar].start
		a.MisnamedEnd = a.MisnamedStart + len(a.AppVar)
	default:
		// The app object comes from code the editor cannot follow: the
		// module-level name app.py decorates as an app is taken as the app,
		// and what app.py registers on it as its handlers.
		if v := decoratedApp(m); v != "" {
			a.AppVar, c.fallback = v, v
		} else {
			a.HandlersUnknown = "app.py does not visibly create the app object"
			if obj.why != "" {
				a.HandlersUnknown = "the app object in app.py cannot be followed: " + obj.why
			}
		}
	}
	if def := obj.def; def != nil {
		a.AppName, a.AppNameStart, a.AppNameEnd, a.AppNameFile = def.name, def.nameStart, def.nameEnd, def.file
	}
	mods := []*module{m}
	if obj.mod != nil {
		mods = append(mods, obj.mod)
	}
	reached := l.reach(mods...)
	if a.AppVar != "" {
		c.app = target{id: obj.id, modName: "app"}
		for _, mod := range reached {
			if c.fallback != "" && mod != m {
				continue
			}
			c.scanModule(mod, c.app)
		}
		if obj.fn != nil {
			c.scanFunc(obj.mod, obj.fn, map[string]bool{obj.local: true}, c.app, 0)
		}
	}
	c.unattributed(reached)
	for _, p := range c.sorted() {
		a.Handlers = append(a.Handlers, p.hs...)
	}
	a.ParseErrors = a.FileErrors[appFile]
	return a
}

// decoratedApp returns the module-level name app.py decorates with Chalice
// handler decorators most often ("app" on a tie).
func decoratedApp(m *module) string {
	count := map[string]int{}
	best := ""
	for _, d := range m.decorators {
		if _, ok := decorators[d.method]; !ok || d.objNode.Kind != "identifier" {
			continue
		}
		if _, isBP := m.blueprints[d.obj]; isBP {
			continue
		}
		count[d.obj]++
		if best == "" || count[d.obj] > count[best] || (count[d.obj] == count[best] && d.obj == "app") {
			best = d.obj
		}
	}
	return best
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
