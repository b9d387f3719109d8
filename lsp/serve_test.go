package lsp

import (
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// session runs Serve in-process over pipes and returns a client connection.
func session(t *testing.T) (protocol.Server, func() error, *io.PipeWriter) {
	t.Helper()
	cr, sw := io.Pipe() // server -> client
	sr, cw := io.Pipe() // client -> server
	done := make(chan error, 1)
	go func() {
		done <- Serve(context.Background(), sr, sw, Options{CacheDir: t.TempDir()})
		sw.Close()
		sr.Close()
	}()
	conn := jsonrpc2.NewConn(rpc.NewStream(cr, cw, nil), jsonrpc2.WithCodec(rpc.Codec{}))
	conn.Go(context.Background(), protocol.ClientHandler(protocol.UnimplementedClient{}, jsonrpc2.MethodNotFoundHandler))
	wait := func() error {
		select {
		case err := <-done:
			conn.Close()
			return err
		case <-time.After(time.Minute):
			t.Fatal("Serve did not return")
			return nil
		}
	}
	return protocol.ServerDispatcher(conn), wait, cw
}

func TestServeLifecycleAndNoLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx := context.Background()
	srv, wait, _ := session(t)
	if _, err := srv.Initialize(ctx, &protocol.InitializeParams{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Initialized(ctx, &protocol.InitializedParams{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	_ = srv.Exit(ctx)
	if err := wait(); err != nil {
		t.Fatalf("shutdown then exit: %v, want nil (exit code 0)", err)
	}
	// Every goroutine of the session ends (polling: goroutines exit asynchronously).
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines leaked:\n%s", n-before, buf[:runtime.Stack(buf, true)])
	}
}

func TestServeExitWithoutShutdown(t *testing.T) {
	srv, wait, _ := session(t)
	if _, err := srv.Initialize(context.Background(), &protocol.InitializeParams{}); err != nil {
		t.Fatal(err)
	}
	_ = srv.Exit(context.Background())
	if err := wait(); !errors.Is(err, ErrExitWithoutShutdown) || ExitCode(err) != 1 {
		t.Fatalf("got %v, want ErrExitWithoutShutdown", err)
	}
}

func TestServeInputEnds(t *testing.T) {
	_, wait, cw := session(t)
	cw.Close()
	if err := wait(); !errors.Is(err, ErrConnectionLost) || ExitCode(err) != 1 {
		t.Fatalf("got %v, want ErrConnectionLost", err)
	}
}
