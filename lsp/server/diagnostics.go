package server

import (
	"context"
	"slices"
	"sort"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Diagnostic sources. Each is computed independently and replaced as a whole; a
// URI's published list is the merge of all sources (CloudFormation LS's
// DiagnosticCoordinator idea), so packaging results never erase schema results.
const (
	srcConfig  = "chalice-config" // config.json: syntax, schema, semantic rules
	srcCDK     = "chalice-cdk"    // CDK code: stage_config literal, logical IDs
	srcPackage = "chalice-package"
)

// diagStore keeps diagnostics per URI and source and publishes the merge.
type diagStore struct {
	s        *Server
	mu       sync.Mutex
	bySource map[uri.URI]map[string][]protocol.Diagnostic
	versions map[uri.URI]int32
	pubMu    sync.Mutex // serializes publishing so a URI's lists arrive in order
}

func newDiagStore(s *Server) *diagStore {
	return &diagStore{s: s, bySource: map[uri.URI]map[string][]protocol.Diagnostic{}, versions: map[uri.URI]int32{}}
}

func (d *diagStore) close() {}

// set replaces source's diagnostics for u (version 0 = not tied to a version) and
// publishes the merge unless the client pulls diagnostics.
func (d *diagStore) set(u uri.URI, version int32, source string, ds []protocol.Diagnostic) {
	d.setIf(u, version, map[string][]protocol.Diagnostic{source: ds}, nil)
}

// setIf replaces the diagnostics of every source in bySource for u (an empty list
// removes the source) and publishes the merge once, so a client never sees a
// version's list with one source updated and another not yet. It does so only
// when current (checked under the publishing lock, which DidClose's clearing also
// takes) still holds: an analysis of a version that was replaced or closed
// meanwhile must not publish, nor leave state behind for a closed file.
func (d *diagStore) setIf(u uri.URI, version int32, bySource map[string][]protocol.Diagnostic, current func() bool) {
	d.pubMu.Lock()
	defer d.pubMu.Unlock()
	if current != nil && !current() {
		return
	}
	d.mu.Lock()
	m := d.bySource[u]
	if m == nil {
		m = map[string][]protocol.Diagnostic{}
		d.bySource[u] = m
	}
	for source, ds := range bySource {
		if len(ds) == 0 {
			delete(m, source)
		} else {
			m[source] = ds
		}
	}
	if version != 0 {
		d.versions[u] = version
	}
	merged := d.mergedLocked(u)
	ver := d.versions[u]
	if len(m) == 0 {
		// Nothing left for u (say, it was closed): forget it, so per-file state
		// does not grow with every file ever opened.
		delete(d.bySource, u)
		delete(d.versions, u)
	}
	d.mu.Unlock()
	if d.s.caps.pullDiagnostics {
		return
	}
	p := &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: d.s.forClient(d.s.withProjectSettings(u, merged))}
	if ver != 0 && d.s.caps.diagnosticVersion {
		p.Version = protocol.NewOptional(ver)
	}
	_ = d.s.client.PublishDiagnostics(context.WithoutCancel(d.s.ctx), p)
}

// urisWith lists URIs that have diagnostics from source.
func (d *diagStore) urisWith(source string) []uri.URI {
	d.mu.Lock()
	defer d.mu.Unlock()
	var us []uri.URI
	for u, m := range d.bySource {
		if _, ok := m[source]; ok {
			us = append(us, u)
		}
	}
	return us
}

// version is the document version u's diagnostics were last computed for.
func (d *diagStore) version(u uri.URI) int32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.versions[u]
}

func (d *diagStore) merged(u uri.URI) []protocol.Diagnostic {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.mergedLocked(u)
}

func (d *diagStore) mergedLocked(u uri.URI) []protocol.Diagnostic {
	m := d.bySource[u]
	srcs := make([]string, 0, len(m))
	for k := range m {
		srcs = append(srcs, k)
	}
	sort.Strings(srcs)
	out := []protocol.Diagnostic{}
	for _, k := range srcs {
		out = append(out, m[k]...)
	}
	slices.SortStableFunc(out, func(a, b protocol.Diagnostic) int {
		if a.Range.Start.Line != b.Range.Start.Line {
			return int(a.Range.Start.Line) - int(b.Range.Start.Line)
		}
		return int(a.Range.Start.Character) - int(b.Range.Start.Character)
	})
	return out
}

// Diagnostic implements pull diagnostics (textDocument/diagnostic): the current
// merge for the document, computed now if the document changed since.
func (s *Server) Diagnostic(ctx context.Context, p *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	if snap, d := s.view(p.TextDocument.URI); d != nil {
		s.analyzeNow(snap, d)
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", Items: s.forClient(s.withProjectSettings(p.TextDocument.URI, s.diags.merged(p.TextDocument.URI)))},
	}, nil
}

// refreshPulled asks a pull-mode client to re-pull after background results.
func (s *Server) refreshPulled() {
	if s.caps.pullDiagnostics && s.caps.diagnosticRefresh {
		go func() { _ = s.client.DiagnosticRefresh(s.ctx) }()
	}
}
