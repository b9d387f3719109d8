// Package predict lists the CloudFormation resources `chalice package` will
// generate for an app, from static analysis alone (schema/appmodel plus the
// project's config), so the language server can offer logical IDs before the
// first real packaging run finishes or when packaging fails. The rules are
// those of chalice/deploy/appgraph.py and chalice/package.py (Chalice 1.33);
// a test checks them against real `chalice package` output for every app
// under testdata/apps.
package predict

import (
	"bufio"
	"bytes"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/naming"
)

// CloudFormation / SAM resource types Chalice emits.
const (
	TypeFunction        = "AWS::Serverless::Function"
	TypeAPI             = "AWS::Serverless::Api"
	TypeLayer           = "AWS::Serverless::LayerVersion"
	TypePermission      = "AWS::Lambda::Permission"
	TypeRole            = "AWS::IAM::Role"
	TypeLogGroup        = "AWS::Logs::LogGroup"
	TypeDomainName      = "AWS::ApiGateway::DomainName"
	TypeBasePathMapping = "AWS::ApiGateway::BasePathMapping"
	TypeWSAPI           = "AWS::ApiGatewayV2::Api"
	TypeWSIntegration   = "AWS::ApiGatewayV2::Integration"
	TypeWSRoute         = "AWS::ApiGatewayV2::Route"
	TypeWSDeployment    = "AWS::ApiGatewayV2::Deployment"
	TypeWSStage         = "AWS::ApiGatewayV2::Stage"
	TypeWSDomainName    = "AWS::ApiGatewayV2::DomainName"
	TypeWSAPIMapping    = "AWS::ApiGatewayV2::ApiMapping"
)

// Resource is one predicted resource.
type Resource struct {
	LogicalID string
	Type      string
	// Function is the config-level function name the resource belongs to
	// ("api_handler", "my_fn"), "" for shared resources (RestAPI,
	// DefaultRole, ManagedLayer, ...).
	Function string
	// Handlers are the Python handlers a per-function resource comes from
	// (several routes share APIHandler and its permission); nil for shared
	// resources.
	Handlers []appmodel.Handler
}

// Options tune the prediction.
type Options struct {
	// Stage is the Chalice stage ("" = "dev").
	Stage string
	// StageConfig is a construct's stage config (nil for none), applied as
	// StageConfigMode says: the construct flavour's semantics, shared with
	// schema/effective (the zero value is chalice.cdk.Chalice's user params).
	StageConfig     *jsonpos.Node
	StageConfigMode effective.OverlayMode
	// LayerHasContent overrides the check whether the managed layer would be
	// non-empty (Chalice drops an empty layer). Nil: look at
	// requirements.txt and vendor/ in the project directory.
	LayerHasContent *bool
}

// Resources predicts the resources of app for the config tree root (the
// parsed .chalice/config.json; may be nil). IDs that collide (Chalice would
// refuse with DuplicateResourceNameError) are listed once.
func Resources(app *appmodel.App, root *jsonpos.Node, opts Options) []Resource {
	p := &predictor{app: app, opts: opts, root: root, seen: map[string]int{},
		overlay: effective.Overlay{Node: opts.StageConfig, Mode: opts.StageConfigMode}}
	return p.run()
}

type predictor struct {
	app     *appmodel.App
	root    *jsonpos.Node     // config.json
	overlay effective.Overlay // the construct's stage config, applied as its flavour does
	opts    Options
	out     []Resource
	seen    map[string]int
}

func (p *predictor) add(id, typ, fn string, hs []appmodel.Handler) {
	if id == "" {
		return
	}
	if i, ok := p.seen[id]; ok {
		p.out[i].Handlers = append(p.out[i].Handlers, hs...)
		return
	}
	p.seen[id] = len(p.out)
	p.out = append(p.out, Resource{LogicalID: id, Type: typ, Function: fn, Handlers: hs})
}

// setting is the one place config values are read, via Chalice's precedence.
func (p *predictor) setting(fn, key string) bool {
	return effective.ResolveOverlay(p.root, p.opts.Stage, fn, key, p.overlay).Truthy()
}

// function adds a Lambda function with its role, log group and the managed
// layer, as appgraph's _create_lambda_model does.
func (p *predictor) function(id, name string, hs []appmodel.Handler) {
	if p.setting(name, "automatic_layer") && p.layerHasContent() {
		p.add("ManagedLayer", TypeLayer, "", nil)
	}
	if p.setting(name, "manage_iam_role") {
		if p.setting(name, "autogen_policy") {
			p.add("DefaultRole", TypeRole, "", nil)
		} else {
			p.add(naming.LogicalID(name+"_role"), TypeRole, name, hs)
		}
	}
	if p.setting(name, "log_retention_in_days") {
		p.add(naming.LogicalID(name+"-log-group"), TypeLogGroup, name, hs)
	}
	p.add(id, TypeFunction, name, hs)
}

func (p *predictor) run() []Resource {
	var routes, auths, ws []appmodel.Handler
	byName := map[string][]appmodel.Handler{}
	var order []string
	for _, h := range p.app.Handlers {
		switch h.Kind {
		case appmodel.KindRoute:
			routes = append(routes, h)
			continue
		case appmodel.KindAuthorizer:
			auths = append(auths, h)
			continue
		case appmodel.KindWSConnect, appmodel.KindWSMessage, appmodel.KindWSDisconnect:
			ws = append(ws, h)
			continue
		}
		if _, ok := byName[h.Name]; !ok {
			order = append(order, h.Name)
		}
		byName[h.Name] = append(byName[h.Name], h)
	}
	// Pure lambdas, then event sources (appgraph.build order).
	for _, pass := range []bool{true, false} {
		for _, name := range order {
			hs := byName[name]
			if (hs[0].Kind == appmodel.KindLambda) == pass {
				p.function(naming.LogicalID(name), name, hs)
			}
		}
	}
	if len(routes) > 0 {
		p.function("APIHandler", appmodel.APIHandlerName, routes)
		p.add("RestAPI", TypeAPI, "", nil)
		p.add("APIHandlerInvokePermission", TypePermission, appmodel.APIHandlerName, routes)
		for _, a := range auths {
			id := naming.LogicalID(a.Name)
			p.function(id, a.Name, []appmodel.Handler{a})
			p.add(id+"InvokePermission", TypePermission, a.Name, []appmodel.Handler{a})
		}
		if p.setting(appmodel.APIHandlerName, "api_gateway_custom_domain") {
			p.add("ApiGatewayCustomDomain", TypeDomainName, "", nil)
			p.add("ApiGatewayCustomDomainMapping", TypeBasePathMapping, "", nil)
		}
	}
	if len(ws) > 0 {
		p.add("WebsocketAPI", TypeWSAPI, "", nil)
		for _, kind := range []appmodel.HandlerKind{appmodel.KindWSConnect, appmodel.KindWSMessage, appmodel.KindWSDisconnect} {
			var hs []appmodel.Handler
			for _, h := range ws {
				if h.Kind == kind {
					hs = append(hs, h)
				}
			}
			if len(hs) == 0 {
				continue
			}
			name := hs[0].Name
			id := naming.LogicalID(name)
			p.function(id, name, hs)
			p.add(id+"APIIntegration", TypeWSIntegration, name, hs)
			p.add(id+"InvokePermission", TypePermission, name, hs)
			p.add(id+"Route", TypeWSRoute, name, hs)
		}
		p.add("WebsocketAPIDeployment", TypeWSDeployment, "", nil)
		p.add("WebsocketAPIStage", TypeWSStage, "", nil)
		if p.setting(ws[0].Name, "websocket_api_custom_domain") {
			p.add("WebsocketApiCustomDomain", TypeWSDomainName, "", nil)
			p.add("WebsocketApiCustomDomainMapping", TypeWSAPIMapping, "", nil)
		}
	}
	return p.out
}

func (p *predictor) layerHasContent() bool {
	if p.opts.LayerHasContent != nil {
		return *p.opts.LayerHasContent
	}
	return LayerHasContent(p.app.Dir)
}

// LayerHasContent reports whether Chalice's managed layer for the project
// would be non-empty: requirements.txt lists something or vendor/ holds a
// file. (Chalice builds the layer and drops it when it is empty; a
// requirement that installs nothing is not detected here.)
func LayerHasContent(projectDir string) bool {
	if b, err := safefile.Read(filepath.Join(projectDir, "requirements.txt")); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line != "" && !strings.HasPrefix(line, "#") {
				return true
			}
		}
	}
	found := false
	filepath.WalkDir(filepath.Join(projectDir, "vendor"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// ConfigCanCreate reports whether a config key could create the logical ID id
// for an app with the given config-level function names: the managed layer,
// roles, log groups and custom domains. A construct whose stage_config is only
// partly known may create these, so they are never reported unknown for it;
// function IDs and the REST API come from app.py.
func ConfigCanCreate(id string, functions []string) bool {
	switch id {
	case "ManagedLayer", "DefaultRole", "ApiGatewayCustomDomain", "ApiGatewayCustomDomainMapping",
		"WebsocketApiCustomDomain", "WebsocketApiCustomDomainMapping":
		return true
	}
	for _, fn := range functions {
		if id == naming.LogicalID(fn+"_role") || id == naming.LogicalID(fn+"-log-group") {
			return true
		}
	}
	return false
}
