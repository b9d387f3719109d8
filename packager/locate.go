package packager

// The one locator for packaging failures: chalice reports most configuration
// errors without a place, and the CLI (`chalice-lsp package`, `check --package`),
// the construct's failure annotation and the editor all point at the key that
// Locate finds here, resolved the way Chalice resolves settings.

import (
	"sort"

	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Spot is the config key (or value) a failure is about: a byte span in
// config.json's content, or in the overlay's document when InOverlay.
type Spot struct {
	Start, End int
	InOverlay  bool
}

// Locate finds the key behind an invalid-config failure e (by e.Cause) for stage
// in config.json (parsed as config) with the construct's stage_config overlay ov
// (Node nil: none): the one of subnet_ids/security_group_ids that is set, the
// iam_policy_file or the autogen_policy false that made chalice read a missing
// policy file, an incomplete custom domain, an environment variable value that is
// not a string, version. ok is false when the cause has no key to point at.
func Locate(e *Error, config *jsonpos.Node, stage string, ov effective.Overlay) (Spot, bool) {
	if e == nil || e.Class != ClassInvalidConfig || config == nil {
		return Spot{}, false
	}
	resolve := func(fn, key string) effective.Value {
		return effective.ResolveOverlay(config, stage, fn, key, ov)
	}
	set := func(v effective.Value) bool {
		return v.Node != nil && v.Member != nil && v.Origin != effective.OriginBuildDefault
	}
	at := func(v effective.Value) (Spot, bool) {
		return Spot{Start: v.Member.KeyStart, End: v.Member.KeyEnd, InOverlay: v.InOverlay}, true
	}
	fns := functionsIn(config, stage, ov)
	switch e.Cause {
	case CauseVPCPair:
		for _, key := range []string{"subnet_ids", "security_group_ids"} {
			if v := resolve(e.Function, key); set(v) && v.Truthy() {
				return at(v)
			}
		}
	case CausePolicyFile:
		for _, fn := range fns {
			auto := resolve(fn, "autogen_policy")
			if !auto.Found || auto.Truthy() {
				continue
			}
			if v := resolve(fn, "iam_policy_file"); set(v) {
				return at(v)
			}
			if set(auto) {
				return at(auto)
			}
		}
	case CauseCustomDomain:
		for _, key := range []string{"api_gateway_custom_domain", "websocket_api_custom_domain"} {
			if v := resolve("", key); set(v) {
				return at(v)
			}
		}
	case CauseEnvNotString:
		for _, fn := range fns {
			for _, en := range resolve(fn, "environment_variables").Entries {
				if en.Node != nil && en.Node.Kind != jsonpos.String && en.Node.Kind != jsonpos.Opaque {
					return Spot{Start: en.Node.Start, End: en.Node.End, InOverlay: en.InOverlay}, true
				}
			}
		}
	case CauseVersion:
		if v := resolve("", "version"); set(v) {
			return at(v)
		}
	}
	return Spot{}, false
}

// functionsIn lists the function levels worth resolving: the app level ("") and
// every function named under lambda_functions (top level, the stage, the
// overlay), sorted; a function without its own entry resolves like the app level.
func functionsIn(config *jsonpos.Node, stage string, ov effective.Overlay) []string {
	if stage == "" {
		stage = effective.DefaultStage
	}
	seen := map[string]bool{}
	add := func(n *jsonpos.Node) {
		if n == nil || n.Kind != jsonpos.Object {
			return
		}
		for _, m := range n.Members {
			seen[m.Key] = true
		}
	}
	add(config.Lookup(jsonpos.Pointer("lambda_functions")))
	add(config.Lookup(jsonpos.Pointer("stages", stage, "lambda_functions")))
	if ov.Node != nil {
		add(ov.Node.Lookup(jsonpos.Pointer("lambda_functions")))
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return append(append([]string{""}, names...), effective.APIHandler)
}

// overlayOf is a request's stage config as an overlay the locator can resolve,
// applied as mode says; its offsets point into the JSON encoding, so a spot in it
// is reported by name only.
func overlayOf(sc map[string]any, mode effective.OverlayMode) effective.Overlay {
	n, err := effective.OverlayFromMap(sc)
	if err != nil {
		return effective.Overlay{}
	}
	return effective.Overlay{Node: n, Mode: mode}
}
