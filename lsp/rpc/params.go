package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Request params are decoded here, leniently, instead of by protocol.ServerHandler,
// which answers any field it cannot decode with -32700 (a parse error, although the
// JSON was valid) and so rejects a whole initialize over one capability of an
// unexpected shape: `callHierarchy: []` (an empty Lua table from Neovim),
// `hover.contentFormat: "markdown"`. Real clients send such things; the LSP says a
// client capability that is not understood is simply absent.
//
// The rule: a member that does not decode is dropped, as deep in the tree as
// possible, and reported (the dispatcher logs it at debug level). Only when a
// required member (no omitzero/omitempty in the protocol type) is unusable, or the
// params are not an object at all, is the request truly invalid: -32602.

// route calls one server method with params decoded leniently.
type route func(ctx context.Context, s protocol.Server, raw []byte, dropped *[]string) (any, error)

func call[P, R any](f func(protocol.Server, context.Context, *P) (R, error)) route {
	return func(ctx context.Context, s protocol.Server, raw []byte, dropped *[]string) (any, error) {
		var p P
		if err := decodeParams(raw, &p, dropped); err != nil {
			return nil, err
		}
		return f(s, ctx, &p)
	}
}

func notify[P any](f func(protocol.Server, context.Context, *P) error) route {
	return func(ctx context.Context, s protocol.Server, raw []byte, dropped *[]string) (any, error) {
		var p P
		if err := decodeParams(raw, &p, dropped); err != nil {
			return nil, err
		}
		return nil, f(s, ctx, &p)
	}
}

// routes are the methods chalice-lsp implements. Others go to protocol's own
// dispatch (standard methods: MethodNotFound from UnimplementedServer) or, for
// methods outside the LSP namespaces, to Server.Request.
var routes = map[string]route{
	protocol.MethodInitialize:                         withRawParams(call(protocol.Server.Initialize)),
	protocol.MethodInitialized:                        notify(protocol.Server.Initialized),
	protocol.MethodTextDocumentDidOpen:                notify(protocol.Server.DidOpen),
	protocol.MethodTextDocumentDidChange:              notify(protocol.Server.DidChange),
	protocol.MethodTextDocumentDidSave:                notify(protocol.Server.DidSave),
	protocol.MethodTextDocumentDidClose:               notify(protocol.Server.DidClose),
	protocol.MethodTextDocumentCompletion:             call(protocol.Server.Completion),
	protocol.MethodTextDocumentHover:                  call(protocol.Server.Hover),
	protocol.MethodTextDocumentDefinition:             call(protocol.Server.Definition),
	protocol.MethodTextDocumentCodeAction:             call(protocol.Server.CodeAction),
	protocol.MethodTextDocumentDiagnostic:             call(protocol.Server.Diagnostic),
	protocol.MethodWorkspaceExecuteCommand:            call(protocol.Server.ExecuteCommand),
	protocol.MethodWorkspaceDidChangeConfiguration:    notify(protocol.Server.DidChangeConfiguration),
	protocol.MethodWorkspaceDidChangeWatchedFiles:     notify(protocol.Server.DidChangeWatchedFiles),
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: notify(protocol.Server.DidChangeWorkspaceFolders),
	protocol.MethodWindowWorkDoneProgressCancel:       notify(protocol.Server.WorkDoneProgressCancel),
	protocol.MethodSetTrace:                           notify(protocol.Server.SetTrace),
}

type rawParamsKey struct{}

// RawParams returns the params of the initialize request as the client sent them,
// for the few capabilities real clients spell differently from the LSP (Helix's
// workspace.diagnostic.refreshSupport), which the typed decode cannot see.
func RawParams(ctx context.Context) []byte {
	b, _ := ctx.Value(rawParamsKey{}).([]byte)
	return b
}

func withRawParams(r route) route {
	return func(ctx context.Context, s protocol.Server, raw []byte, dropped *[]string) (any, error) {
		return r(context.WithValue(ctx, rawParamsKey{}, append([]byte(nil), raw...)), s, raw, dropped)
	}
}

// lspNamespaces are the method prefixes the LSP defines; a method outside them is
// a server-specific request (chalice-lsp/stats) handled by Server.Request.
var lspNamespaces = []string{"textDocument/", "workspace/", "window/", "notebookDocument/", "callHierarchy/",
	"typeHierarchy/", "completionItem/", "codeAction/", "codeLens/", "documentLink/", "inlayHint/", "workspaceSymbol/", "client/", "telemetry/"}

func isLSPMethod(method string) bool {
	switch method {
	case protocol.MethodInitialize, protocol.MethodInitialized, protocol.MethodShutdown, protocol.MethodExit:
		return true
	}
	for _, p := range lspNamespaces {
		if strings.HasPrefix(method, p) {
			return true
		}
	}
	return strings.HasPrefix(method, "$/")
}

// customParams decodes the params of a server-specific request: absent or null is
// nil (these requests take no params), anything else must be JSON.
func customParams(raw []byte) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var v protocol.LSPAny
	if err := protocol.Unmarshal(raw, &v); err != nil {
		return nil, InvalidParams("the params are not valid JSON: %v", err)
	}
	return v, nil
}

// decodeParams decodes raw into v (a pointer to a params struct) leniently; the
// JSON pointers of the members it had to drop are appended to dropped.
func decodeParams(raw []byte, v any, dropped *[]string) error {
	if len(raw) == 0 || string(raw) == "null" {
		return InvalidParams("the params are missing; this method needs an object")
	}
	if protocol.Unmarshal(raw, v) == nil {
		return nil
	}
	t := reflect.TypeOf(v).Elem()
	var local []string
	pruned, err := prune(raw, t, "", &local)
	if err != nil {
		return InvalidParams("%v", err)
	}
	if err := protocol.Unmarshal(pruned, v); err != nil {
		return InvalidParams("%v", err)
	}
	*dropped = append(*dropped, local...)
	return nil
}

func decodes(raw []byte, t reflect.Type) error {
	return protocol.Unmarshal(raw, reflect.New(t).Interface())
}

// prune returns raw with every member that does not decode as its field of t
// removed. It fails when raw is not an object where a struct is expected, or when
// a required member does not decode.
func prune(raw []byte, t reflect.Type, path string, dropped *[]string) ([]byte, error) {
	err := decodes(raw, t)
	if err == nil {
		return raw, nil
	}
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() != reflect.Struct {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return nil, fmt.Errorf("%s: expected an object, got %s", where(path), abbreviate(raw))
	}
	fields := jsonFields(st)
	out := make(map[string]json.RawMessage, len(obj))
	for name, val := range obj {
		f, known := fields[name]
		if !known {
			out[name] = val
			continue
		}
		p, ferr := prune(val, f.typ, path+"/"+name, dropped)
		if ferr != nil {
			if f.required {
				return nil, fmt.Errorf("%s: %v", where(path+"/"+name), ferr)
			}
			*dropped = append(*dropped, path+"/"+name)
			continue
		}
		out[name] = p
	}
	b, merr := json.Marshal(out)
	if merr != nil {
		return nil, merr
	}
	if err := decodes(b, t); err != nil {
		return nil, err
	}
	return b, nil
}

type jsonField struct {
	typ      reflect.Type
	required bool
}

// jsonFields maps the JSON member names of struct type t (embedded structs
// flattened, as encoding/json does) to their Go types.
func jsonFields(t reflect.Type) map[string]jsonField {
	m := map[string]jsonField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range jsonFields(et) {
					if _, ok := m[k]; !ok {
						m[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := strings.Contains(opts, "omitzero") || strings.Contains(opts, "omitempty")
		m[name] = jsonField{typ: f.Type, required: !optional}
	}
	return m
}

func where(path string) string {
	if path == "" {
		return "params"
	}
	return "params" + path
}

func abbreviate(raw []byte) string {
	s := string(raw)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// asInvalidParams turns protocol's decode failure (reported as a parse error,
// -32700) into -32602: by the time a handler runs, the message itself parsed.
func asInvalidParams(err error) error {
	var we *jsonrpc2.Error
	if errors.As(err, &we) && we.Code == jsonrpc2.ParseError {
		return InvalidParams("%v", err)
	}
	return err
}
