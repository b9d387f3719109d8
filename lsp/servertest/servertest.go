// Package servertest runs the language server in process (lsp.Serve over
// in-memory pipes) on a workspace written inline, with the expectations marked in
// the documents themselves. It talks only LSP, so its tests hold whatever the
// server's insides look like; lsp/lsptest keeps the tests that need the built
// binary and real stdio. Helpers: Start (Config: settings, trust, capabilities,
// encodings), Session.Open / Create, Doc.Edit / Expect, Doc.WantDiagnostics,
// WantCompletion, WantHover, WantDefinition, CodeActions, InlayHints; the raw
// protocol.Server is Session.Server. ArchiveDir turns a testdata folder into an
// archive.
//
// A workspace is an archive: each file starts at a line "-- path --".
//
//	-- webapp/.chalice/config.json --
//	{"version": "2.0", "app_name": "webapp", ⟦!unknown-key|"lamda_timeout"⟧: 3,
//	 "stages": {"dev": {"⟨key⟩"}}}
//	-- webapp/app.py --
//	from chalice import Chalice
//	app = Chalice(app_name='webapp')
//	@app.route('/')
//	def ⟦index|index⟧():
//	    return {}
//
// Markers, taken out before the file is written or sent:
//
//	⟨name⟩           a position (completion, hover, definition, ...), zero width
//	⟦name|text⟧      a named range covering text (a definition target, a code-action range)
//	⟦!code|text⟧     a diagnostic with that code is expected on exactly text
//	⟦!code:warning|text⟧  ... with that severity (error, warning, information, hint)
//
// Labels may combine, separated by spaces (⟦!wrong-type val|"big"⟧). Ranges nest and
// points may sit inside them; names are unique per file. A range name also works
// where a position is wanted (its start).
//
// Doc.WantDiagnostics compares what the server published for the document's
// current version with its ⟦!…⟧ markers: codes and exact ranges (severity when
// marked), nothing more and nothing less; on a mismatch it prints the document
// annotated with what was published, in the same notation. Waiting is by
// protocol, never by time: the client declares versionSupport and waits for a
// publish of the document's current version that matches (the server publishes
// each diagnostic source as it completes, so one version may be published more
// than once; see diagnostics.go). The deadline only guards against a hang. A file
// whose diagnostics change because another file changed keeps its version: give
// it new expectations with Doc.Expect, then WantDiagnostics.
package servertest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp"
	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Timeout bounds every request and wait: a hung server fails the test instead of
// hanging it. It is a guard, not a performance assertion.
var Timeout = time.Minute

// Config configures a session. The zero value is an untrusted workspace with
// default settings and a client with the usual capabilities (markdown hover,
// code-action literals, completion itemDefaults.editRange, no snippets).
type Config struct {
	// Settings are the "chalice" settings, sent in initializationOptions (so they
	// apply before the first analysis), or with Configuration as the answer to
	// workspace/configuration.
	Settings map[string]any
	// Configuration makes the client offer workspace/configuration (and file
	// watching) and answer it with Settings instead of sending them in
	// initializationOptions; the server then applies them after initialized.
	Configuration bool
	// Trusted sets initializationOptions.workspaceTrusted.
	Trusted bool
	// PositionEncodings offered by the client (nil: only the default UTF-16).
	PositionEncodings []protocol.PositionEncodingKind
	// Capabilities adjusts the client capabilities before initialize.
	Capabilities func(*protocol.ClientCapabilities)
	// Env is added to the environment of chalice runs.
	Env map[string]string
	// MessageAnswer is the action the client picks in window/showMessageRequest
	// ("" dismisses it).
	MessageAnswer string
}

// Session is a server running in process on a temporary workspace.
type Session struct {
	T      testing.TB
	Server protocol.Server
	// Root is the workspace folder (the archive's files are below it).
	Root string
	// Init is the server's initialize result.
	Init  *protocol.InitializeResult
	Files map[string]*Marked // the archive's files by path
	enc   text.Encoding
	cfg   Config

	mu      sync.Mutex
	changed *sync.Cond
	pushed  pushed
	done    chan error
	docs    []*Doc // every Doc opened
	changes int    // workspace changes sent so far (open, edit, close, files created)
}

// pushed is what the server sent to the client.
type pushed struct {
	diags         map[uri.URI]publish
	first         map[uri.URI]publish // the first publish of each URI's latest version
	publishes     int                 // publishDiagnostics notifications
	logs          []string
	messages      []string       // window/showMessage
	prompts       []string       // window/showMessageRequest
	refreshes     map[string]int // workspace/*/refresh requests by method
	registrations []string       // dynamically registered methods
	shownDocs     []string
	progressed    []string // titles of finished work-done progress
	open          map[string]string
}

type publish struct {
	version int32 // 0: the server sent none
	diags   []protocol.Diagnostic
}

// Start writes the archive below a new temporary directory, starts lsp.Serve on
// in-memory pipes with a temporary cache directory, and initializes a session
// with that directory as the only workspace folder. The session is shut down
// (shutdown, exit) at the end of the test, and Serve must return nil.
func Start(t testing.TB, archive string, cfg Config) *Session {
	t.Helper()
	files, err := ParseArchive(archive)
	if err != nil {
		t.Fatalf("archive: %v", err)
	}
	root := t.TempDir()
	s := &Session{T: t, Root: root, Files: map[string]*Marked{}, cfg: cfg, done: make(chan error, 1)}
	s.changed = sync.NewCond(&s.mu)
	s.pushed = pushed{diags: map[uri.URI]publish{}, first: map[uri.URI]publish{}, open: map[string]string{}, refreshes: map[string]int{}}
	for _, f := range files {
		s.Files[f.Path] = f.Marked
		full := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(f.Text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cacheDir := t.TempDir() // before the cleanup below, which must run first
	clientIn, serverOut := io.Pipe()
	serverIn, clientOut := io.Pipe()
	go func() {
		err := lsp.Serve(context.Background(), serverIn, serverOut, lsp.Options{CacheDir: cacheDir, Env: cfg.Env})
		serverOut.Close()
		serverIn.Close()
		s.done <- err
		s.mu.Lock()
		s.changed.Broadcast()
		s.mu.Unlock()
	}()
	conn := jsonrpc2.NewConn(rpc.NewStream(clientIn, clientOut, nil), jsonrpc2.WithCodec(rpc.Codec{}))
	handler := protocol.ClientHandler(&client{s: s}, jsonrpc2.MethodNotFoundHandler)
	conn.Go(context.Background(), protocol.CancelHandler(func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			// Answer server-to-client requests off the read loop, so a request
			// never waits for a notification queued behind it.
			jsonrpc2.Async(ctx)
		}
		return handler(ctx, req)
	}))
	s.Server = protocol.ServerDispatcher(conn)
	t.Cleanup(func() {
		s.recheck()
		s.stop()
		conn.Close()
		if t.Failed() {
			s.mu.Lock()
			t.Logf("server log:\n%s", strings.Join(s.pushed.logs, "\n"))
			s.mu.Unlock()
		}
	})
	s.initialize()
	return s
}

func (s *Session) initialize() {
	s.T.Helper()
	yes, no := true, false
	caps := protocol.ClientCapabilities{
		Window: &protocol.WindowClientCapabilities{WorkDoneProgress: &yes, ShowDocument: &protocol.ShowDocumentClientCapabilities{Support: true}},
		Workspace: &protocol.WorkspaceClientCapabilities{
			WorkspaceFolders: &yes,
			Configuration:    &s.cfg.Configuration,
		},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Completion: &protocol.CompletionClientCapabilities{
				CompletionItem: &protocol.ClientCompletionItemOptions{SnippetSupport: &no},
				CompletionList: &protocol.CompletionListCapabilities{ItemDefaults: []string{"editRange"}},
			},
			Hover: &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindMarkdown}},
			CodeAction: &protocol.CodeActionClientCapabilities{
				CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{CodeActionKind: protocol.ClientCodeActionKindOptions{
					ValueSet: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindSource}}},
				IsPreferredSupport: &yes,
			},
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{
				VersionSupport:          &yes,
				DiagnosticsCapabilities: protocol.DiagnosticsCapabilities{DataSupport: &yes},
			},
		},
	}
	if len(s.cfg.PositionEncodings) > 0 {
		caps.General = &protocol.GeneralClientCapabilities{PositionEncodings: s.cfg.PositionEncodings}
	}
	if s.cfg.Capabilities != nil {
		s.cfg.Capabilities(&caps)
	}
	opts := map[string]any{"workspaceTrusted": s.cfg.Trusted}
	if s.cfg.Configuration {
		caps.Workspace.DidChangeWatchedFiles = &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: &yes}
	} else if s.cfg.Settings != nil {
		opts["settings"] = s.cfg.Settings
	}
	raw, err := json.Marshal(opts)
	if err != nil {
		s.T.Fatal(err)
	}
	p := &protocol.InitializeParams{Capabilities: caps, InitializationOptions: raw}
	p.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(s.Root), Name: filepath.Base(s.Root)}})
	res, err := s.Server.Initialize(s.ctx(), p)
	if err != nil {
		s.T.Fatalf("initialize: %v", err)
	}
	s.Init = res
	switch res.Capabilities.PositionEncoding {
	case protocol.PositionEncodingKindUTF8:
		s.enc = text.UTF8
	case protocol.PositionEncodingKindUTF32:
		s.enc = text.UTF32
	default:
		s.enc = text.UTF16
	}
	if err := s.Server.Initialized(s.ctx(), &protocol.InitializedParams{}); err != nil {
		s.T.Fatalf("initialized: %v", err)
	}
}

// stop sends shutdown and exit unless Serve already returned, and requires Serve
// to return nil.
func (s *Session) stop() {
	select {
	case err := <-s.done:
		s.done <- err
		return
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := s.Server.Shutdown(ctx); err != nil {
		s.T.Errorf("shutdown: %v", err)
	}
	_ = s.Server.Exit(ctx)
	select {
	case err := <-s.done:
		if err != nil {
			s.T.Errorf("Serve after shutdown and exit: %v, want nil", err)
		}
	case <-time.After(Timeout):
		s.T.Errorf("Serve did not return after shutdown and exit")
	}
}

func (s *Session) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	s.T.Cleanup(cancel)
	return ctx
}

// Create writes more archive files to disk (after Start, as another tool
// would) and tells the server with workspace/didChangeWatchedFiles, as a client
// watching the workspace does. Their markers join Files.
func (s *Session) Create(archive string) {
	s.T.Helper()
	files, err := ParseArchive(archive)
	if err != nil {
		s.T.Fatalf("archive: %v", err)
	}
	s.noteChange()
	var events []protocol.FileEvent
	for _, f := range files {
		full := s.Path(f.Path)
		typ := protocol.FileChangeTypeCreated
		if _, err := os.Stat(full); err == nil {
			typ = protocol.FileChangeTypeChanged
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			s.T.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(f.Text), 0o644); err != nil {
			s.T.Fatal(err)
		}
		s.Files[f.Path] = f.Marked
		events = append(events, protocol.FileEvent{URI: uri.File(full), Type: typ})
	}
	if err := s.Server.DidChangeWatchedFiles(s.ctx(), &protocol.DidChangeWatchedFilesParams{Changes: events}); err != nil {
		s.T.Fatalf("didChangeWatchedFiles: %v", err)
	}
}

// Path returns the absolute path of an archive path.
func (s *Session) Path(name string) string {
	return filepath.Join(s.Root, filepath.FromSlash(name))
}

// URI returns the URI of an archive path.
func (s *Session) URI(name string) uri.URI { return uri.File(s.Path(name)) }

// Rel returns the archive path (slash-separated, relative to Root) of a URI
// below the workspace, else the URI's file path.
func (s *Session) Rel(u uri.URI) string {
	p := u.FsPath()
	if rel, err := filepath.Rel(s.Root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

// Encoding is the negotiated position encoding.
func (s *Session) Encoding() text.Encoding { return s.enc }

// Doc is an open document.
type Doc struct {
	s       *Session
	Name    string // archive path
	URI     uri.URI
	Version int32
	*Marked
	checked *checked // the last WantDiagnostics match
}

// changed counts a change of the workspace the server sees (see recheck).
func (s *Session) noteChange() {
	s.mu.Lock()
	s.changes++
	s.mu.Unlock()
}

// Open opens an archive file with its content (as written to disk).
func (s *Session) Open(name string) *Doc {
	s.T.Helper()
	m := s.Files[name]
	if m == nil {
		s.T.Fatalf("%s is not in the archive", name)
	}
	d := &Doc{s: s, Name: name, URI: s.URI(name), Version: 1, Marked: m}
	s.mu.Lock()
	s.docs = append(s.docs, d)
	s.mu.Unlock()
	s.noteChange()
	lang := "json"
	switch filepath.Ext(name) {
	case ".py":
		lang = "python"
	case ".go":
		lang = "go"
	}
	err := s.Server.DidOpen(s.ctx(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: d.URI, LanguageID: protocol.LanguageKind(lang), Version: d.Version, Text: m.Text}})
	if err != nil {
		s.T.Fatalf("didOpen %s: %v", name, err)
	}
	return d
}

// Edit replaces the document's text with marked (markers parsed as in an
// archive file), sent as one incremental change covering the part that differs,
// as editors send it. The document's markers are the new text's from now on.
func (d *Doc) Edit(marked string) {
	d.s.T.Helper()
	m, err := Parse(marked)
	if err != nil {
		d.s.T.Fatalf("edit of %s: %v", d.Name, err)
	}
	old, content := d.Text, m.Text
	pre := 0
	for pre < len(old) && pre < len(content) && old[pre] == content[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(content)-pre && old[len(old)-1-suf] == content[len(content)-1-suf] {
		suf++
	}
	r := d.s.protoRange(old, Span{pre, len(old) - suf})
	d.s.noteChange()
	d.Version++
	d.Marked = m
	err = d.s.Server.DidChange(d.s.ctx(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: d.URI}, Version: d.Version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: r, Text: content[pre : len(content)-suf]}},
	})
	if err != nil {
		d.s.T.Fatalf("didChange %s: %v", d.Name, err)
	}
}

// Expect replaces the document's markers with those of marked, whose text must
// be the document's current text: new expectations for a document that another
// file's edit changes (then WantDiagnostics).
func (d *Doc) Expect(marked string) {
	d.s.T.Helper()
	m, err := Parse(marked)
	if err != nil {
		d.s.T.Fatalf("expectations for %s: %v", d.Name, err)
	}
	if m.Text != d.Text {
		d.s.T.Fatalf("expectations for %s: the text without markers differs from the document's", d.Name)
	}
	d.Marked = m
}

// Close closes the document.
func (d *Doc) Close() {
	d.s.T.Helper()
	d.s.noteChange()
	if err := d.s.Server.DidClose(d.s.ctx(), &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.URI}}); err != nil {
		d.s.T.Fatalf("didClose %s: %v", d.Name, err)
	}
}

// Pos returns the position of a point (or a range's start) in the document.
func (d *Doc) Pos(name string) protocol.Position {
	d.s.T.Helper()
	off, ok := d.Point(name)
	if !ok {
		d.s.T.Fatalf("%s has no marker ⟨%s⟩ or ⟦%s|…⟧", d.Name, name, name)
	}
	return d.s.protoPos(d.Text, off)
}

// Range returns the range of ⟦name|…⟧ in the document.
func (d *Doc) Range(name string) protocol.Range {
	d.s.T.Helper()
	sp, ok := d.Ranges[name]
	if !ok {
		d.s.T.Fatalf("%s has no range ⟦%s|…⟧", d.Name, name)
	}
	return d.s.protoRange(d.Text, sp)
}

// TextAt returns the document's text in r.
func (d *Doc) TextAt(r protocol.Range) string { return d.s.textIn(d.Text, r) }

// TextAt returns the text in r of an archive file as written to disk.
func (s *Session) TextAt(file string, r protocol.Range) string {
	s.T.Helper()
	m := s.Files[file]
	if m == nil {
		s.T.Fatalf("%s is not in the archive", file)
	}
	return s.textIn(m.Text, r)
}

func (s *Session) textIn(content string, r protocol.Range) string {
	sp := s.spanOf(content, r)
	if sp.Start > sp.End {
		return ""
	}
	return content[sp.Start:sp.End]
}

func (s *Session) protoPos(content string, off int) protocol.Position {
	p := text.NewMapper([]byte(content)).Position(off, s.enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Character)}
}

func (s *Session) protoRange(content string, sp Span) protocol.Range {
	m := text.NewMapper([]byte(content))
	r := m.Range(sp.Start, sp.End, s.enc)
	return protocol.Range{
		Start: protocol.Position{Line: uint32(r.Start.Line), Character: uint32(r.Start.Character)},
		End:   protocol.Position{Line: uint32(r.End.Line), Character: uint32(r.End.Character)},
	}
}

func (s *Session) spanOf(content string, r protocol.Range) Span {
	m := text.NewMapper([]byte(content))
	return Span{
		m.Offset(text.Position{Line: int(r.Start.Line), Character: int(r.Start.Character)}, s.enc),
		m.Offset(text.Position{Line: int(r.End.Line), Character: int(r.End.Character)}, s.enc),
	}
}

// Location returns where ⟦name|…⟧ (or ⟨name⟩, zero width) is in an archive file,
// for comparing with a definition's result.
func (s *Session) Location(file, name string) protocol.Location {
	s.T.Helper()
	m := s.Files[file]
	if m == nil {
		s.T.Fatalf("%s is not in the archive", file)
	}
	sp, ok := m.Ranges[name]
	if !ok {
		p, isPoint := m.Points[name]
		if !isPoint {
			s.T.Fatalf("%s has no marker %q", file, name)
		}
		sp = Span{p, p}
	}
	return protocol.Location{URI: s.URI(file), Range: s.protoRange(m.Text, sp)}
}

// await blocks until cond holds over what the server pushed, failing with what()
// when Serve returns or Timeout passes.
func (s *Session) await(cond func(*pushed) bool, what func(*pushed) string) {
	s.T.Helper()
	timer := time.AfterFunc(Timeout, func() {
		s.mu.Lock()
		s.changed.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(Timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	for !cond(&s.pushed) {
		select {
		case err := <-s.done:
			s.done <- err
			s.T.Fatalf("the server stopped (%v) while waiting: %s", err, what(&s.pushed))
		default:
		}
		if time.Now().After(deadline) {
			s.T.Fatalf("no answer after %v: %s", Timeout, what(&s.pushed))
		}
		s.changed.Wait()
	}
}

// Logs returns the server's window/logMessage messages so far.
func (s *Session) Logs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.pushed.logs...)
}

// ShownDocuments returns the paths the server asked the client to show.
func (s *Session) ShownDocuments() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.pushed.shownDocs...)
}

// AwaitMessage waits for a window/showMessage containing every fragment.
func (s *Session) AwaitMessage(fragments ...string) {
	s.T.Helper()
	has := func(m string) bool { return containsAll(m, fragments) }
	s.await(func(p *pushed) bool { return slices.ContainsFunc(p.messages, has) },
		func(p *pushed) string { return fmt.Sprintf("no message with %q; messages: %q", fragments, p.messages) })
}

// AwaitLog waits for a window/logMessage containing every fragment.
func (s *Session) AwaitLog(fragments ...string) {
	s.T.Helper()
	has := func(m string) bool { return containsAll(m, fragments) }
	s.await(func(p *pushed) bool { return slices.ContainsFunc(p.logs, has) },
		func(p *pushed) string { return fmt.Sprintf("no log message with %q", fragments) })
}

// containsAll reports whether m contains every fragment.
func containsAll(m string, fragments []string) bool {
	for _, f := range fragments {
		if !strings.Contains(m, f) {
			return false
		}
	}
	return true
}

// Published counts the publishDiagnostics notifications so far.
func (s *Session) Published() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushed.publishes
}

// Prompts returns the window/showMessageRequest messages so far.
func (s *Session) Prompts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.pushed.prompts...)
}

// Refreshes counts the server's workspace/*/refresh requests of a method so far.
func (s *Session) Refreshes(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushed.refreshes[method]
}

// AwaitRefresh waits for a workspace/*/refresh request of a method.
func (s *Session) AwaitRefresh(method string) {
	s.T.Helper()
	s.await(func(p *pushed) bool { return p.refreshes[method] > 0 },
		func(p *pushed) string { return fmt.Sprintf("no %s request; refreshes %v", method, p.refreshes) })
}

// AwaitRegistration waits until the server registered every method dynamically.
func (s *Session) AwaitRegistration(methods ...string) {
	s.T.Helper()
	s.await(func(p *pushed) bool {
		for _, m := range methods {
			if !slices.Contains(p.registrations, m) {
				return false
			}
		}
		return true
	}, func(p *pushed) string { return fmt.Sprintf("registered %q, want %q", p.registrations, methods) })
}

// AwaitProgressEnd waits until n work-done progress reports titled title ended.
func (s *Session) AwaitProgressEnd(title string, n int) {
	s.T.Helper()
	count := func(p *pushed) int {
		c := 0
		for _, t := range p.progressed {
			if t == title {
				c++
			}
		}
		return c
	}
	s.await(func(p *pushed) bool { return count(p) >= n },
		func(p *pushed) string {
			return fmt.Sprintf("%d %q progress report(s) ended, want %d", count(p), title, n)
		})
}

// client records what the server sends.
type client struct {
	protocol.UnimplementedClient
	s *Session
}

func (c *client) update(f func(*pushed)) {
	c.s.mu.Lock()
	f(&c.s.pushed)
	c.s.changed.Broadcast()
	c.s.mu.Unlock()
}

func (c *client) PublishDiagnostics(_ context.Context, p *protocol.PublishDiagnosticsParams) error {
	v, _ := p.Version.Get()
	c.update(func(st *pushed) {
		st.diags[p.URI] = publish{version: v, diags: p.Diagnostics}
		if f, ok := st.first[p.URI]; !ok || f.version != v {
			st.first[p.URI] = publish{version: v, diags: p.Diagnostics}
		}
		st.publishes++
	})
	return nil
}

func (c *client) LogMessage(_ context.Context, p *protocol.LogMessageParams) error {
	c.update(func(st *pushed) { st.logs = append(st.logs, p.Message) })
	return nil
}

func (c *client) ShowMessage(_ context.Context, p *protocol.ShowMessageParams) error {
	c.update(func(st *pushed) {
		st.messages = append(st.messages, p.Message)
		st.logs = append(st.logs, "showMessage: "+p.Message)
	})
	return nil
}

func (c *client) ShowMessageRequest(_ context.Context, p *protocol.ShowMessageRequestParams) (*protocol.MessageActionItem, error) {
	c.update(func(st *pushed) { st.prompts = append(st.prompts, p.Message) })
	for _, a := range p.Actions {
		if a.Title == c.s.cfg.MessageAnswer {
			return &a, nil
		}
	}
	return nil, nil
}

func (c *client) ShowDocument(_ context.Context, p *protocol.ShowDocumentParams) (*protocol.ShowDocumentResult, error) {
	c.update(func(st *pushed) { st.shownDocs = append(st.shownDocs, p.URI.FsPath()) })
	return &protocol.ShowDocumentResult{Success: true}, nil
}

func (c *client) Configuration(_ context.Context, p *protocol.ConfigurationParams) ([]protocol.LSPAny, error) {
	raw, err := json.Marshal(c.s.cfg.Settings)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.LSPAny, len(p.Items))
	for i := range out {
		out[i] = raw
	}
	return out, nil
}

func (c *client) refreshed(method string) error {
	c.update(func(st *pushed) { st.refreshes[method]++ })
	return nil
}

func (c *client) CodeLensRefresh(context.Context) error {
	return c.refreshed(protocol.MethodWorkspaceCodeLensRefresh)
}

func (c *client) InlayHintRefresh(context.Context) error {
	return c.refreshed(protocol.MethodWorkspaceInlayHintRefresh)
}

func (c *client) DiagnosticRefresh(context.Context) error {
	return c.refreshed(protocol.MethodWorkspaceDiagnosticRefresh)
}

func (c *client) WorkDoneProgressCreate(context.Context, *protocol.WorkDoneProgressCreateParams) error {
	return nil
}

func (c *client) RegisterCapability(_ context.Context, p *protocol.RegistrationParams) error {
	c.update(func(st *pushed) {
		for _, r := range p.Registrations {
			st.registrations = append(st.registrations, r.Method)
		}
	})
	return nil
}

func (c *client) Progress(_ context.Context, p *protocol.ProgressParams) error {
	var v struct{ Kind, Title string }
	_ = json.Unmarshal(p.Value, &v)
	key := fmt.Sprint(p.Token)
	c.update(func(st *pushed) {
		switch v.Kind {
		case "begin":
			st.open[key] = v.Title
		case "end":
			st.progressed = append(st.progressed, st.open[key])
			delete(st.open, key)
		}
	})
	return nil
}
