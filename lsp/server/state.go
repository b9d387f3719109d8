package server

import (
	"sync"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/uri"
)

// File kinds (analysis.Classify).
const (
	kindOther  = analysis.KindOther
	kindConfig = analysis.KindConfig
	kindPython = analysis.KindPython
	kindGo     = analysis.KindGo
)

func classify(path string) analysis.FileKind { return analysis.Classify(path) }

// analyzable: d is small enough and text (big or binary files get no features).
func analyzable(d *overlay.Document) bool {
	ok, _ := d.Analyzable()
	return ok
}

// docAnalysis caches what was computed for one version of an open document.
type docAnalysis struct {
	doc *overlay.Document
	// snap is the snapshot the analysis is computed on: an analysis of the same
	// document version on an older snapshot (one taken before another file's
	// change invalidated this one) must not be reused.
	snap *analysis.Snapshot
	once sync.Once
	// config.json
	cfgRoot  *jsonpos.Node
	cfgDiags []diag.Diagnostic
	// pyDiags are rule findings for this Python file of a project (app.py,
	// chalicelib): duplicate logical IDs, S3 events, ...
	pyDiags []diag.Diagnostic
	// CDK source
	cdkDiags []diag.Diagnostic
}

type analysisCache struct {
	mu sync.Mutex
	m  map[uri.URI]*docAnalysis
}

// analysis returns the analysis of d computed on snap (a snapshot holding d:
// snapshotFor), reusing the cached one only when it is of the same version on the
// same snapshot: every change installs a new snapshot, so a change invalidates
// every cached analysis (an analysis that took its snapshot just before a change
// and stored its result just after is not reused either). DidClose drops the
// entry of a closed document.
func (s *Server) analysis(snap *analysis.Snapshot, d *overlay.Document) *docAnalysis {
	s.acache.mu.Lock()
	a := s.acache.m[d.URI]
	if a == nil || a.doc != d || a.snap != snap {
		a = &docAnalysis{doc: d, snap: snap}
		// Only the open version is cached: an analysis that runs after the document
		// was closed or replaced (a background job finishing late) leaves nothing
		// behind. DidClose removes the document before it drops the cache entry, and
		// this check runs under the cache lock, so the two cannot interleave badly.
		if s.docs.Get(d.URI) == d {
			s.acache.m[d.URI] = a
		}
	}
	s.acache.mu.Unlock()
	a.once.Do(func() { compute(snap, a) })
	return a
}

func (s *Server) dropAnalysis(u uri.URI) {
	s.acache.mu.Lock()
	delete(s.acache.m, u)
	s.acache.mu.Unlock()
}

// compute runs the per-document analyses (analysis.Analyze). It must stay fast:
// it runs for every keystroke (coalesced). Completion and hover do not wait for
// it: they use the snapshot's memoised CDK analysis (cdkOf).
func compute(snap *analysis.Snapshot, a *docAnalysis) {
	d := a.doc
	if !analyzable(d) {
		return
	}
	f := analysis.Analyze(snap, d.Path)
	a.cfgRoot, a.cfgDiags, a.pyDiags = f.ConfigRoot, f.Config, f.Config
	if classify(d.Path) == kindConfig {
		a.pyDiags = nil
	} else {
		a.cfgDiags = nil
	}
	a.cdkDiags = f.CDK
}
