// Package appmodel reads a Chalice project's app.py (and the blueprints it
// registers from chalicelib/) with a real Python parser (tree-sitter) and
// lists its Lambda handlers under the names Chalice's config uses.
//
// It never runs the user's code: everything comes from the syntax tree, so it
// is safe and cheap enough to run on every keystroke, and it tolerates
// half-typed code (handlers in a broken region may be missed, the rest are
// still found). All spans are byte offsets into the file named by File.
package appmodel

import (
	"sort"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// HandlerKind says which decorator created a handler.
type HandlerKind string

// Handler kinds, one per Chalice decorator.
const (
	KindRoute        HandlerKind = "route"           // @app.route
	KindAuthorizer   HandlerKind = "authorizer"      // @app.authorizer (built-in authorizer)
	KindLambda       HandlerKind = "lambda_function" // @app.lambda_function
	KindSchedule     HandlerKind = "schedule"        // @app.schedule
	KindCWEvent      HandlerKind = "cw_event"        // @app.on_cw_event
	KindS3Event      HandlerKind = "s3_event"        // @app.on_s3_event
	KindSNS          HandlerKind = "sns"             // @app.on_sns_message
	KindSQS          HandlerKind = "sqs"             // @app.on_sqs_message
	KindKinesis      HandlerKind = "kinesis"         // @app.on_kinesis_record
	KindDynamoDB     HandlerKind = "dynamodb"        // @app.on_dynamodb_record
	KindWSConnect    HandlerKind = "ws_connect"      // @app.on_ws_connect
	KindWSMessage    HandlerKind = "ws_message"      // @app.on_ws_message
	KindWSDisconnect HandlerKind = "ws_disconnect"   // @app.on_ws_disconnect
)

// APIHandlerName is the config name of the one Lambda behind all routes.
const APIHandlerName = "api_handler"

// Handler is one decorated Python function.
type Handler struct {
	// Name is the config-level name Chalice scopes config by
	// (lambda_functions.<Name>): "api_handler" for routes, the fixed
	// "websocket_connect|message|disconnect" for websocket handlers, else the
	// decorator's name= or the Python function name, with the blueprint's
	// name_prefix prepended.
	Name string
	Kind HandlerKind
	// PyFunc is the Python function's name.
	PyFunc string
	// File is the absolute path of the file holding the function.
	File string
	// NameStart, NameEnd span the function name after `def`.
	NameStart, NameEnd int
	// DecoStart, DecoEnd span the decorator (from "@").
	DecoStart, DecoEnd int
	// Route is the URL path of a route (blueprint url_prefix applied).
	Route string
	// Args holds the decorator's arguments by Chalice parameter name
	// (positional ones mapped to their names): string literals decoded,
	// anything else as source text.
	Args map[string]string
	// Module is the Python module Chalice puts in the Lambda Handler string
	// ("app", or the blueprint's import name), so Handler is Module.PyFunc.
	Module string
	// Blueprint is the blueprint's variable name, "" for handlers on the app.
	Blueprint string
	// NameArgStart, NameArgEnd span the content of the name= string literal
	// (0, 0 when there is none).
	NameArgStart, NameArgEnd int
	// NameUnresolved is set when name= is an expression the parser cannot
	// evaluate; Name then falls back to the Python function name.
	NameUnresolved bool
}

// Blueprint is an app.register_blueprint(...) call.
type Blueprint struct {
	// Expr is the blueprint argument as written ("bp", "views.bp").
	Expr string
	// Var is the blueprint's variable name in its module.
	Var string
	// File is the file defining the blueprint ("" if it was not found).
	File string
	// ImportName is the Blueprint(...) import name (the module for __name__).
	ImportName         string
	NamePrefix         string
	URLPrefix          string
	CallStart, CallEnd int // the register_blueprint call in the app file
}

// App is what the parser learnt about a Chalice project.
type App struct {
	// Dir is the absolute project directory; AppFile is Dir/app.py.
	Dir, AppFile string
	// AppName is the Chalice(app_name=...) literal ("" if not a literal).
	AppName string
	// AppNameStart, AppNameEnd span the app name literal's content in
	// AppNameFile (app.py, or the module of a factory).
	AppNameStart, AppNameEnd int
	AppNameFile              string
	// MisnamedStart, MisnamedEnd span the name of a Chalice object app.py binds
	// to another name than app (`APP = Chalice(...)`) when it has no module
	// attribute app, which is the only one Chalice loads; 0, 0 otherwise.
	MisnamedStart, MisnamedEnd int
	// HandlersUnknown says why the handler set cannot be known (the app
	// object is built by code the editor cannot follow); "" when Handlers
	// is complete. Rules that need every handler stay silent when it is set.
	HandlersUnknown string
	// AppVar is the app.py name of the Chalice object ("app" usually; the
	// name app.py decorates when the object itself cannot be followed).
	AppVar string
	// Handlers in registration order.
	Handlers []Handler
	// FeatureFlags from app.experimental_feature_flags.update([...]/add(...)).
	FeatureFlags []string
	Blueprints   []Blueprint
	// ParseErrors are syntax errors and unresolved blueprints in AppFile.
	ParseErrors []diag.Diagnostic
	// FileErrors holds the same for every file read (AppFile included),
	// keyed by absolute path.
	FileErrors map[string][]diag.Diagnostic
}

// FunctionNames returns the distinct config-level function names, sorted
// ("api_handler" if there is any route).
func (a *App) FunctionNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range a.Handlers {
		if h.Name != "" && !seen[h.Name] {
			seen[h.Name] = true
			out = append(out, h.Name)
		}
	}
	sort.Strings(out)
	return out
}

// HandlersNamed returns the handlers whose config name is name (several
// routes share "api_handler").
func (a *App) HandlersNamed(name string) []Handler {
	var out []Handler
	for _, h := range a.Handlers {
		if h.Name == name {
			out = append(out, h)
		}
	}
	return out
}

// HasFeatureFlag reports whether the app enables an experimental feature.
func (a *App) HasFeatureFlag(flag string) bool {
	for _, f := range a.FeatureFlags {
		if f == flag {
			return true
		}
	}
	return false
}
