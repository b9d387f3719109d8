package appfeatures

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Location is a span of a file (cdkfeatures.Location).
type Location = cdkfeatures.Location

// Reference is a logical ID and every place it is used.
type Reference struct {
	ID        string
	Project   *workspace.Project
	Locations []Location
}

// IDAt returns the logical ID at off in file and the project it belongs to: a
// get_resource/get_role/get_function/add_environment_variable literal in CDK
// code, a handler's decorator or name in app.py (its Lambda function), or a
// lambda_functions.<name> key in config.json.
func IDAt(s *analysis.Snapshot, file string, off int) (string, *workspace.Project, bool) {
	if f := s.CDK(file); f != nil && f.File != nil {
		if at := f.File.At(off); at.Kind == cdkcode.InLogicalID && at.IDRef.Text != "" {
			if t, ok := s.TargetForRef(f, at.IDRef); ok {
				return at.IDRef.Text, t.Project, true
			}
		}
	}
	p := s.ProjectFor(file)
	if p == nil {
		return "", nil, false
	}
	if file == p.ConfigPath {
		if fn, ok := functionKeyAt(s.Config(p), off); ok {
			return functionID(s, p, fn)
		}
		return "", nil, false
	}
	for _, h := range Handlers(s, file) {
		if off >= h.Handler.DecoStart && off <= h.Handler.NameEnd && len(h.IDs) > 0 {
			return h.IDs[0].ID, p, true
		}
	}
	return "", nil, false
}

// functionID is the logical ID of the Lambda function of config name fn.
func functionID(s *analysis.Snapshot, p *workspace.Project, fn string) (string, *workspace.Project, bool) {
	for _, e := range s.IDIndex(ProjectTarget(s, p)).Entries {
		if e.Function == fn && e.Type == predict.TypeFunction {
			return e.ID, p, true
		}
	}
	return "", nil, false
}

// lambdaFunctionObjects are the lambda_functions objects of a config tree: the
// top level one and each stage's.
func lambdaFunctionObjects(root *jsonpos.Node) []*jsonpos.Node {
	if root == nil || root.Kind != jsonpos.Object {
		return nil
	}
	var out []*jsonpos.Node
	if lf := root.Get("lambda_functions"); lf != nil && lf.Kind == jsonpos.Object {
		out = append(out, lf)
	}
	if st := root.Get("stages"); st != nil && st.Kind == jsonpos.Object {
		for _, m := range st.Members {
			if m.Value == nil || m.Value.Kind != jsonpos.Object {
				continue
			}
			if lf := m.Value.Get("lambda_functions"); lf != nil && lf.Kind == jsonpos.Object {
				out = append(out, lf)
			}
		}
	}
	return out
}

// functionKeyAt returns the function name whose lambda_functions key holds off.
func functionKeyAt(root *jsonpos.Node, off int) (string, bool) {
	for _, lf := range lambdaFunctionObjects(root) {
		for _, m := range lf.Members {
			if off >= m.KeyStart && off <= m.KeyEnd {
				return m.Key, true
			}
		}
	}
	return "", false
}

// CDKFiles lists the workspace's CDK source files that hold a Chalice
// construct, sorted.
func CDKFiles(s *analysis.Snapshot) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range s.CDKApps() {
		for _, f := range cdkcode.ScanTree(a.Dir, s.ReadFile) {
			if !seen[f.File] {
				seen[f.File] = true
				out = append(out, f.File)
			}
		}
	}
	sort.Strings(out)
	return out
}

// References returns every use of the logical ID at off in file: the
// literals naming it in the workspace's CDK files (for the same project), the
// handlers behind it, its lambda_functions keys in config.json and the
// resource in the last packaged template. includeDecl false leaves out the
// handlers, config keys and template resource (LSP's includeDeclaration).
func References(s *analysis.Snapshot, file string, off int, includeDecl bool) (Reference, bool) {
	id, p, ok := IDAt(s, file, off)
	if !ok {
		return Reference{}, false
	}
	r := Reference{ID: id, Project: p}
	for _, path := range CDKFiles(s) {
		f := s.CDK(path)
		if f == nil || f.File == nil {
			continue
		}
		src, err := s.ReadFile(path)
		if err != nil {
			continue
		}
		for i := range f.File.IDRefs {
			ref := &f.File.IDRefs[i]
			if ref.Text != id {
				continue
			}
			if t, ok := s.TargetForRef(f, ref); ok && t.Project == p {
				r.Locations = append(r.Locations, Location{Path: path, Content: src, Start: ref.Start, End: ref.End})
			}
		}
	}
	if !includeDecl {
		return r, true
	}
	ix := s.IDIndex(ProjectTarget(s, p))
	e := ix.Lookup(id)
	if e == nil {
		return r, true
	}
	for _, h := range e.Handlers {
		if src, err := s.ReadFile(h.File); err == nil {
			r.Locations = append(r.Locations, Location{Path: h.File, Content: src, Start: h.NameStart, End: h.NameEnd})
		}
	}
	if e.Function != "" && e.Type == predict.TypeFunction {
		if src, err := s.ReadFile(p.ConfigPath); err == nil {
			for _, lf := range lambdaFunctionObjects(s.Config(p)) {
				for _, m := range lf.Members {
					if m.Key == e.Function {
						r.Locations = append(r.Locations, Location{Path: p.ConfigPath, Content: src, Start: m.KeyStart, End: m.KeyEnd})
					}
				}
			}
		}
	}
	if e.Resource != nil && ix.Template != nil && ix.Template.Path != "" {
		r.Locations = append(r.Locations, Location{Path: ix.Template.Path, Content: ix.Template.Source, Start: e.Resource.KeyStart, End: e.Resource.KeyEnd})
	}
	return r, true
}

// Symbol is one logical ID of one project for workspace symbols.
type Symbol struct {
	ID, Type string
	// Container names the project and the handler ("web · index").
	Container string
	Location  Location
}

// maxSymbols bounds the answer on huge workspaces.
const maxSymbols = 2000

// WorkspaceSymbols returns every logical ID of every project whose ID,
// handler or config function name contains query (case-insensitive), located
// at its handler, else the resource in the packaged template, else the app
// name in app.py.
func WorkspaceSymbols(s *analysis.Snapshot, query string) []Symbol {
	q := strings.ToLower(query)
	var out []Symbol
	for _, p := range s.Projects() {
		app, _ := s.App(p)
		ix := s.IDIndex(ProjectTarget(s, p))
		for i := range ix.Entries {
			e := &ix.Entries[i]
			if !symbolMatches(e, q) {
				continue
			}
			loc, ok := symbolLocation(s, ix, e, app)
			if !ok {
				continue
			}
			c := projectName(p, app)
			if len(e.Handlers) > 0 {
				c += " · " + e.Handlers[0].PyFunc
			}
			out = append(out, Symbol{ID: e.ID, Type: e.Type, Container: c, Location: loc})
			if len(out) >= maxSymbols {
				return out
			}
		}
	}
	return out
}

func symbolMatches(e *logicalid.Entry, q string) bool {
	if q == "" || strings.Contains(strings.ToLower(e.ID), q) || strings.Contains(strings.ToLower(e.Function), q) {
		return true
	}
	for _, h := range e.Handlers {
		if strings.Contains(strings.ToLower(h.PyFunc), q) {
			return true
		}
	}
	return false
}

func symbolLocation(s *analysis.Snapshot, ix *logicalid.Index, e *logicalid.Entry, app *appmodel.App) (Location, bool) {
	if len(e.Handlers) > 0 {
		h := e.Handlers[0]
		if src, err := s.ReadFile(h.File); err == nil {
			return Location{Path: h.File, Content: src, Start: h.NameStart, End: h.NameEnd}, true
		}
	}
	if e.Resource != nil && ix.Template != nil && ix.Template.Path != "" {
		return Location{Path: ix.Template.Path, Content: ix.Template.Source, Start: e.Resource.KeyStart, End: e.Resource.KeyEnd}, true
	}
	if app != nil && app.AppNameFile != "" && app.AppNameEnd > 0 {
		if src, err := s.ReadFile(app.AppNameFile); err == nil {
			return Location{Path: app.AppNameFile, Content: src, Start: app.AppNameStart, End: app.AppNameEnd}, true
		}
	}
	return Location{}, false
}

// projectName is the app name, else the project directory's base name.
func projectName(p *workspace.Project, app *appmodel.App) string {
	if app != nil && app.AppName != "" {
		return app.AppName
	}
	return filepath.Base(p.Dir)
}
