package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// capServer records what initialize and completion decoded.
type capServer struct {
	protocol.UnimplementedServer
	mu     sync.Mutex
	init   *protocol.InitializeParams
	custom []any
}

func (c *capServer) Initialize(_ context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	c.mu.Lock()
	c.init = p
	c.mu.Unlock()
	return &protocol.InitializeResult{}, nil
}

func (c *capServer) Completion(context.Context, *protocol.CompletionParams) (protocol.CompletionResult, error) {
	return &protocol.CompletionList{Items: []protocol.CompletionItem{}}, nil
}

func (c *capServer) Request(_ context.Context, method string, params any) (any, error) {
	c.mu.Lock()
	c.custom = append(c.custom, params)
	c.mu.Unlock()
	if method == "chalice-lsp/stats" {
		return map[string]int{"Runs": 0}, nil
	}
	return nil, MethodNotFound(method)
}

func startPair(t *testing.T, srv protocol.Server, logs *[]string, initialized bool) jsonrpc2.Conn {
	t.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	var mu sync.Mutex
	conn := jsonrpc2.NewConn(NewStream(sr, sw, nil), jsonrpc2.WithCodec(Codec{}))
	conn.Go(context.Background(), Handler(srv, Lifecycle{Initialized: func() bool { return initialized }, ShutDown: func() bool { return false }},
		func(_ protocol.MessageType, f string, a ...any) {
			mu.Lock()
			defer mu.Unlock()
			*logs = append(*logs, f)
		}))
	t.Cleanup(func() { conn.Close() })
	client := jsonrpc2.NewConn(NewStream(cr, cw, nil), jsonrpc2.WithCodec(Codec{}))
	client.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
	t.Cleanup(func() { client.Close() })
	return client
}

// Capabilities of an unexpected shape, as real clients send them (Neovim's empty Lua
// table for callHierarchy, a bare string for contentFormat), are treated as absent;
// the rest of initialize still counts.
func TestInitializeDecodesCapabilitiesLeniently(t *testing.T) {
	srv := &capServer{}
	var logs []string
	client := startPair(t, srv, &logs, false)
	params := json.RawMessage(`{"processId": null, "rootUri": "file:///tmp/x",
	  "capabilities": {
	    "textDocument": {
	      "callHierarchy": [],
	      "typeHierarchy": [{"dynamicRegistration": false}],
	      "hover": {"contentFormat": "markdown", "dynamicRegistration": true},
	      "completion": {"completionItem": {"snippetSupport": true}}
	    },
	    "general": {"positionEncodings": ["utf-8", "utf-16"]}
	  }}`)
	var res json.RawMessage
	if _, err := client.Call(context.Background(), protocol.MethodInitialize, params, &res); err != nil {
		t.Fatalf("initialize with odd capability shapes: %v", err)
	}
	srv.mu.Lock()
	p := srv.init
	srv.mu.Unlock()
	td := p.Capabilities.TextDocument
	if td == nil || td.Completion == nil || td.Completion.CompletionItem == nil || td.Completion.CompletionItem.SnippetSupport == nil || !*td.Completion.CompletionItem.SnippetSupport {
		t.Fatalf("well-formed capabilities lost: %+v", td)
	}
	if td.CallHierarchy != nil && td.CallHierarchy.DynamicRegistration != nil || td.TypeHierarchy != nil || td.Hover == nil || len(td.Hover.ContentFormat) != 0 || td.Hover.DynamicRegistration == nil {
		t.Fatalf("malformed members should be absent, siblings kept: callHierarchy=%v typeHierarchy=%v hover=%+v", td.CallHierarchy, td.TypeHierarchy, td.Hover)
	}
	if p.Capabilities.General == nil || len(p.Capabilities.General.PositionEncodings) != 2 {
		t.Fatalf("general lost: %+v", p.Capabilities.General)
	}
	if len(logs) == 0 || !strings.Contains(strings.Join(logs, "\n"), "ignored params members") {
		t.Fatalf("dropped members are not logged: %q", logs)
	}
}

func TestParamsErrorsAreInvalidParamsNotParseErrors(t *testing.T) {
	srv := &capServer{}
	var logs []string
	client := startPair(t, srv, &logs, true)
	ctx := context.Background()
	var we *jsonrpc2.Error
	for _, tc := range []struct {
		method string
		params json.RawMessage
	}{
		{protocol.MethodTextDocumentCompletion, json.RawMessage(`{"textDocument": {"uri": "file:///a"}, "position": "start"}`)},
		{protocol.MethodTextDocumentCompletion, json.RawMessage(`null`)},
		{protocol.MethodTextDocumentCompletion, json.RawMessage(`[1, 2]`)},
		{protocol.MethodTextDocumentHover, json.RawMessage(`{"textDocument": 3, "position": {"line": 0, "character": 0}}`)},
	} {
		var out json.RawMessage
		_, err := client.Call(ctx, tc.method, tc.params, &out)
		if !errors.As(err, &we) || we.Code != jsonrpc2.InvalidParams {
			t.Errorf("%s %s: want InvalidParams (-32602), got %v", tc.method, tc.params, err)
		}
	}
	// Custom requests take no params; null and absent are both fine.
	for _, params := range []any{json.RawMessage(`null`), nil} {
		var out map[string]int
		if _, err := client.Call(ctx, "chalice-lsp/stats", params, &out); err != nil {
			t.Errorf("chalice-lsp/stats with params %v: %v", params, err)
		}
	}
	// An unknown $/ request is MethodNotFound; an unknown $/ notification is ignored.
	if err := client.Notify(ctx, "$/unknownNotification", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	var out any
	_, err := client.Call(ctx, "$/unknownRequest", json.RawMessage(`{}`), &out)
	if !errors.As(err, &we) || we.Code != jsonrpc2.MethodNotFound {
		t.Errorf("$/unknownRequest: want MethodNotFound, got %v", err)
	}
}
