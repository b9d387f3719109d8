package rpc

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Lifecycle tells the dispatcher where the session is. Both funcs must be cheap and
// safe for concurrent use.
type Lifecycle struct {
	// Initialized reports whether the initialize request has been answered.
	Initialized func() bool
	// ShutDown reports whether the shutdown request has been received.
	ShutDown func() bool
}

// Logger receives the dispatcher's own reports (panics, dropped messages).
type Logger func(msgType protocol.MessageType, format string, args ...any)

// Handler returns the jsonrpc2 handler for server.
//
// Concurrency model (jsonrpc2 v1 runs a handler inline on the read loop unless it
// calls jsonrpc2.Async; protocol.NewServer makes *everything* async, which loses
// the order of didOpen/didChange):
//   - Notifications run inline, in wire order. They only update in-memory state and
//     wake workers, so they are fast; a request that arrives after a didChange is
//     guaranteed to see it.
//   - Requests release the read loop at once and run concurrently, so a slow one (a
//     command that packages the app) never delays completion or hover, and
//     handlers may call back into the client. Every call must be released: jsonrpc2
//     pools the context of a request that stays inline and recycles it when the
//     handler returns, while protocol.CancelHandler has already derived a
//     cancellable context from it whose watcher goroutine may run later and then
//     panics on the recycled parent ("cannot create context from nil parent").
//     Notification handlers must never derive contexts from their ctx for the
//     same reason.
//   - $/cancelRequest cancels the named request's context.
//   - A panic in a handler answers the call with an InternalError and is logged; a
//     notification handler's error is logged. Neither tears the connection down.
//   - Params are decoded leniently (params.go): a member of an unexpected shape is
//     dropped and logged, and only truly invalid params get InvalidParams (-32602).
//   - Before initialize, calls get ServerNotInitialized and notifications other than
//     exit are dropped; after shutdown, calls other than shutdown get InvalidRequest.
func Handler(server protocol.Server, lc Lifecycle, log Logger) jsonrpc2.Handler {
	inner := protocol.ServerHandler(server, nil)
	gated := func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		method := req.Method()
		isCall := req.IsCall()
		switch {
		case method == protocol.MethodInitialize:
			if lc.Initialized() {
				return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "initialize was already received; a server is initialized once per session")
			}
		case method == protocol.MethodExit:
		case !lc.Initialized():
			if isCall {
				return nil, jsonrpc2.Errorf(jsonrpc2.ServerNotInitialized, "%s received before initialize: send initialize first", method)
			}
			return nil, nil
		case lc.ShutDown() && isCall && method != protocol.MethodShutdown:
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s received after shutdown: the server only accepts exit now", method)
		}
		var res any
		var err error
		var dropped []string
		switch r, ok := routes[method]; {
		case ok:
			res, err = r(ctx, server, req.Params(), &dropped)
		case strings.HasPrefix(method, "$/"):
			// Optional protocol messages: a notification may be ignored, a request
			// must be answered with MethodNotFound (LSP "$ Notifications and Requests").
			if isCall {
				err = MethodNotFound(method)
			}
		case !isLSPMethod(method):
			var params any
			if params, err = customParams(req.Params()); err == nil {
				res, err = server.Request(ctx, strings.Clone(method), params)
			}
		default:
			res, err = inner(ctx, req)
			err = asInvalidParams(err)
		}
		if len(dropped) > 0 {
			log(protocol.MessageTypeLog, "%s: ignored params members that do not have the type the LSP defines: %s", method, strings.Join(dropped, ", "))
		}
		if isCall && err != nil && ctx.Err() != nil {
			return nil, protocol.ErrRequestCancelled
		}
		return res, err
	}
	withCancel := protocol.CancelHandler(gated)
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		isCall := req.IsCall()
		method := req.Method()
		if isCall {
			jsonrpc2.Async(ctx)
		}
		defer func() {
			if r := recover(); r != nil {
				log(protocol.MessageTypeError, "internal error handling %s: %v\n%s", method, r, debug.Stack())
				result = nil
				err = nil
				if isCall {
					err = jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error handling %s: %v (this is a bug in chalice-lsp; the log has details)", method, r)
				}
			}
		}()
		result, err = withCancel(ctx, req)
		if !isCall {
			if err != nil {
				// jsonrpc2 would fail the whole connection on a notification error.
				log(protocol.MessageTypeWarning, "%s: %v", method, err)
			}
			return nil, nil
		}
		return result, err
	}
}

// MethodNotFound is the error for an unknown request method.
func MethodNotFound(method string) error {
	return jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q is not supported by chalice-lsp", method)
}

// InvalidParams is the error for request params the server cannot use.
func InvalidParams(format string, args ...any) error {
	return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s", fmt.Sprintf(format, args...))
}
