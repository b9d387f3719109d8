package server

import (
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/lsp/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/uri"
)

// projectState is what the server knows about one Chalice project. Fields are
// guarded by mu; values stored in them are immutable once stored.
type projectState struct {
	proj *workspace.Project

	mu sync.Mutex
	// app is parsed from app.py (and blueprints), overlaid with unsaved buffers.
	// appDirty is set when a Python file of the project changes.
	app      *appmodel.App
	appErr   error
	appDirty bool
	// cfgRoot is the parsed config.json (overlay first), cfgDirty set on change.
	cfgRoot  *jsonpos.Node
	cfgDirty bool
	// packages holds the last packaging outcome per stage/stage_config key.
	packages map[string]*pkgState
	// pkgDiagURIs are files outside the project holding its packaging
	// diagnostics (a CDK file whose stage_config caused the failure).
	pkgDiagURIs map[uri.URI]bool
	// gen counts changes to anything logical IDs depend on (app, config,
	// packaging results); ixCache holds logical-ID indexes per target and gen.
	gen     uint64
	ixCache map[string]ixCached
}

// pkgState is the packaging history of one (project, stage, stage config).
type pkgState struct {
	Stage string
	// Result is the last successful packaging; kept when a later run fails.
	Result *packager.Result
	// Stale is true when inputs changed (or a run failed) after Result was produced.
	Stale bool
	// Err is the last failure (nil after a success).
	Err     error
	Running bool
	At      time.Time
}

func (s *Server) project(p *workspace.Project) *projectState {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	ps := s.projects[p.Dir]
	if ps == nil || ps.proj != p {
		ps = &projectState{proj: p, appDirty: true, cfgDirty: true, packages: map[string]*pkgState{}, ixCache: map[string]ixCached{}}
		s.projects[p.Dir] = ps
	}
	return ps
}

// projectForPath returns the state of the project containing path, registering a
// project found next to the file when it lies outside every workspace folder.
func (s *Server) projectForPath(path string) *projectState {
	if path == "" {
		return nil
	}
	p := s.ws.ProjectFor(path)
	if p == nil {
		// config.json or app.py opened from outside the workspace folders.
		dir := filepath.Dir(path)
		if filepath.Base(dir) == ".chalice" {
			dir = filepath.Dir(dir)
		}
		p = s.ws.EnsureProject(dir)
	}
	if p == nil {
		return nil
	}
	return s.project(p)
}

// appOf returns the project's parsed app, reparsing after changes. Never nil
// when err is nil.
func (s *Server) appOf(ps *projectState) (*appmodel.App, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.appDirty || (ps.app == nil && ps.appErr == nil) {
		ps.app, ps.appErr = appmodel.LoadFiles(ps.proj.Dir, s.readFile)
		ps.appDirty = false
	}
	return ps.app, ps.appErr
}

// functionsOf lists the config-level function names of the project's app.
func (s *Server) functionsOf(ps *projectState) []string {
	if ps == nil {
		return nil
	}
	app, err := s.appOf(ps)
	if err != nil || app == nil {
		return nil
	}
	return app.FunctionNames()
}

// functionsUnknownOf says why the project's handler set cannot be known ("" when
// it can, or when app.py cannot be read).
func (s *Server) functionsUnknownOf(ps *projectState) string {
	if ps == nil {
		return ""
	}
	app, err := s.appOf(ps)
	if err != nil || app == nil {
		return ""
	}
	return app.HandlersUnknown
}

// configOf returns the project's config.json tree (nil when missing or empty).
func (s *Server) configOf(ps *projectState) *jsonpos.Node {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.cfgDirty {
		src, err := s.readFile(ps.proj.ConfigPath)
		ps.cfgRoot = nil
		if err == nil {
			ps.cfgRoot, _ = jsonpos.Parse(src)
		}
		ps.cfgDirty = false
	}
	return ps.cfgRoot
}

// fileKind classifies a path for the features.
type fileKind int

const (
	kindOther fileKind = iota
	kindConfig
	kindPython
	kindGo
)

func classify(path string) fileKind {
	switch {
	case filepath.Base(path) == "config.json" && filepath.Base(filepath.Dir(path)) == ".chalice":
		return kindConfig
	case strings.HasSuffix(path, ".py"):
		return kindPython
	case strings.HasSuffix(path, ".go"):
		return kindGo
	}
	return kindOther
}

// docAnalysis caches what was computed for one version of an open document.
type docAnalysis struct {
	doc  *overlay.Document
	once sync.Once
	// config.json
	cfgRoot  *jsonpos.Node
	cfgDiags []diag.Diagnostic
	// pyDiags are rule findings for this Python file of a project (app.py,
	// chalicelib): duplicate logical IDs, S3 events, ...
	pyDiags []diag.Diagnostic
	// CDK source
	cdk *cdkFile
}

type analysisCache struct {
	mu sync.Mutex
	m  map[uri.URI]*docAnalysis
}

func (s *Server) analysis(d *overlay.Document) *docAnalysis {
	s.acache.mu.Lock()
	a := s.acache.m[d.URI]
	if a == nil || a.doc != d {
		a = &docAnalysis{doc: d}
		s.acache.m[d.URI] = a
	}
	s.acache.mu.Unlock()
	a.once.Do(func() { s.compute(a) })
	return a
}

func (s *Server) dropAnalysis(u uri.URI) {
	s.acache.mu.Lock()
	delete(s.acache.m, u)
	s.acache.mu.Unlock()
}

// compute runs the per-document analyses. It must stay fast: it runs for every
// keystroke (coalesced) and before completion/hover on a new version.
func (s *Server) compute(a *docAnalysis) {
	d := a.doc
	if ok, _ := d.Analyzable(); !ok {
		return
	}
	switch classify(d.Path) {
	case kindConfig:
		a.cfgRoot, a.cfgDiags = schema.CheckConfig(d.Content)
		if ps := s.projectForPath(d.Path); ps != nil {
			cfg, _ := s.configRules(ps, a.cfgRoot)
			a.cfgDiags = append(a.cfgDiags, cfg...)
			diag.Sort(a.cfgDiags)
		}
	case kindPython, kindGo:
		if ps := s.projectForPathNoCreate(d.Path); ps != nil && classify(d.Path) == kindPython {
			_, py := s.configRules(ps, s.configOf(ps))
			a.pyDiags = py[d.Path]
		}
		a.cdk = s.analyzeCDK(d)
	}
}
