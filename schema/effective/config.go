package effective

import (
	"encoding/json"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Config is the effective configuration of one stage: what the "Preview effective
// config" command shows.
type Config struct {
	Stage string `json:"stage"`
	// App holds the keys that do not vary per function (top-only and per-stage keys,
	// and the file version), in Keys() order.
	App []Value `json:"app"`
	// Functions holds every per-function and merged key for each function, in the
	// order the functions were given.
	Functions []FunctionConfig `json:"functions"`
}

// FunctionConfig is the effective configuration of one Lambda function.
type FunctionConfig struct {
	Name   string  `json:"name"`
	Values []Value `json:"values"`
}

// EffectiveConfig resolves every key Chalice reads for stage, for each function
// (config names such as api_handler, from appmodel.App.FunctionNames; when functions
// is nil, FunctionNames(root, stage) plus api_handler is used). user is the optional
// stage_config overlay.
func EffectiveConfig(root *jsonpos.Node, stage string, functions []string, user *jsonpos.Node) *Config {
	return EffectiveConfigOverlay(root, stage, functions, Overlay{Node: user, Mode: UserParams})
}

// EffectiveConfigOverlay is EffectiveConfig for any construct's way of applying its
// stage_config (see OverlayMode).
func EffectiveConfigOverlay(root *jsonpos.Node, stage string, functions []string, ov Overlay) *Config {
	if stage == "" {
		stage = DefaultStage
	}
	if functions == nil {
		functions = FunctionNames(root, stage)
		if ov.Mode != UserParams {
			functions = union(functions, functionKeys(object(ov.Node).Get("lambda_functions")))
		}
		if !contains(functions, APIHandler) {
			functions = append([]string{APIHandler}, functions...)
		}
	}
	c := &Config{Stage: stage}
	for _, k := range keys {
		if k.Scope == PerFunction || k.Scope == Merged {
			continue
		}
		c.App = append(c.App, ResolveOverlay(root, stage, APIHandler, k.Name, ov))
	}
	for _, fn := range functions {
		fc := FunctionConfig{Name: fn}
		for _, k := range keys {
			if k.Scope == PerFunction || k.Scope == Merged {
				fc.Values = append(fc.Values, ResolveOverlay(root, stage, fn, k.Name, ov))
			}
		}
		c.Functions = append(c.Functions, fc)
	}
	return c
}

// JSON renders the preview as indented JSON: for every key its value, level, JSON
// pointer into config.json (or the stage_config) and notes.
func (c *Config) JSON() []byte {
	// CDK expressions have no JSON value: show them as token strings.
	out := *c
	out.App = plainValues(c.App)
	out.Functions = make([]FunctionConfig, len(c.Functions))
	for i, f := range c.Functions {
		out.Functions[i] = FunctionConfig{Name: f.Name, Values: plainValues(f.Values)}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		// Every value comes from jsonpos.Node.Value or this package; cannot fail.
		return []byte("{}")
	}
	return b
}

// Stages returns the stage names in config.json's stages object, sorted, plus "dev"
// (Chalice's default stage, which works without an entry).
func Stages(root *jsonpos.Node) []string {
	seen := map[string]bool{DefaultStage: true}
	out := []string{DefaultStage}
	for _, m := range members(object(root).Get("stages")) {
		if !seen[m.Key] {
			seen[m.Key] = true
			out = append(out, m.Key)
		}
	}
	sort.Strings(out)
	return out
}

// FunctionNames returns the function names configured for stage in config.json (keys
// of lambda_functions at the top level and in stages.<stage>), sorted and distinct.
func FunctionNames(root *jsonpos.Node, stage string) []string {
	root = object(root)
	seen := map[string]bool{}
	var out []string
	add := func(n *jsonpos.Node) {
		for _, m := range members(n) {
			if !seen[m.Key] {
				seen[m.Key] = true
				out = append(out, m.Key)
			}
		}
	}
	add(root.Get("lambda_functions"))
	add(object(object(root.Get("stages")).Get(stage)).Get("lambda_functions"))
	sort.Strings(out)
	return out
}

func members(n *jsonpos.Node) []jsonpos.Member {
	if n == nil || n.Kind != jsonpos.Object {
		return nil
	}
	return n.Members
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// OverlayFromMap builds a user overlay tree from a plain stage_config map (for
// callers that hold values rather than a parsed CDK literal). Its offsets point into
// the JSON encoding of m, not into any user file.
func OverlayFromMap(m map[string]any) (*jsonpos.Node, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	n, _ := jsonpos.Parse(b)
	return n, nil
}

func functionKeys(lf *jsonpos.Node) []string {
	var out []string
	for _, m := range members(lf) {
		out = append(out, m.Key)
	}
	return out
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func plainValues(vs []Value) []Value {
	out := make([]Value, len(vs))
	for i, v := range vs {
		v.Value = jsonpos.Plain(v.Value)
		if len(v.Entries) > 0 {
			v.Entries = append([]Entry(nil), v.Entries...)
			for j := range v.Entries {
				v.Entries[j].Value = jsonpos.Plain(v.Entries[j].Value)
			}
		}
		out[i] = v
	}
	return out
}
