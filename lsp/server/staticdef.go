package server

import (
	"github.com/chalice-lsp/chalice-lsp/lsp/logicalid"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Definition of a logical ID before anything was packaged (issue #11 D7): packaging
// only runs by itself in a trusted workspace, and most clients never say the
// workspace is trusted, so "no template" is the usual state. Instead of nothing,
// jump to what creates the resource, known statically: the handler in app.py for
// per-function resources (already in Entry.Handlers), the config.json key for the
// ones a setting creates, and the Chalice(app_name=...) call for the app's shared
// resources.

// configKeysFor names the config.json keys that create a shared resource, in the
// order to look for them (stage level before top level).
var configKeysFor = map[string][]string{
	"ApiGatewayCustomDomain":          {"api_gateway_custom_domain"},
	"ApiGatewayCustomDomainMapping":   {"api_gateway_custom_domain"},
	"WebsocketApiCustomDomain":        {"websocket_api_custom_domain"},
	"WebsocketApiCustomDomainMapping": {"websocket_api_custom_domain"},
	"ManagedLayer":                    {"automatic_layer"},
	"DefaultRole":                     {"iam_policy_file", "autogen_policy", "manage_iam_role"},
}

// staticDefinition returns where a predicted entry comes from.
func (s *Server) staticDefinition(t pkgTarget, e *logicalid.Entry) []protocol.Location {
	if t.ps == nil {
		return nil
	}
	if keys := configKeysFor[e.ID]; len(keys) > 0 {
		if loc, ok := s.configKeyLocation(t, keys); ok {
			return []protocol.Location{loc}
		}
	}
	if e.Function != "" || (e.Type != predict.TypeRole && e.Type != predict.TypeAPI && e.Type != predict.TypeWSAPI &&
		e.Type != predict.TypeLayer && configKeysFor[e.ID] == nil) {
		return nil
	}
	// A resource of the whole app: the Chalice(app_name=...) call in app.py.
	app, err := s.appOf(t.ps)
	if err != nil || app == nil || app.AppNameEnd == 0 {
		return nil
	}
	src, err := s.docs.ReadFile(app.AppFile)
	if err != nil {
		return nil
	}
	m := (&overlay.Document{Content: src}).Mapper()
	return []protocol.Location{{URI: uri.File(app.AppFile), Range: s.toRange(m, app.AppNameStart, app.AppNameEnd)}}
}

// configKeyLocation finds the first of keys in config.json, in stages.<stage> first,
// then at the top level.
func (s *Server) configKeyLocation(t pkgTarget, keys []string) (protocol.Location, bool) {
	root := s.configOf(t.ps)
	if root == nil || root.Kind != jsonpos.Object {
		return protocol.Location{}, false
	}
	var objs []*jsonpos.Node
	if st := root.Get("stages"); st != nil && st.Kind == jsonpos.Object {
		if so := st.Get(t.stage); so != nil && so.Kind == jsonpos.Object {
			objs = append(objs, so)
		}
	}
	objs = append(objs, root)
	for _, k := range keys {
		for _, o := range objs {
			for i := range o.Members {
				mm := &o.Members[i]
				if mm.Key != k {
					continue
				}
				src, err := s.docs.ReadFile(t.ps.proj.ConfigPath)
				if err != nil {
					return protocol.Location{}, false
				}
				m := (&overlay.Document{Content: src}).Mapper()
				return protocol.Location{URI: uri.File(t.ps.proj.ConfigPath), Range: s.toRange(m, mm.KeyStart, mm.KeyEnd)}, true
			}
		}
	}
	return protocol.Location{}, false
}
