package rpc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// fakeServer panics in hover and errors in didOpen; everything else is unimplemented.
type fakeServer struct {
	protocol.UnimplementedServer
	opened atomic.Int32
}

func (f *fakeServer) Hover(context.Context, *protocol.HoverParams) (*protocol.Hover, error) {
	panic("boom")
}

func (f *fakeServer) DidOpen(context.Context, *protocol.DidOpenTextDocumentParams) error {
	f.opened.Add(1)
	return errors.New("cannot open")
}

func (f *fakeServer) Initialize(context.Context, *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	return &protocol.InitializeResult{}, nil
}

func TestDispatcherSurvivesPanicsErrorsAndGarbage(t *testing.T) {
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	var initialized atomic.Bool
	var logs atomic.Int32
	srv := &fakeServer{}
	var bad atomic.Int32
	conn := jsonrpc2.NewConn(NewStream(sr, sw, func(error, []byte) { bad.Add(1) }), jsonrpc2.WithCodec(Codec{}))
	conn.Go(context.Background(), Handler(srv, Lifecycle{Initialized: initialized.Load, ShutDown: func() bool { return false }},
		func(protocol.MessageType, string, ...any) { logs.Add(1) }))
	defer conn.Close()

	client := jsonrpc2.NewConn(NewStream(cr, cw, nil), jsonrpc2.WithCodec(Codec{}))
	client.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
	defer client.Close()
	ctx := context.Background()

	var we *jsonrpc2.Error
	_, err := client.Call(ctx, protocol.MethodTextDocumentHover, &protocol.HoverParams{}, nil)
	if !errors.As(err, &we) || we.Code != jsonrpc2.ServerNotInitialized {
		t.Fatalf("before initialize: %v", err)
	}
	initialized.Store(true)
	_, err = client.Call(ctx, protocol.MethodTextDocumentHover, &protocol.HoverParams{}, nil)
	if !errors.As(err, &we) || we.Code != jsonrpc2.InternalError || !strings.Contains(we.Message, "boom") {
		t.Fatalf("panicking handler: %v", err)
	}
	if err := client.Notify(ctx, protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{}); err != nil {
		t.Fatal(err)
	}
	// Garbage with valid framing, written straight to the pipe.
	w := bufio.NewWriter(cw)
	body := "{nope"
	fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	w.Flush()
	var out any
	_, err = client.Call(ctx, "unknown/method", map[string]int{}, &out)
	if !errors.As(err, &we) || we.Code != jsonrpc2.MethodNotFound {
		t.Fatalf("unknown method after garbage: %v", err)
	}
	if srv.opened.Load() != 1 || bad.Load() != 1 || logs.Load() < 2 {
		t.Fatalf("opened=%d bad=%d logs=%d", srv.opened.Load(), bad.Load(), logs.Load())
	}
}
