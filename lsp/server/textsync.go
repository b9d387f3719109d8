package server

import (
	"context"
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// DidOpen implements protocol.Server.
func (s *Server) DidOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	td := p.TextDocument
	d := s.docs.Open(td.URI, string(td.LanguageID), td.Version, td.Text)
	if s.ws.ProjectFor(d.Path) == nil {
		// config.json or app.py opened from outside the workspace folders: its
		// project joins the workspace (an event, never a side effect of analysis).
		if p := s.snapshot().ProjectFor(d.Path); p != nil && s.ws.EnsureProject(p.Dir) != nil {
			s.workspaceChanged()
		}
	}
	snap := s.modify(docChange(d))
	if ok, why := d.Analyzable(); !ok {
		s.logf(protocol.MessageTypeInfo, "not analyzing: %s", why)
		return nil
	}
	s.wakeAnalyzer(d.URI)
	s.packageOnOpen(snap, d.Path)
	return nil
}

// DidChange implements protocol.Server. It never packages: edits only update the
// overlay and wake the analyzer (diagnostics for this document).
func (s *Server) DidChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	received := time.Now()
	changes := make([]overlay.Change, 0, len(p.ContentChanges))
	for _, c := range p.ContentChanges {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangePartial:
			r := fromProtoRange(c.Range)
			changes = append(changes, overlay.Change{Range: &r, Text: c.Text})
		case *protocol.TextDocumentContentChangeWholeDocument:
			changes = append(changes, overlay.Change{Text: c.Text})
		}
	}
	d, err := s.docs.Change(p.TextDocument.URI, p.TextDocument.Version, changes, s.enc)
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "%v", err)
		return nil
	}
	s.modify(docChange(d))
	s.anMu.Lock()
	if _, ok := s.changedAt[d.URI]; !ok {
		s.changedAt[d.URI] = received
	}
	s.anMu.Unlock()
	s.wakeAnalyzer(d.URI)
	return nil
}

// DidSave implements protocol.Server: saving an input of a project schedules
// packaging (debounced).
func (s *Server) DidSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	path := pathOf(p.TextDocument.URI)
	s.packageOnSave(s.modify(analysis.Changes{Disk: []string{path}}), path)
	return nil
}

// DidClose implements protocol.Server.
func (s *Server) DidClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	u := p.TextDocument.URI
	path := pathOf(u)
	s.docs.Close(u)
	s.dropAnalysis(u)
	s.anMu.Lock()
	delete(s.changedAt, u)
	s.anMu.Unlock()
	s.modify(analysis.Changes{Closed: []string{path}}) // the disk content is the truth again
	// Our own per-document diagnostics go away with the document; packaging
	// diagnostics stay (they describe the project, not the buffer).
	s.diags.setIf(u, 0, map[string][]protocol.Diagnostic{srcConfig: nil, srcCDK: nil}, nil)
	return nil
}

// DidChangeWatchedFiles implements protocol.Server.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	for _, ev := range p.Changes {
		path := pathOf(ev.URI)
		if path == "" {
			continue
		}
		if s.ws.FileChanged(path) {
			s.logf(protocol.MessageTypeInfo, "projects: %d Chalice project(s), %d CDK app(s)", len(s.ws.Projects()), len(s.ws.CDKApps()))
			s.workspaceChanged()
		}
		s.modify(analysis.Changes{Disk: []string{path}})
	}
	return nil
}

// DidChangeWorkspaceFolders implements protocol.Server.
func (s *Server) DidChangeWorkspaceFolders(ctx context.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	for _, f := range p.Event.Removed {
		if path := pathOf(f.URI); path != "" {
			s.ws.RemoveFolder(path)
		}
	}
	for _, f := range p.Event.Added {
		if path := pathOf(f.URI); path != "" {
			s.ws.AddFolder(path)
		}
	}
	s.workspaceChanged()
	return nil
}

// DidChangeConfiguration implements protocol.Server. Clients either send the new
// settings or nothing (then we pull them); either way they apply at once.
func (s *Server) DidChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	raw := strings.TrimSpace(string(p.Settings))
	if raw == "" || raw == "null" || raw == "{}" {
		if s.caps.configuration {
			go s.pullConfiguration(s.ctx)
		}
		return nil
	}
	s.applySettings(func(st *settings.Settings) []string { return settings.ParseSection(st, p.Settings) })
	return nil
}

// pullConfiguration asks the client for the "chalice" section.
func (s *Server) pullConfiguration(ctx context.Context) {
	sec := settings.Section
	res, err := s.client.Configuration(ctx, &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &sec}}})
	if err != nil || len(res) == 0 {
		if err != nil && ctx.Err() == nil {
			s.logf(protocol.MessageTypeLog, "workspace/configuration: %v", err)
		}
		return
	}
	s.applySettings(func(st *settings.Settings) []string { return settings.ParseSection(st, res[0]) })
}

func (s *Server) applySettings(apply func(*settings.Settings) []string) {
	s.setMu.Lock()
	before := s.currentSettings()
	st := before
	problems := apply(&st)
	snap := s.modify(analysis.Changes{Settings: &st})
	s.setMu.Unlock()
	for _, p := range problems {
		s.logf(protocol.MessageTypeWarning, "settings: %s", p)
	}
	s.logf(protocol.MessageTypeInfo, "settings applied: python=%q automaticPackaging=%v stage=%q timeout=%s container=%v logLevel=%s",
		st.Python, st.AutomaticPackaging(), st.EffectiveStage(), st.PackageTimeout, st.UseContainer, st.LogLevel)
	runner := before.Python != st.Python || before.PackageTimeout != st.PackageTimeout ||
		before.UseContainer != st.UseContainer || before.ContainerImage != st.ContainerImage
	if !before.AutomaticPackaging() && st.AutomaticPackaging() || st.AutomaticPackaging() && runner {
		// Packaging was just enabled, or how chalice runs changed (the usual fix
		// for a "chalice is not installed" failure): package what is open now.
		// Unchanged inputs and runner settings are answered by the packager's cache.
		for _, d := range s.docs.All() {
			s.packageOnOpen(snap, d.Path)
		}
	}
}

// reanalyzeOpen recomputes diagnostics of every open document.
func (s *Server) reanalyzeOpen() {
	for _, d := range s.docs.All() {
		s.wakeAnalyzer(d.URI)
	}
}

// registerWatchers asks the client to tell us about files that change Chalice
// projects and CDK apps outside the editor (git checkout, codegen).
func (s *Server) registerWatchers(ctx context.Context) {
	globs := []string{"**/.chalice/config.json", "**/app.py", "**/chalicelib/**/*.py", "**/requirements.txt", "**/cdk.json", "**/.chalice/*.json"}
	var ws []protocol.FileSystemWatcher
	for _, g := range globs {
		ws = append(ws, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
	}
	opts, err := protocol.Marshal(protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: ws})
	if err != nil {
		return
	}
	err = s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "chalice-lsp-watch", Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: opts,
	}}})
	if err != nil && ctx.Err() == nil {
		s.logf(protocol.MessageTypeLog, "could not register file watchers: %v", err)
	}
}

// wakeAnalyzer queues u for (re)analysis and diagnostics publishing.
func (s *Server) wakeAnalyzer(u uri.URI) {
	s.anMu.Lock()
	s.anDirty[u] = true
	s.anMu.Unlock()
	select {
	case s.anWake <- struct{}{}:
	default:
	}
}

// analyzerWorkers bounds how many documents are analysed at once.
const analyzerWorkers = 4

// analyzer publishes diagnostics for queued documents. Each document is analysed
// in its own goroutine (at most analyzerWorkers at a time, one per document), so
// a slow document never holds back the others. Coalescing: while a document is
// analysed, new versions only mark it dirty again, so a fast typist costs one
// analysis per pause, not per keystroke; a result for a superseded version is
// dropped (analyzeNow).
func (s *Server) analyzer() {
	sem := make(chan struct{}, analyzerWorkers)
	running := map[uri.URI]bool{} // guarded by anMu
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.anWake:
		}
		s.anMu.Lock()
		batch := s.anDirty
		s.anDirty = map[uri.URI]bool{}
		for u := range batch {
			if running[u] {
				s.anDirty[u] = true // again when the running analysis ends
				continue
			}
			running[u] = true
			go func() {
				select {
				case sem <- struct{}{}:
				case <-s.ctx.Done():
					return
				}
				if d := s.docs.Get(u); d != nil && s.ctx.Err() == nil {
					s.analyzeNow(s.snapshotFor(d), d)
				}
				<-sem
				s.anMu.Lock()
				delete(running, u)
				again := s.anDirty[u]
				s.anMu.Unlock()
				if again {
					s.wakeAnalyzer(u)
				}
			}()
		}
		s.anMu.Unlock()
	}
}

// superseded reports whether d is no longer the open version of its document (a
// newer version arrived, or it was closed): its diagnostics would be stale.
func (s *Server) superseded(d *overlay.Document) bool {
	return s.ctx.Err() != nil || s.docs.Get(d.URI) != d
}

// analyzeNow computes (or reuses) the analysis of d on snap (snapshotFor d) and
// publishes its diagnostics.
func (s *Server) analyzeNow(snap *analysis.Snapshot, d *overlay.Document) {
	a := s.analysis(snap, d)
	m := d.Mapper()
	// The latency sample is taken before publishing, so a client that has seen the
	// publish finds it in chalice-lsp/latencies (recorded after, the last edit's
	// sample could be missing).
	s.anMu.Lock()
	at, ok := s.changedAt[d.URI]
	delete(s.changedAt, d.URI)
	s.anMu.Unlock()
	if ok {
		s.lat.record("diagnostics", time.Since(at))
	}
	if s.superseded(d) {
		return
	}
	current := func() bool { return !s.superseded(d) }
	switch classify(d.Path) {
	case kindConfig:
		s.diags.setIf(d.URI, d.Version, map[string][]protocol.Diagnostic{srcConfig: s.toDiagnostics(m, a.cfgDiags, "chalice")}, current)
	case kindPython, kindGo:
		// Every analysis replaces the previous result, "no construct" included:
		// deleting the construct call removes its diagnostics.
		// One publish per analysis: the CDK findings and a project file's rule
		// findings (duplicate logical IDs, S3 events) arrive together.
		bySource := map[string][]protocol.Diagnostic{srcCDK: s.toDiagnostics(m, a.cdkDiags, "chalice")}
		if a.pyDiags != nil || classify(d.Path) == kindPython && snap.ProjectFor(d.Path) != nil {
			bySource[srcConfig] = s.toDiagnostics(m, a.pyDiags, "chalice")
		}
		s.diags.setIf(d.URI, d.Version, bySource, current)
	}
}
