// Package oneshot runs the language server in process for one batch question:
// what does the editor report for these files? It starts a session over
// in-memory pipes with the given workspace folders, opens every file, pulls
// each one's diagnostics (textDocument/diagnostic, computed synchronously by
// the server) and shuts the session down. `chalice-lsp check` uses it so that
// CI reports exactly what the editor reports, from the same code.
package oneshot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/lsp"
	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Options configure a run.
type Options struct {
	// CacheDir is the packaging cache ("" the packager's default).
	CacheDir string
	// Settings answers workspace/configuration for section "chalice" (nil: the
	// server's defaults: an untrusted workspace, so nothing is packaged).
	Settings any
}

// Result is a file's diagnostics with the content they were computed on (to map
// positions back).
type Result struct {
	Path        string
	Content     []byte
	Diagnostics []Diagnostic
}

// Diagnostic is a diagnostic as the client received it, with positions in UTF-16
// code units (what LSP clients and the CLI count).
type Diagnostic struct {
	Range    protocol.Range              `json:"range"`
	Severity protocol.DiagnosticSeverity `json:"severity"`
	Code     string                      `json:"code"`
	Message  string                      `json:"message"`
}

// Diagnose opens files (absolute paths) in one session whose workspace folders
// are folders and returns each file's diagnostics, in the order of files. A file
// that cannot be read is reported in skipped with the reason.
func Diagnose(ctx context.Context, folders, files []string, opts Options) (results []Result, skipped []error, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cr, sw := io.Pipe() // server -> client
	sr, cw := io.Pipe() // client -> server
	done := make(chan error, 1)
	go func() {
		done <- lsp.Serve(ctx, sr, sw, lsp.Options{CacheDir: opts.CacheDir})
		sw.Close()
		sr.Close()
	}()
	conn := jsonrpc2.NewConn(rpc.NewStream(cr, cw, nil), jsonrpc2.WithCodec(rpc.Codec{}))
	conn.Go(ctx, protocol.ClientHandler(&client{settings: opts.Settings}, jsonrpc2.MethodNotFoundHandler))
	defer conn.Close()
	srv := protocol.ServerDispatcher(conn)

	yes := true
	caps := protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{Configuration: &yes, WorkspaceFolders: &yes},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Diagnostic: &protocol.DiagnosticClientCapabilities{},
		},
		General: &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16}},
	}
	var wf []protocol.WorkspaceFolder
	for _, f := range folders {
		wf = append(wf, protocol.WorkspaceFolder{URI: uri.File(f), Name: filepath.Base(f)})
	}
	p := &protocol.InitializeParams{Capabilities: caps}
	p.WorkspaceFolders = protocol.NewNullable(wf)
	if _, err := srv.Initialize(ctx, p); err != nil {
		return nil, nil, fmt.Errorf("starting the analysis: %v", err)
	}
	if err := srv.Initialized(ctx, &protocol.InitializedParams{}); err != nil {
		return nil, nil, fmt.Errorf("starting the analysis: %v", err)
	}
	for _, f := range files {
		src, rerr := safefile.Read(f)
		if rerr != nil {
			skipped = append(skipped, rerr)
			continue
		}
		u := uri.File(f)
		if err := srv.DidOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
			URI: u, LanguageID: languageID(f), Version: 1, Text: string(src)}}); err != nil {
			return nil, nil, fmt.Errorf("opening %s: %v", f, err)
		}
		results = append(results, Result{Path: f, Content: src})
	}
	for i := range results {
		rep, err := srv.Diagnostic(ctx, &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(results[i].Path)}})
		if err != nil {
			return nil, nil, fmt.Errorf("analysing %s: %v", results[i].Path, err)
		}
		results[i].Diagnostics = items(rep)
	}
	_ = srv.Shutdown(ctx)
	_ = srv.Exit(ctx)
	cw.Close() // the server's reader ends at once instead of waiting out its close timeout
	<-done
	return results, skipped, nil
}

// items extracts a full report's items (the dispatcher decodes the union as a
// generic value; codes are always strings and messages plain text here, since
// the client declares no markup support).
func items(rep protocol.DocumentDiagnosticReport) []Diagnostic {
	raw, err := json.Marshal(rep)
	if err != nil {
		return nil
	}
	var full struct {
		Items []Diagnostic `json:"items"`
	}
	_ = json.Unmarshal(raw, &full)
	return full.Items
}

func languageID(path string) protocol.LanguageKind {
	switch {
	case strings.HasSuffix(path, ".py"):
		return "python"
	case strings.HasSuffix(path, ".go"):
		return "go"
	case strings.HasSuffix(path, ".json"):
		return "json"
	}
	return "plaintext"
}

// client answers what the server asks of an editor.
type client struct {
	protocol.UnimplementedClient
	settings any
}

func (c *client) Configuration(_ context.Context, p *protocol.ConfigurationParams) ([]protocol.LSPAny, error) {
	raw, err := json.Marshal(c.settings)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.LSPAny, len(p.Items))
	for i := range out {
		out[i] = raw
	}
	return out, nil
}

func (c *client) WorkDoneProgressCreate(context.Context, *protocol.WorkDoneProgressCreateParams) error {
	return nil
}
func (c *client) RegisterCapability(context.Context, *protocol.RegistrationParams) error { return nil }
func (c *client) LogMessage(context.Context, *protocol.LogMessageParams) error           { return nil }
func (c *client) ShowMessage(context.Context, *protocol.ShowMessageParams) error         { return nil }
func (c *client) PublishDiagnostics(context.Context, *protocol.PublishDiagnosticsParams) error {
	return nil
}
func (c *client) DiagnosticRefresh(context.Context) error                  { return nil }
func (c *client) Progress(context.Context, *protocol.ProgressParams) error { return nil }
func (c *client) ShowMessageRequest(context.Context, *protocol.ShowMessageRequestParams) (*protocol.MessageActionItem, error) {
	return nil, nil
}
