package lsptest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func TestExitWithoutShutdown(t *testing.T) {
	s, _ := startWebapp(t, lsptest.Config{})
	if code := s.Exit(); code != 1 {
		t.Fatalf("exit without shutdown: code %d, want 1", code)
	}
}

func TestClientDisappears(t *testing.T) {
	s, _ := startWebapp(t, lsptest.Config{})
	s.CloseStdin()
	if code := s.Wait(); code != 1 {
		t.Fatalf("stdin closed without exit: code %d, want 1", code)
	}
}

func TestRequestsBeforeInitialize(t *testing.T) {
	s := lsptest.Start(t, lsptest.Config{})
	_, err := s.Server.Hover(ctx(t), &protocol.HoverParams{})
	var we *jsonrpc2.Error
	if !errors.As(err, &we) || we.Code != jsonrpc2.ServerNotInitialized {
		t.Fatalf("hover before initialize: %v, want ServerNotInitialized", err)
	}
	// Notifications before initialize are dropped, not fatal.
	_ = s.Server.DidOpen(ctx(t), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri.File("/nowhere/x.json"), Text: "{"}})
	s.Initialize()
	if _, err := s.Server.Initialize(ctx(t), &protocol.InitializeParams{}); err == nil {
		t.Fatal("a second initialize must fail")
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("code %d", code)
	}
}

func TestUnknownMethodAndMalformedInput(t *testing.T) {
	s, dir := startWebapp(t, lsptest.Config{})
	err := s.Conn.Notify(ctx(t), "custom/notification", map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	var out any
	_, err = s.Conn.Call(ctx(t), "custom/request", map[string]int{"a": 1}, &out)
	var we *jsonrpc2.Error
	if !errors.As(err, &we) || we.Code != jsonrpc2.MethodNotFound {
		t.Fatalf("unknown request: %v, want MethodNotFound", err)
	}
	// Garbage bodies with valid framing, and a request with broken params.
	for _, body := range []string{`{"jsonrpc":"2.0","id":`, `not json at all`, "\x00\x01\x02binary", `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":17}}`} {
		s.WriteRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
	}
	_, err = s.Conn.Call(ctx(t), protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File("/x")}}}, &out)
	if err != nil {
		t.Fatalf("server should survive malformed input: %v", err)
	}
	s.Await("malformed input logged", func(st *lsptest.State) bool {
		n := 0
		for _, l := range st.Logs {
			if strings.Contains(l, "malformed JSON-RPC") {
				n++
			}
		}
		return n >= 3
	})
	// A binary file and a huge file are tracked but not analyzed.
	bin := filepath.Join(dir, ".chalice", "blob.json")
	s.Open(bin, "\x00\x01\x02{}")
	huge := filepath.Join(dir, "huge", ".chalice", "config.json")
	s.Open(huge, `{"app_name": "`+strings.Repeat("x", 5<<20)+`"}`)
	items := s.Completion(huge, protocol.Position{Line: 0, Character: 1})
	if len(items) != 0 {
		t.Fatalf("huge file should not be analyzed, got %d items", len(items))
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("code %d", code)
	}
}

// TestCancelRequest cancels an in-flight packaging command.
func TestCancelRequest(t *testing.T) {
	venv := lsptest.Venv(t)
	s, dir := startFixture(t, "testdata/lsp/webapp", lsptest.Config{Settings: map[string]any{"python": venv}, MessageAnswer: confirmPackaging})
	cfg := filepath.Join(dir, ".chalice", "config.json")
	s.Open(cfg)
	c, cancel := context.WithCancel(context.Background())
	arg := []byte(fmt.Sprintf(`{"uri": %q}`, uri.File(cfg)))
	errc := make(chan error, 1)
	go func() {
		_, err := s.Server.ExecuteCommand(c, &protocol.ExecuteCommandParams{Command: "chalice-lsp.packagePreview", Arguments: []protocol.LSPAny{arg}})
		errc <- err
	}()
	s.Await("packaging started", func(st *lsptest.State) bool { return st.Begun["chalice package"] > 0 })
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("a cancelled command should fail")
	}
	s.Await("packaging ended after cancel", func(st *lsptest.State) bool { return st.Ended("chalice package") > 0 })
	// The server still answers.
	if h := s.Hover(cfg, s.Pos(cfg, `"app_name"`, 2)); !strings.Contains(h, "app_name") {
		t.Fatalf("hover after cancel: %q", h)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("code %d", code)
	}
}
