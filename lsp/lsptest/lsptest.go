// Package lsptest drives the real chalice-lsp binary over stdio, like an editor
// would, for end-to-end tests and benchmarks.
//
// Binary builds the server once per test process. Start launches it on a workspace
// folder, Initialize negotiates, and the Session methods open, edit and save files
// and send requests. Everything the server pushes (diagnostics, progress, messages,
// shown documents) is recorded in State; Await blocks until a condition over that
// state holds. Progress "end" events are the sync points for background work (like
// gopls' CompletedWork), so tests never sleep.
package lsptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// BinaryPackage is the main package the harness builds: the real CLI, run as
// `chalice-lsp serve --stdio`.
var BinaryPackage = "./cmd/chalice-lsp"

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds the server binary once per process and returns its path. With
// CHALICE_LSP_TEST_RACE set, the binary is built with the race detector (a data
// race then makes the server exit and the test fail). With CHALICE_LSP_BIN set,
// that binary is used as it is, unbuilt: `make bench` runs the same benchmarks
// against the current server and a baseline build (bench/run.sh, step compare).
func Binary(tb testing.TB) string {
	tb.Helper()
	if bin := os.Getenv("CHALICE_LSP_BIN"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			tb.Fatalf("CHALICE_LSP_BIN: %v", err)
		}
		return bin
	}
	root := testenv.RepoRoot(tb)
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chalice-lsp-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "chalice-lsp")
		args := []string{"build", "-o", binPath}
		if os.Getenv("CHALICE_LSP_TEST_RACE") != "" {
			args = append(args, "-race") // run the e2e suite against a race-enabled server
		}
		cmd := exec.Command("go", append(args, BinaryPackage)...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build %s: %v\n%s", BinaryPackage, err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

// RemoveBinary deletes the binary Binary built (call it from TestMain after
// m.Run so test runs leave nothing in the temporary directory).
func RemoveBinary() {
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
}

// Venv returns the Python virtualenv with chalice ($CHALICE_LSP_VENV or
// <repo>/.venv, see internal/testenv). It fails the test when chalice is missing
// (run `make setup`).
func Venv(tb testing.TB) string {
	tb.Helper()
	testenv.Chalice(tb)
	return testenv.Venv(tb)
}

// Config configures a session.
type Config struct {
	// Folders are the workspace folders (absolute paths).
	Folders []string
	// InitOptions is sent as initializationOptions (marshalled to JSON).
	InitOptions any
	// Settings answers workspace/configuration for section "chalice" (nil: the
	// client does not advertise workspace/configuration).
	Settings any
	// PositionEncodings offered by the client (nil: none, i.e. UTF-16).
	PositionEncodings []protocol.PositionEncodingKind
	// PullDiagnostics advertises textDocument/diagnostic support.
	PullDiagnostics bool
	// NoWorkDoneProgress hides window.workDoneProgress support.
	NoWorkDoneProgress bool
	// MessageAnswer is the action title the client picks in window/showMessageRequest
	// ("" dismisses the prompt).
	MessageAnswer string
	// Capabilities, when set, adjusts the client capabilities sent in initialize
	// (e.g. to turn off hierarchical document symbols).
	Capabilities func(*protocol.ClientCapabilities)
	// Env is added to the server's environment. XDG_CACHE_HOME defaults to a
	// per-test temporary directory so the packaging cache is hermetic.
	Env []string
}

// State is what the server pushed to the client so far.
type State struct {
	Diagnostics map[uri.URI][]protocol.Diagnostic
	// Publishes counts publishDiagnostics per URI.
	Publishes map[uri.URI]int
	// Progress holds finished work-done reports in order.
	Progress []ProgressReport
	// Begun counts begun work-done reports by title.
	Begun    map[string]int
	Logs     []string
	Messages []string
	// MessageRequests are the window/showMessageRequest prompts, in order.
	MessageRequests []string
	ShownDocs       []string // file paths
	// Registrations are dynamically registered methods.
	Registrations []string
	// ConfigurationRequests counts workspace/configuration calls.
	ConfigurationRequests int
	// Refreshes counts workspace/*/refresh requests by method
	// ("workspace/codeLens/refresh", ...).
	Refreshes map[string]int
	// BadResponses counts JSON-RPC error responses with a null id (malformed input).
	tokens map[string]string
}

// ProgressReport is one finished $/progress sequence.
type ProgressReport struct {
	Title, BeginMessage, EndMessage string
	// Token is the progress token as text.
	Token string
}

// EndedToken counts finished progress reports with the given token.
func (st *State) EndedToken(token string) int {
	n := 0
	for _, p := range st.Progress {
		if p.Token == token {
			n++
		}
	}
	return n
}

// Ended counts finished progress reports whose title is title.
func (st *State) Ended(title string) int {
	n := 0
	for _, p := range st.Progress {
		if p.Title == title {
			n++
		}
	}
	return n
}

// Session is a running server with a scripted client.
type Session struct {
	T      testing.TB
	Cmd    *exec.Cmd
	Conn   jsonrpc2.Conn
	Server protocol.Server
	cfg    Config

	stdin   *lockedWriter
	stdout  io.ReadCloser
	stderr  bytes.Buffer
	exited  chan struct{}
	exitErr error

	mu    sync.Mutex
	cond  *sync.Cond
	state State
	docs  map[string]*doc
	Enc   text.Encoding
	Init  *protocol.InitializeResult
	// LastItemDefaults are the itemDefaults of the last completion list.
	LastItemDefaults *protocol.CompletionItemDefaults
}

type doc struct {
	uri     uri.URI
	version int32
	content string
}

// Start launches the server binary for cfg. The process is killed at the end of
// the test if it is still running.
func Start(tb testing.TB, cfg Config) *Session {
	tb.Helper()
	bin := Binary(tb)
	cmd := exec.Command(bin, "serve", "--stdio")
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+tb.TempDir())
	cmd.Env = append(cmd.Env, cfg.Env...)
	s := &Session{T: tb, Cmd: cmd, cfg: cfg, exited: make(chan struct{}), docs: map[string]*doc{}}
	s.cond = sync.NewCond(&s.mu)
	s.state = State{Diagnostics: map[uri.URI][]protocol.Diagnostic{}, Publishes: map[uri.URI]int{}, Begun: map[string]int{}, Refreshes: map[string]int{}, tokens: map[string]string{}}
	cmd.Stderr = &s.stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s.stdin = &lockedWriter{w: in}
	s.stdout = out
	go func() {
		s.exitErr = cmd.Wait()
		close(s.exited)
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	}()
	stream := rpc.NewStream(out, s.stdin, nil)
	s.Conn = jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(rpc.Codec{}))
	ch := protocol.ClientHandler(&client{s: s}, jsonrpc2.MethodNotFoundHandler)
	s.Conn.Go(context.Background(), protocol.CancelHandler(func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			jsonrpc2.Async(ctx)
		}
		return ch(ctx, req)
	}))
	s.Server = protocol.ServerDispatcher(s.Conn)
	tb.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = cmd.Process.Kill()
			<-s.exited
		}
		_ = s.Conn.Close()
		if strings.Contains(s.stderr.String(), "DATA RACE") || strings.Contains(s.stderr.String(), "panic:") {
			tb.Errorf("the server reported a data race or a panic")
		}
		if tb.Failed() {
			tb.Logf("server stderr:\n%s", s.stderr.String())
			s.mu.Lock()
			tb.Logf("server log:\n%s", strings.Join(s.state.Logs, "\n"))
			s.mu.Unlock()
		}
	})
	return s
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.WriteCloser
	// keep makes Close a no-op: the connection closes its stream when the
	// server's output ends, and CloseStdout still wants to write raw input.
	keep atomic.Bool
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (l *lockedWriter) Close() error {
	if l.keep.Load() {
		return nil
	}
	return l.w.Close()
}

// WriteRaw writes bytes to the server's stdin as they are (for malformed input).
func (s *Session) WriteRaw(b []byte) {
	if _, err := s.stdin.Write(b); err != nil {
		s.T.Fatalf("write to server: %v", err)
	}
}

// CloseStdin closes the server's input (the editor went away).
func (s *Session) CloseStdin() { _ = s.stdin.w.Close() }

// CloseStdout closes the client's end of the server's stdout: a client that stops
// reading. The server's next write fails (EPIPE).
// Raw input (WriteRaw) still reaches the server.
func (s *Session) CloseStdout() {
	s.stdin.keep.Store(true)
	_ = s.stdout.Close()
}

// Initialize sends initialize and initialized.
func (s *Session) Initialize() *protocol.InitializeResult {
	s.T.Helper()
	yes := true
	caps := protocol.ClientCapabilities{
		Window: &protocol.WindowClientCapabilities{WorkDoneProgress: ptr(!s.cfg.NoWorkDoneProgress), ShowDocument: &protocol.ShowDocumentClientCapabilities{Support: true}},
		Workspace: &protocol.WorkspaceClientCapabilities{
			Configuration:         ptr(s.cfg.Settings != nil),
			WorkspaceFolders:      &yes,
			DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: &yes},
			Diagnostics:           &protocol.DiagnosticWorkspaceClientCapabilities{RefreshSupport: &yes},
		},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Completion: &protocol.CompletionClientCapabilities{
				CompletionItem: &protocol.ClientCompletionItemOptions{SnippetSupport: ptr(false)},
				CompletionList: &protocol.CompletionListCapabilities{ItemDefaults: []string{"editRange"}},
			},
			Hover: &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindMarkdown}},
			CodeAction: &protocol.CodeActionClientCapabilities{
				CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{CodeActionKind: protocol.ClientCodeActionKindOptions{
					ValueSet: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindSource}}},
				IsPreferredSupport: &yes,
			},
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{DiagnosticsCapabilities: protocol.DiagnosticsCapabilities{DataSupport: &yes}},
		},
	}
	if len(s.cfg.PositionEncodings) > 0 {
		caps.General = &protocol.GeneralClientCapabilities{PositionEncodings: s.cfg.PositionEncodings}
	}
	if s.cfg.PullDiagnostics {
		caps.TextDocument.Diagnostic = &protocol.DiagnosticClientCapabilities{}
	}
	if s.cfg.Capabilities != nil {
		s.cfg.Capabilities(&caps)
	}
	var folders []protocol.WorkspaceFolder
	for _, f := range s.cfg.Folders {
		folders = append(folders, protocol.WorkspaceFolder{URI: uri.File(f), Name: filepath.Base(f)})
	}
	pid := int32(os.Getpid())
	p := &protocol.InitializeParams{ProcessID: &pid, Capabilities: caps}
	p.WorkspaceFolders = protocol.NewNullable(folders)
	if s.cfg.InitOptions != nil {
		raw, err := json.Marshal(s.cfg.InitOptions)
		if err != nil {
			s.T.Fatal(err)
		}
		p.InitializationOptions = raw
	}
	res, err := s.Server.Initialize(s.ctx(), p)
	if err != nil {
		s.T.Fatalf("initialize: %v", err)
	}
	s.Init = res
	switch res.Capabilities.PositionEncoding {
	case protocol.PositionEncodingKindUTF8:
		s.Enc = text.UTF8
	case protocol.PositionEncodingKindUTF32:
		s.Enc = text.UTF32
	default:
		s.Enc = text.UTF16
	}
	if err := s.Server.Initialized(s.ctx(), &protocol.InitializedParams{}); err != nil {
		s.T.Fatalf("initialized: %v", err)
	}
	return res
}

func (s *Session) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	s.T.Cleanup(cancel)
	return ctx
}

// Timeout bounds every request and Await (a hung server fails the test instead of
// hanging it). It is a deadline, not a performance assertion.
var Timeout = 3 * time.Minute

// Open opens path with its content on disk (or content, if given).
func (s *Session) Open(path string, content ...string) uri.URI {
	s.T.Helper()
	var c string
	if len(content) > 0 {
		c = content[0]
	} else {
		b, err := os.ReadFile(path)
		if err != nil {
			s.T.Fatal(err)
		}
		c = string(b)
	}
	u := uri.File(path)
	lang := "json"
	switch filepath.Ext(path) {
	case ".py":
		lang = "python"
	case ".go":
		lang = "go"
	}
	s.mu.Lock()
	s.docs[path] = &doc{uri: u, version: 1, content: c}
	s.mu.Unlock()
	err := s.Server.DidOpen(s.ctx(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: protocol.LanguageKind(lang), Version: 1, Text: c}})
	if err != nil {
		s.T.Fatalf("didOpen: %v", err)
	}
	return u
}

// Content returns the client's current text of an open document.
func (s *Session) Content(path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[path]
	if d == nil {
		s.T.Fatalf("%s is not open", path)
	}
	return d.content
}

// Edit replaces the open document's text with content, sending one incremental
// change that covers only the differing middle part (as editors do).
func (s *Session) Edit(path, content string) {
	s.T.Helper()
	s.mu.Lock()
	d := s.docs[path]
	if d == nil {
		s.mu.Unlock()
		s.T.Fatalf("edit of %s, which is not open", path)
	}
	old := d.content
	pre := 0
	for pre < len(old) && pre < len(content) && old[pre] == content[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(content)-pre && old[len(old)-1-suf] == content[len(content)-1-suf] {
		suf++
	}
	m := text.NewMapper([]byte(old))
	r := m.Range(pre, len(old)-suf, s.Enc)
	d.version++
	d.content = content
	v := d.version
	s.mu.Unlock()
	change := &protocol.TextDocumentContentChangePartial{Range: protoRange(r), Text: content[pre : len(content)-suf]}
	err := s.Server.DidChange(s.ctx(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: d.uri}, Version: v},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{change},
	})
	if err != nil {
		s.T.Fatalf("didChange: %v", err)
	}
}

// Save writes the document's text to disk and sends didSave.
func (s *Session) Save(path string) {
	s.T.Helper()
	c := s.Content(path)
	if err := os.WriteFile(path, []byte(c), 0o644); err != nil {
		s.T.Fatal(err)
	}
	if err := s.Server.DidSave(s.ctx(), &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}}); err != nil {
		s.T.Fatalf("didSave: %v", err)
	}
}

// Close closes the document.
func (s *Session) Close(path string) {
	s.mu.Lock()
	delete(s.docs, path)
	s.mu.Unlock()
	_ = s.Server.DidClose(s.ctx(), &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}})
}

// Pos returns the position of the n-th (0-based) occurrence of needle in the open
// document, moved by delta bytes (e.g. len(needle) for "just after").
func (s *Session) Pos(path, needle string, delta int, n ...int) protocol.Position {
	s.T.Helper()
	c := s.Content(path)
	idx := -1
	from := 0
	want := 0
	if len(n) > 0 {
		want = n[0]
	}
	for i := 0; i <= want; i++ {
		j := strings.Index(c[from:], needle)
		if j < 0 {
			s.T.Fatalf("%q (occurrence %d) not found in %s", needle, want, path)
		}
		idx = from + j
		from = idx + 1
	}
	p := text.NewMapper([]byte(c)).Position(idx+delta, s.Enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Character)}
}

// Offset converts a position in the open document back to a byte offset.
func (s *Session) Offset(path string, p protocol.Position) int {
	return text.NewMapper([]byte(s.Content(path))).Offset(text.Position{Line: int(p.Line), Character: int(p.Character)}, s.Enc)
}

func protoRange(r text.Range) protocol.Range {
	return protocol.Range{
		Start: protocol.Position{Line: uint32(r.Start.Line), Character: uint32(r.Start.Character)},
		End:   protocol.Position{Line: uint32(r.End.Line), Character: uint32(r.End.Character)},
	}
}

func ptr[T any](v T) *T { return &v }

// Completion requests completion at pos and returns the items.
func (s *Session) Completion(path string, pos protocol.Position) []protocol.CompletionItem {
	s.T.Helper()
	res, err := s.Server.Completion(s.ctx(), &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Position: pos}})
	if err != nil {
		s.T.Fatalf("completion: %v", err)
	}
	switch r := res.(type) {
	case *protocol.CompletionList:
		s.LastItemDefaults = r.ItemDefaults
		return r.Items
	case protocol.CompletionItemSlice:
		return r
	}
	return nil
}

// Hover requests hover at pos and returns the markdown (or "").
func (s *Session) Hover(path string, pos protocol.Position) string {
	s.T.Helper()
	res, err := s.Server.Hover(s.ctx(), &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Position: pos}})
	if err != nil {
		s.T.Fatalf("hover: %v", err)
	}
	if res == nil {
		return ""
	}
	switch c := res.Contents.(type) {
	case *protocol.MarkupContent:
		return c.Value
	case protocol.String:
		return string(c)
	}
	return fmt.Sprint(res.Contents)
}

// Definition returns the locations of the definition at pos.
func (s *Session) Definition(path string, pos protocol.Position) []protocol.Location {
	s.T.Helper()
	res, err := s.Server.Definition(s.ctx(), &protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Position: pos}})
	if err != nil {
		s.T.Fatalf("definition: %v", err)
	}
	switch r := res.(type) {
	case *protocol.Location:
		return []protocol.Location{*r}
	case protocol.LocationSlice:
		return r
	}
	return nil
}

// CodeActions returns the code actions for a range with the given diagnostics.
func (s *Session) CodeActions(path string, r protocol.Range, diags []protocol.Diagnostic) []*protocol.CodeAction {
	s.T.Helper()
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	res, err := s.Server.CodeAction(s.ctx(), &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Range: r, Context: protocol.CodeActionContext{Diagnostics: diags}})
	if err != nil {
		s.T.Fatalf("codeAction: %v", err)
	}
	var out []*protocol.CodeAction
	for _, a := range res {
		if ca, ok := a.(*protocol.CodeAction); ok {
			out = append(out, ca)
		}
	}
	return out
}

// CodeLenses returns the code lenses of a document.
func (s *Session) CodeLenses(path string) []protocol.CodeLens {
	s.T.Helper()
	res, err := s.Server.CodeLens(s.ctx(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)}})
	if err != nil {
		s.T.Fatalf("codeLens: %v", err)
	}
	return res
}

// ExecuteCommand runs a command and decodes its result into out (may be nil).
func (s *Session) ExecuteCommand(cmd protocol.Command, out any) error {
	res, err := s.Server.ExecuteCommand(s.ctx(), &protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments})
	if err != nil {
		return err
	}
	if out != nil && len(res) > 0 {
		return json.Unmarshal(res, out)
	}
	return nil
}

// Await blocks until cond holds over the pushed state (checked after every
// message), failing the test with what when Timeout passes or the server exits.
func (s *Session) Await(what string, cond func(*State) bool) {
	s.T.Helper()
	deadline := time.Now().Add(Timeout)
	timer := time.AfterFunc(Timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for !cond(&s.state) {
		select {
		case <-s.exited:
			s.T.Fatalf("server exited while waiting for %s: %v\nstderr:\n%s", what, s.exitErr, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			s.T.Fatalf("timed out waiting for %s\nlogs:\n%s", what, strings.Join(s.state.Logs, "\n"))
		}
		s.cond.Wait()
	}
}

// Snapshot returns a copy of interesting parts of the state.
func (s *Session) Diagnostics(path string) []protocol.Diagnostic {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]protocol.Diagnostic(nil), s.state.Diagnostics[uri.File(path)]...)
}

// With runs f with the state locked.
func (s *Session) With(f func(*State)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.state)
}

// Shutdown sends shutdown and exit and returns the process exit code.
func (s *Session) Shutdown() int {
	s.T.Helper()
	if err := s.Server.Shutdown(s.ctx()); err != nil {
		s.T.Fatalf("shutdown: %v", err)
	}
	return s.Exit()
}

// Exit sends exit and waits for the process to end, returning its exit code.
func (s *Session) Exit() int {
	s.T.Helper()
	_ = s.Server.Exit(s.ctx())
	return s.Wait()
}

// Wait waits for the process to exit and returns its exit code.
func (s *Session) Wait() int {
	s.T.Helper()
	select {
	case <-s.exited:
	case <-time.After(Timeout):
		s.T.Fatal("server did not exit")
	}
	if s.exitErr == nil {
		return 0
	}
	if ee, ok := s.exitErr.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	s.T.Fatalf("wait: %v", s.exitErr)
	return -1
}

// Stderr returns what the server wrote to stderr.
func (s *Session) Stderr() string { return s.stderr.String() }

// client records what the server sends.
type client struct {
	protocol.UnimplementedClient
	s *Session
}

func (c *client) update(f func(*State)) {
	c.s.mu.Lock()
	f(&c.s.state)
	c.s.cond.Broadcast()
	c.s.mu.Unlock()
}

func (c *client) PublishDiagnostics(_ context.Context, p *protocol.PublishDiagnosticsParams) error {
	c.update(func(st *State) {
		st.Diagnostics[p.URI] = p.Diagnostics
		st.Publishes[p.URI]++
	})
	return nil
}

func (c *client) LogMessage(_ context.Context, p *protocol.LogMessageParams) error {
	c.update(func(st *State) { st.Logs = append(st.Logs, p.Message) })
	return nil
}

func (c *client) ShowMessage(_ context.Context, p *protocol.ShowMessageParams) error {
	c.update(func(st *State) { st.Messages = append(st.Messages, p.Message) })
	return nil
}

func (c *client) ShowMessageRequest(_ context.Context, p *protocol.ShowMessageRequestParams) (*protocol.MessageActionItem, error) {
	c.update(func(st *State) { st.MessageRequests = append(st.MessageRequests, p.Message) })
	for _, a := range p.Actions {
		if a.Title == c.s.cfg.MessageAnswer {
			return &a, nil
		}
	}
	return nil, nil
}

func (c *client) ShowDocument(_ context.Context, p *protocol.ShowDocumentParams) (*protocol.ShowDocumentResult, error) {
	c.update(func(st *State) { st.ShownDocs = append(st.ShownDocs, p.URI.FsPath()) })
	return &protocol.ShowDocumentResult{Success: true}, nil
}

func (c *client) WorkDoneProgressCreate(context.Context, *protocol.WorkDoneProgressCreateParams) error {
	return nil
}

func (c *client) RegisterCapability(_ context.Context, p *protocol.RegistrationParams) error {
	c.update(func(st *State) {
		for _, r := range p.Registrations {
			st.Registrations = append(st.Registrations, r.Method)
		}
	})
	return nil
}

func (c *client) Configuration(_ context.Context, p *protocol.ConfigurationParams) ([]protocol.LSPAny, error) {
	c.update(func(st *State) { st.ConfigurationRequests++ })
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

func (c *client) DiagnosticRefresh(context.Context) error {
	c.update(func(st *State) { st.Refreshes[protocol.MethodWorkspaceDiagnosticRefresh]++ })
	return nil
}

func (c *client) CodeLensRefresh(context.Context) error {
	c.update(func(st *State) { st.Refreshes[protocol.MethodWorkspaceCodeLensRefresh]++ })
	return nil
}

func (c *client) InlayHintRefresh(context.Context) error {
	c.update(func(st *State) { st.Refreshes[protocol.MethodWorkspaceInlayHintRefresh]++ })
	return nil
}

func (c *client) Progress(_ context.Context, p *protocol.ProgressParams) error {
	var v struct {
		Kind, Title, Message string
	}
	_ = json.Unmarshal(p.Value, &v)
	key := fmt.Sprint(p.Token)
	c.update(func(st *State) {
		switch v.Kind {
		case "begin":
			st.tokens[key] = v.Title + "\x00" + v.Message
			st.Begun[v.Title]++
		case "end":
			tm := strings.SplitN(st.tokens[key], "\x00", 2)
			r := ProgressReport{Title: tm[0], EndMessage: v.Message, Token: key}
			if len(tm) == 2 {
				r.BeginMessage = tm[1]
			}
			st.Progress = append(st.Progress, r)
			delete(st.tokens, key)
		}
	})
	return nil
}
