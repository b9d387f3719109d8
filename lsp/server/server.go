// Package server implements the chalice-lsp language server (protocol.Server) on top
// of the analysis core and the feature packages: it owns the session state (open
// documents, workspace folders, the current analysis.Snapshot, published
// diagnostics), converts between LSP positions and byte offsets at the edges, and
// runs packaging.
//
// Threading: notifications are handled in wire order on the connection's read loop
// and only replace the snapshot and wake workers; requests run concurrently (see
// lsp/rpc), each on the one snapshot it takes at entry (snapshot.go), so a request
// never blocks an edit.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/lsp/jobs"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/lsp/progress"
	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Name and Version identify the server in initialize.
const Name = "chalice-lsp"

// Version is reported in serverInfo; the CLI may overwrite it at link time.
var Version = "dev"

// Options configure a Server.
type Options struct {
	// Packager runs `chalice package`; nil creates one with default options (cache
	// under the user cache directory).
	Packager *packager.Packager
	// CacheDir is passed to the default packager ("" = its default).
	CacheDir string
	// Debounce is the delay between a save and the packaging it triggers (default
	// 400ms): a burst of saves packages once.
	Debounce time.Duration
	// Env is extra environment for chalice runs (without a region the packager sets
	// AWS_DEFAULT_REGION to packager.DefaultRegion: chalice package needs a region, not credentials).
	Env map[string]string
}

// Server is one LSP session.
type Server struct {
	protocol.UnimplementedServer

	opts   Options
	client protocol.Client
	ctx    context.Context // session lifetime; cancelled on exit or disconnect
	cancel context.CancelFunc

	docs *overlay.Store
	ws   *workspace.Workspace
	pkgr *packager.Packager
	jobs *jobs.Runner

	initialized atomic.Bool
	shutdown    atomic.Bool
	exited      chan struct{}
	exitOnce    sync.Once
	bg          sync.WaitGroup // server-owned goroutines

	// Negotiated at initialize, read-only afterwards.
	enc   text.Encoding
	caps  clientCaps
	scaps structureCaps // structural features of config.json (structure.go)
	icaps appIDCaps     // logical IDs in app.py (appids.go)
	track *progress.Tracker

	// setMu serialises applySettings (the settings themselves are in the snapshot).
	setMu sync.Mutex

	// snap is the current analysis snapshot (snapshot.go); replaced, never
	// changed, by modify.
	snapMu sync.Mutex
	snap   *analysis.Snapshot

	// pkgPubMu serialises publishing the packaging diagnostics (publishPackaging).
	pkgPubMu sync.Mutex

	diags *diagStore

	acache analysisCache
	idComp idCompletionCache // the last logical-ID completion list

	anMu    sync.Mutex
	anDirty map[uri.URI]bool
	anWake  chan struct{}
	// changedAt holds when the latest didChange of a URI arrived, for the
	// didChange-to-diagnostics latency.
	changedAt map[uri.URI]time.Time

	lat latencies

	// skipped remembers the skipped-file warnings already logged (readFile).
	skipped sync.Map

	// noTemplateNoted: the log already said why definitions cannot reach a template.
	noTemplateNoted atomic.Bool
}

type clientCaps struct {
	workDoneProgress, showDocument, configuration, snippets bool
	pullDiagnostics, diagnosticRefresh, watchedFilesDynamic bool
	workspaceFolders                                        bool
	// editRangeDefault: the client takes completionList.itemDefaults.editRange.
	editRangeDefault bool
	// markdown: hover.contentFormat includes markdown (else hovers are plain text).
	markdown bool
	// completionDocs is completionItem.documentationFormat (nil: not declared, so
	// documentation is sent as a plain string).
	completionDocs []protocol.MarkupKind
	// Optional fields the server may only send when the client declared them.
	labelDetails, isPreferred, codeActionLiterals, diagnosticData bool
	diagnosticVersion                                             bool
	// codeLens: the client declared textDocument.codeLens (the server advertises
	// lenses only then). codeLensRefresh, inlayHintRefresh: workspace.codeLens /
	// workspace.inlayHint refreshSupport (refreshDependents).
	codeLens, codeLensRefresh, inlayHintRefresh bool
}

// New returns a server that talks to client. ctx bounds its background work.
func New(ctx context.Context, client protocol.Client, opts Options) *Server {
	ctx, cancel := context.WithCancel(ctx)
	if opts.Debounce == 0 {
		opts.Debounce = 400 * time.Millisecond
	}
	s := &Server{
		opts:   opts,
		client: client,
		ctx:    ctx,
		cancel: cancel,
		docs:   overlay.NewStore(),
		ws:     workspace.New(),
		jobs:   jobs.New(ctx, 1),
		exited: make(chan struct{}),
		enc:    text.UTF16,
	}
	s.pkgr = opts.Packager
	if s.pkgr == nil {
		s.pkgr = packager.New(packager.Options{CacheDir: opts.CacheDir, Logf: func(f string, a ...any) { s.logf(protocol.MessageTypeLog, "packager: "+f, a...) }})
	}
	s.snap = analysis.New(s.readDisk, nil, nil, settings.Defaults())
	s.diags = newDiagStore(s)
	s.track = progress.New(client, false)
	s.acache.m = map[uri.URI]*docAnalysis{}
	s.anDirty = map[uri.URI]bool{}
	s.changedAt = map[uri.URI]time.Time{}
	s.anWake = make(chan struct{}, 1)
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.analyzer()
	}()
	return s
}

// Lifecycle returns the hooks lsp/rpc's dispatcher uses.
func (s *Server) Lifecycle() rpc.Lifecycle {
	return rpc.Lifecycle{Initialized: s.initialized.Load, ShutDown: s.shutdown.Load}
}

// Exited is closed when the exit notification arrives.
func (s *Server) Exited() <-chan struct{} { return s.exited }

// ShutdownReceived reports whether shutdown came before exit (exit code 0).
func (s *Server) ShutdownReceived() bool { return s.shutdown.Load() }

// Close stops background work (packaging runs and their child processes) and waits
// for it to end.
func (s *Server) Close() {
	s.cancel()
	s.jobs.Close()
	s.diags.close()
	s.bg.Wait()
}

func (s *Server) currentSettings() settings.Settings { return s.snapshot().Settings() }

// logf sends a window/logMessage, filtered by the logLevel setting.
func (s *Server) logf(t protocol.MessageType, format string, args ...any) {
	level := s.currentSettings().LogLevel
	max := protocol.MessageTypeInfo
	switch level {
	case "error":
		max = protocol.MessageTypeError
	case "warning":
		max = protocol.MessageTypeWarning
	case "debug":
		max = protocol.MessageTypeLog
	}
	if t > max && t != protocol.MessageTypeLog || t == protocol.MessageTypeLog && max != protocol.MessageTypeLog {
		return
	}
	msg := fmt.Sprintf(format, args...)
	_ = s.client.LogMessage(context.WithoutCancel(s.ctx), &protocol.LogMessageParams{Type: t, Message: msg})
}

// Log is logf for lsp/rpc's dispatcher (an rpc.Logger).
func (s *Server) Log(t protocol.MessageType, format string, args ...any) { s.logf(t, format, args...) }

func (s *Server) showf(t protocol.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	_ = s.client.ShowMessage(context.WithoutCancel(s.ctx), &protocol.ShowMessageParams{Type: t, Message: msg})
}

// Initialize implements protocol.Server.
func (s *Server) Initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	c := p.Capabilities
	encoding := protocol.PositionEncodingKindUTF16
	if c.General != nil {
		// Prefer UTF-8 (our native byte offsets), then UTF-32; UTF-16 is mandatory.
		for _, want := range []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF32} {
			for _, e := range c.General.PositionEncodings {
				if e == want && encoding == protocol.PositionEncodingKindUTF16 {
					encoding = want
				}
			}
		}
	}
	switch encoding {
	case protocol.PositionEncodingKindUTF8:
		s.enc = text.UTF8
	case protocol.PositionEncodingKindUTF32:
		s.enc = text.UTF32
	}
	if w := c.Window; w != nil {
		s.caps.workDoneProgress = w.WorkDoneProgress != nil && *w.WorkDoneProgress
		s.caps.showDocument = w.ShowDocument != nil && w.ShowDocument.Support
	}
	if w := c.Workspace; w != nil {
		s.caps.configuration = w.Configuration != nil && *w.Configuration
		s.caps.workspaceFolders = w.WorkspaceFolders != nil && *w.WorkspaceFolders
		s.caps.watchedFilesDynamic = w.DidChangeWatchedFiles != nil && w.DidChangeWatchedFiles.DynamicRegistration != nil && *w.DidChangeWatchedFiles.DynamicRegistration
		s.caps.diagnosticRefresh = w.Diagnostics != nil && w.Diagnostics.RefreshSupport != nil && *w.Diagnostics.RefreshSupport
		s.caps.codeLensRefresh = w.CodeLens != nil && isTrue(w.CodeLens.RefreshSupport)
		s.caps.inlayHintRefresh = w.InlayHint != nil && isTrue(w.InlayHint.RefreshSupport)
	}
	// Helix (25.07) spells it workspace.diagnostic.refreshSupport; accept both so
	// results of background packaging reach it.
	s.caps.diagnosticRefresh = s.caps.diagnosticRefresh || helixDiagnosticRefresh(rpc.RawParams(ctx))
	if td := c.TextDocument; td != nil {
		if cc := td.Completion; cc != nil && cc.CompletionItem != nil {
			ci := cc.CompletionItem
			s.caps.snippets = isTrue(ci.SnippetSupport)
			s.caps.labelDetails = isTrue(ci.LabelDetailsSupport)
			s.caps.completionDocs = ci.DocumentationFormat
		}
		if td.Hover != nil {
			s.caps.markdown = slices.Contains(td.Hover.ContentFormat, protocol.MarkupKindMarkdown)
		}
		if ca := td.CodeAction; ca != nil {
			s.caps.isPreferred = isTrue(ca.IsPreferredSupport)
			// Present, even with an empty valueSet, means literals are understood; the
			// typed field cannot tell that from absent.
			s.caps.codeActionLiterals = len(ca.CodeActionLiteralSupport.CodeActionKind.ValueSet) > 0 ||
				rawHas(rpc.RawParams(ctx), "capabilities", "textDocument", "codeAction", "codeActionLiteralSupport")
		}
		s.caps.codeLens = td.CodeLens != nil
		s.caps.pullDiagnostics = td.Diagnostic != nil
		if s.caps.pullDiagnostics {
			s.caps.diagnosticData = isTrue(td.Diagnostic.DataSupport)
		} else if pd := td.PublishDiagnostics; pd != nil {
			s.caps.diagnosticData = isTrue(pd.DataSupport)
		}
		if pd := td.PublishDiagnostics; pd != nil {
			s.caps.diagnosticVersion = isTrue(pd.VersionSupport)
		}
		if cc := td.Completion; cc != nil && cc.CompletionList != nil {
			for _, d := range cc.CompletionList.ItemDefaults {
				if d == "editRange" {
					s.caps.editRangeDefault = true
				}
			}
		}
	}
	s.scaps = structureCapsOf(c)
	s.icaps = appIDCapsOf(c)
	s.track = progress.New(s.client, s.caps.workDoneProgress)

	st := settings.Defaults()
	problems := settings.ParseInitOptions(&st, p.InitializationOptions)
	s.modify(analysis.Changes{Settings: &st})

	folders, _ := p.WorkspaceFolders.Get()
	for _, f := range folders {
		if path := overlay.PathOf(f.URI); path != "" {
			s.ws.AddFolder(path)
		}
	}
	if len(folders) == 0 && p.RootURI != nil {
		if path := overlay.PathOf(*p.RootURI); path != "" {
			s.ws.AddFolder(path)
		}
	}
	s.workspaceChanged()
	if p.ProcessID != nil && *p.ProcessID > 0 {
		s.bg.Add(1)
		go func() {
			defer s.bg.Done()
			s.watchParent(int(*p.ProcessID))
		}()
	}

	yes := true
	incremental := protocol.TextDocumentSyncKindIncremental
	res := &protocol.InitializeResult{
		ServerInfo: protocol.ServerInfo{Name: Name, Version: protocol.NewOptional(Version)},
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: encoding,
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: &yes, Change: &incremental,
				Save: &protocol.SaveOptions{IncludeText: new(bool)},
			},
			CompletionProvider:     &protocol.CompletionOptions{TriggerCharacters: []string{`"`, `'`, ":", "("}},
			HoverProvider:          protocol.Boolean(true),
			DefinitionProvider:     protocol.Boolean(true),
			CodeActionProvider:     &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindSource}},
			ExecuteCommandProvider: protocol.ExecuteCommandOptions{Commands: Commands()},
			Workspace: &protocol.WorkspaceOptions{
				WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{Supported: &yes, ChangeNotifications: protocol.Boolean(true)},
			},
		},
	}
	s.advertiseStructure(&res.Capabilities)
	if s.caps.codeLens {
		res.Capabilities.CodeLensProvider = &protocol.CodeLensOptions{}
	}
	s.advertiseAppIDs(&res.Capabilities)
	if s.caps.pullDiagnostics {
		id := Name
		res.Capabilities.DiagnosticProvider = &protocol.DiagnosticOptions{Identifier: &id, InterFileDependencies: true}
	}
	s.initialized.Store(true)
	for _, pr := range problems {
		s.logf(protocol.MessageTypeWarning, "settings: %s", pr)
	}
	return res, nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// rawHas reports whether the JSON object raw has an object member at path.
func rawHas(raw []byte, path ...string) bool {
	for _, k := range path {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return false
		}
		v, ok := m[k]
		if !ok {
			return false
		}
		raw = v
	}
	return len(raw) > 0 && raw[0] == '{'
}

// helixDiagnosticRefresh reads Helix's misspelt workspace.diagnostic.refreshSupport
// from the raw initialize params.
func helixDiagnosticRefresh(raw []byte) bool {
	var p struct {
		Capabilities struct {
			Workspace struct {
				Diagnostic struct {
					RefreshSupport bool `json:"refreshSupport"`
				} `json:"diagnostic"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	return len(raw) > 0 && json.Unmarshal(raw, &p) == nil && p.Capabilities.Workspace.Diagnostic.RefreshSupport
}

// Initialized implements protocol.Server: fetch settings, register file watchers,
// and load what is known about each project.
func (s *Server) Initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx := s.ctx
		if s.caps.configuration {
			s.pullConfiguration(ctx)
		}
		if s.caps.watchedFilesDynamic {
			s.registerWatchers(ctx)
		}
		s.registerFormatting(ctx)
		n := len(s.ws.Projects())
		s.logf(protocol.MessageTypeInfo, "chalice-lsp %s: %d Chalice project(s), %d CDK app(s) in %d folder(s); position encoding %s; automatic packaging %v",
			Version, n, len(s.ws.CDKApps()), len(s.ws.Folders()), s.enc, s.currentSettings().AutomaticPackaging())
	}()
	return nil
}

// Shutdown implements protocol.Server.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdown.Store(true)
	s.cancel() // stop packaging now; exit follows
	return nil
}

// Exit implements protocol.Server.
func (s *Server) Exit(ctx context.Context) error {
	s.exitOnce.Do(func() { close(s.exited) })
	return nil
}

// SetTrace implements protocol.Server (tracing is the client's log; nothing to do).
func (s *Server) SetTrace(context.Context, *protocol.SetTraceParams) error { return nil }

// WorkDoneProgressCancel implements protocol.Server.
func (s *Server) WorkDoneProgressCancel(_ context.Context, p *protocol.WorkDoneProgressCancelParams) error {
	s.track.Cancel(p.Token)
	return nil
}

// Progress implements protocol.Server (clients do not send us progress).
func (s *Server) Progress(context.Context, *protocol.ProgressParams) error { return nil }

// Request implements protocol.Server for server-specific requests (lsp/rpc routes
// them here with params null or absent decoded as nil; "$/" methods never arrive).
func (s *Server) Request(ctx context.Context, method string, params any) (any, error) {
	switch method {
	case MethodLatencies:
		return s.lat.take(), nil
	case MethodStats:
		return s.pkgr.Stats(), nil
	}
	return nil, rpc.MethodNotFound(method)
}

// watchParent ends the session when the editor process that started us dies
// without closing our stdin (initialize's processId).
func (s *Server) watchParent(pid int) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if processGone(pid) {
				s.logf(protocol.MessageTypeWarning, "the editor process %d is gone; exiting", pid)
				s.exitOnce.Do(func() { close(s.exited) })
				return
			}
		}
	}
}

func pathOf(u uri.URI) string { return overlay.PathOf(u) }
