package cdkfeatures

import (
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Location is a span of a file: byte offsets into Content, the file as the
// snapshot (or the packaged template) has it.
type Location struct {
	Path       string
	Content    []byte
	Start, End int
}

// Definition is where a logical ID at a call site is defined.
type Definition struct {
	ID        string
	Target    analysis.Target
	Locations []Location
	// NoTemplate: nothing was packaged for the target yet, so the locations are
	// the handlers in app.py or what creates the resource statically.
	NoTemplate bool
}

// DefinitionAt jumps from the logical ID at off in f to the resource in the
// packaged template and to the handler(s) in app.py; before anything was
// packaged (issue #11 D7; packaging only runs by itself in a trusted
// workspace), to what creates the resource, known statically: the handler for
// per-function resources, the config.json key for the ones a setting creates,
// and the Chalice(app_name=...) call for the app's shared resources.
func DefinitionAt(s *analysis.Snapshot, f *analysis.CDKFile, off int) (Definition, bool) {
	at := f.File.At(off)
	if at.Kind != cdkcode.InLogicalID || at.IDRef.Text == "" {
		return Definition{}, false
	}
	t, ok := s.TargetForRef(f, at.IDRef)
	if !ok {
		return Definition{}, false
	}
	ix := s.IDIndex(t)
	e := ix.Lookup(at.IDRef.Text)
	if e == nil {
		return Definition{}, false
	}
	d := Definition{ID: e.ID, Target: t}
	if e.Resource != nil && ix.Template != nil && ix.Template.Path != "" {
		d.Locations = append(d.Locations, Location{Path: ix.Template.Path, Content: ix.Template.Source, Start: e.Resource.KeyStart, End: e.Resource.KeyEnd})
	} else {
		d.NoTemplate = true
		if len(e.Handlers) == 0 {
			d.Locations = staticDefinition(s, t, e)
		}
	}
	for _, h := range e.Handlers {
		if src, err := s.ReadFile(h.File); err == nil {
			d.Locations = append(d.Locations, Location{Path: h.File, Content: src, Start: h.NameStart, End: h.NameEnd})
		}
	}
	return d, true
}

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

// staticDefinition returns where a predicted entry without handlers comes from.
func staticDefinition(s *analysis.Snapshot, t analysis.Target, e *logicalid.Entry) []Location {
	if keys := configKeysFor[e.ID]; len(keys) > 0 {
		if loc, ok := configKeyLocation(s, t, keys); ok {
			return []Location{loc}
		}
	}
	if e.Function != "" || (e.Type != predict.TypeRole && e.Type != predict.TypeAPI && e.Type != predict.TypeWSAPI &&
		e.Type != predict.TypeLayer && configKeysFor[e.ID] == nil) {
		return nil
	}
	// A resource of the whole app: the Chalice(app_name=...) call in app.py.
	app, err := s.App(t.Project)
	if err != nil || app == nil || app.AppNameEnd == 0 {
		return nil
	}
	src, err := s.ReadFile(app.AppFile)
	if err != nil {
		return nil
	}
	return []Location{{Path: app.AppFile, Content: src, Start: app.AppNameStart, End: app.AppNameEnd}}
}

// configKeyLocation finds the first of keys in config.json, in stages.<stage>
// first, then at the top level.
func configKeyLocation(s *analysis.Snapshot, t analysis.Target, keys []string) (Location, bool) {
	root := s.Config(t.Project)
	if root == nil || root.Kind != jsonpos.Object {
		return Location{}, false
	}
	var objs []*jsonpos.Node
	if st := root.Get("stages"); st != nil && st.Kind == jsonpos.Object {
		if so := st.Get(t.Stage); so != nil && so.Kind == jsonpos.Object {
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
				src, err := s.ReadFile(t.Project.ConfigPath)
				if err != nil {
					return Location{}, false
				}
				return Location{Path: t.Project.ConfigPath, Content: src, Start: mm.KeyStart, End: mm.KeyEnd}, true
			}
		}
	}
	return Location{}, false
}
