// Package lsp is the chalice-lsp language server's entry point: Serve speaks LSP
// over a reader/writer pair (stdin/stdout for `chalice-lsp serve`).
//
// The server's packages, one job each:
//
//	lsp/rpc            framing that survives malformed messages, codec, dispatch order
//	lsp/server         protocol.Server: session state, LSP <-> byte offsets, features
//	internal/settings       settings, defaults, parsing
//	lsp/overlay        open documents (incremental sync) overlaying disk
//	internal/workspace      Chalice projects and CDK apps in the workspace folders
//	lsp/configfeatures completion/hover in config.json and stage_config literals
//	internal/logicalid      logical IDs: packaged template + prediction, did-you-mean
//	lsp/jobs           debounced, superseding background jobs
//	lsp/progress       $/progress reporting
//	internal/cdkcode        Python/Go CDK source analysis
//	lsp/servertest     in-process harness: Serve over pipes, expectations marked in documents
//	lsp/lsptest        end-to-end harness driving the built binary
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"github.com/chalice-lsp/chalice-lsp/lsp/server"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Options configure Serve. The zero value is ready to use.
type Options struct {
	// CacheDir is where packaging results and previews are cached; "" means
	// <user cache dir>/chalice-lsp (the packager's default).
	CacheDir string
	// Packager overrides the packager (tests share one between sessions).
	Packager *packager.Packager
	// Debounce is the delay between a save and the packaging it triggers; 0 means
	// $CHALICE_LSP_DEBOUNCE (a Go duration such as "1s") if set and valid, else
	// 400ms.
	Debounce time.Duration
	// Env adds environment variables to chalice runs.
	Env map[string]string
	// Version is reported to the client in serverInfo ("" keeps the default).
	Version string
}

// DebounceEnv names the environment variable that sets the save debounce when
// Options.Debounce is zero (tests lengthen it so a burst of saves is a burst
// however loaded the machine is).
const DebounceEnv = "CHALICE_LSP_DEBOUNCE"

var (
	// ErrExitWithoutShutdown is returned when the client sent exit without a
	// shutdown request first. The process should exit with status 1 (LSP spec).
	ErrExitWithoutShutdown = errors.New("lsp: exit notification received without a preceding shutdown request")
	// ErrConnectionLost is returned when the input ended (the editor went away)
	// before exit. The process should exit with status 1.
	ErrConnectionLost = errors.New("lsp: the client closed the connection without shutdown and exit")
)

// ExitCode maps Serve's error to the process exit status: 0 after shutdown+exit,
// 1 otherwise.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	return 1
}

// Serve runs one LSP session over in/out until the client sends exit, the input
// ends, or ctx is cancelled. It returns nil after shutdown followed by exit,
// ErrExitWithoutShutdown after a bare exit, and an error wrapping
// ErrConnectionLost when the input ends first. Nothing is written to out except
// LSP messages; logs go to the client (window/logMessage). When Serve returns, all
// background work (including chalice child processes) has stopped.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if opts.Debounce == 0 {
		if d, err := time.ParseDuration(os.Getenv(DebounceEnv)); err == nil && d > 0 {
			opts.Debounce = d
		}
	}
	if opts.Version != "" {
		server.Version = opts.Version
	}
	var client protocol.Client
	stream := rpc.NewStream(in, out, func(err error, frame []byte) {
		if client != nil {
			head := frame
			if len(head) > 120 {
				head = head[:120]
			}
			_ = client.LogMessage(ctx, &protocol.LogMessageParams{Type: protocol.MessageTypeError,
				Message: fmt.Sprintf("skipped a malformed JSON-RPC message (%v): %q", err, head)})
		}
	})
	conn := jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(rpc.Codec{}))
	client = protocol.ClientDispatcher(conn)
	srv := server.New(ctx, client, server.Options{Packager: opts.Packager, CacheDir: opts.CacheDir, Debounce: opts.Debounce, Env: opts.Env})
	// The dispatcher's reports go through the server's logLevel filter (dropped params
	// members are debug-level).
	conn.Go(ctx, rpc.Handler(srv, srv.Lifecycle(), srv.Log))
	writeFailed, writeErr := rpc.WriteFailed(stream)

	var result error
	select {
	case <-srv.Exited():
		if !srv.ShutdownReceived() {
			result = ErrExitWithoutShutdown
		}
	case <-conn.Done():
		result = ErrConnectionLost
		if err := conn.Err(); err != nil {
			result = fmt.Errorf("%w: %v", ErrConnectionLost, err)
		}
	case <-writeFailed:
		result = fmt.Errorf("%w: writing to the client failed (it stopped reading): %v", ErrConnectionLost, writeErr())
	case <-ctx.Done():
		result = ctx.Err()
	}
	srv.Close() // cancels packaging (killing chalice) and waits for it
	cancel()
	closed := make(chan struct{})
	go func() {
		_ = conn.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		// A reader blocked on a stdin that is still open cannot be interrupted;
		// the process is about to exit anyway.
	}
	return result
}
