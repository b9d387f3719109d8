package server

import (
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"sync"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/uri"
)

// projectState is the server's packaging bookkeeping for one Chalice project
// (what the analysis needs of it is in the snapshot: analysis.Packaging). Fields
// are guarded by mu.
type projectState struct {
	proj *workspace.Project

	mu sync.Mutex
	// packages holds the last packaging outcome per stage/stage_config key.
	packages map[string]*pkgState
	// pkgDiagURIs are files outside the project holding its packaging
	// diagnostics (a CDK file whose stage_config caused the failure).
	pkgDiagURIs map[uri.URI]bool
}

// pkgState is the packaging history of one (project, stage, stage config).
type pkgState struct {
	Stage string
	// Result is the last successful packaging; kept when a later run fails.
	Result *packager.Result
	// Stale is true when a run failed after Result was produced (edits since
	// are tracked by the snapshot: analysis.Packaging.Stale).
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
	if ps == nil {
		ps = &projectState{proj: p, packages: map[string]*pkgState{}}
		s.projects[p.Dir] = ps
	}
	return ps
}

// projectForPath returns the state of the project containing path: a project
// of the workspace, else the one next to the file (a config.json or app.py
// opened from outside the workspace folders; DidOpen adds it to the workspace).
// Nothing is registered in the workspace here.
func (s *Server) projectForPath(path string) *projectState {
	if p := s.snapshot().ProjectFor(path); p != nil {
		return s.project(p)
	}
	return nil
}

// appOf returns the project's parsed app in the current snapshot. Never nil
// when err is nil.
func (s *Server) appOf(ps *projectState) (*appmodel.App, error) {
	return s.snapshot().App(ps.proj)
}

// functionsOf lists the config-level function names of the project's app.
func (s *Server) functionsOf(ps *projectState) []string {
	if ps == nil {
		return nil
	}
	return s.snapshot().Functions(ps.proj)
}

// functionsUnknownOf says why the project's handler set cannot be known ("" when
// it can, or when app.py cannot be read).
func (s *Server) functionsUnknownOf(ps *projectState) string {
	if ps == nil {
		return ""
	}
	return s.snapshot().FunctionsUnknown(ps.proj)
}

// configOf returns the project's config.json tree (nil when missing or empty).
func (s *Server) configOf(ps *projectState) *jsonpos.Node {
	return s.snapshot().Config(ps.proj)
}

// File kinds (analysis.Classify).
const (
	kindOther  = analysis.KindOther
	kindConfig = analysis.KindConfig
	kindPython = analysis.KindPython
	kindGo     = analysis.KindGo
)

func classify(path string) analysis.FileKind { return analysis.Classify(path) }

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
	cdk      *cdkFile
	cdkDiags []diag.Diagnostic
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
		// Only the open version is cached: an analysis that runs after the document
		// was closed or replaced (a background job finishing late) leaves nothing
		// behind. DidClose removes the document before it drops the cache entry, and
		// this check runs under the cache lock, so the two cannot interleave badly.
		if s.docs.Get(d.URI) == d {
			s.acache.m[d.URI] = a
		}
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

// compute runs the per-document analyses on the current snapshot. It must stay
// fast: it runs for every keystroke (coalesced) and before completion/hover on a
// new version.
func (s *Server) compute(a *docAnalysis) {
	d := a.doc
	if ok, _ := d.Analyzable(); !ok {
		return
	}
	snap := s.snapshot()
	if sd := snap.Document(d.Path); sd == nil || sd.Version != d.Version || len(sd.Content) != len(d.Content) {
		// A request saw this version before its didChange reached the
		// snapshot: analyse it on the snapshot plus this version.
		snap, _ = snap.Modify(docChange(d))
	}
	f := analysis.Analyze(snap, d.Path)
	a.cfgRoot, a.cfgDiags, a.pyDiags = f.ConfigRoot, f.Config, f.Config
	if classify(d.Path) == kindConfig {
		a.pyDiags = nil
	} else {
		a.cfgDiags = nil
	}
	a.cdkDiags = f.CDK
	if f.CDKFile != nil {
		a.cdk = s.cdkFileOf(d, f.CDKFile)
	}
}
