package effective

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

func parse(t *testing.T, src string) *jsonpos.Node {
	t.Helper()
	n, errs := jsonpos.Parse([]byte(src))
	if len(errs) > 0 {
		t.Fatalf("parse %s: %v", src, errs)
	}
	return n
}

const sample = `{
  "app_name": "demo",
  "lambda_timeout": 10,
  "xray": null,
  "environment_variables": {"A": "top", "B": "top"},
  "tags": {"team": "x", "aws-chalice": "mine"},
  "lambda_functions": {
    "worker": {"lambda_timeout": 20, "lambda_memory_size": 512, "environment_variables": {"A": "dropped"}},
    "api_handler": {"manage_iam_role": false}
  },
  "stages": {
    "prod": {
      "lambda_timeout": 30,
      "xray": false,
      "api_gateway_stage": "v1",
      "environment_variables": {"B": "prod"},
      "lambda_functions": {
        "worker": {"lambda_timeout": 40, "environment_variables": {"C": "sf"}}
      }
    },
    "a/b~c": {"lambda_timeout": 50}
  }
}`

func TestResolveLevels(t *testing.T) {
	root := parse(t, sample)
	user := parse(t, `{"lambda_timeout": 35, "lambda_functions": {"worker": {"lambda_timeout": 1}}, "environment_variables": {"A": "user"}}`)
	cases := []struct {
		stage, fn, key string
		user           *jsonpos.Node
		want           any
		origin         Origin
		level          Level
		pointer        string
	}{
		{"prod", "worker", "lambda_timeout", user, json.Number("40"), OriginStageFunction, "stages.prod.lambda_functions.worker", "/stages/prod/lambda_functions/worker/lambda_timeout"},
		{"prod", "api_handler", "lambda_timeout", user, json.Number("35"), OriginUser, "stage_config", "/lambda_timeout"},
		{"prod", "api_handler", "lambda_timeout", nil, json.Number("30"), OriginStage, "stages.prod", "/stages/prod/lambda_timeout"},
		{"dev", "worker", "lambda_timeout", nil, json.Number("20"), OriginTopFunction, "lambda_functions.worker", "/lambda_functions/worker/lambda_timeout"},
		{"dev", "api_handler", "lambda_timeout", nil, json.Number("10"), OriginTop, "top level", "/lambda_timeout"},
		{"a/b~c", "api_handler", "lambda_timeout", nil, json.Number("50"), OriginStage, "stages.a/b~c", "/stages/a~1b~0c/lambda_timeout"},
		// false is honoured, null is skipped.
		{"prod", "api_handler", "xray", nil, false, OriginStage, "stages.prod", "/stages/prod/xray"},
		{"dev", "api_handler", "xray", nil, nil, OriginNone, "not set", ""},
		{"dev", "api_handler", "manage_iam_role", nil, false, OriginTopFunction, "lambda_functions.api_handler", "/lambda_functions/api_handler/manage_iam_role"},
		// Defaults, labelled by who applies them.
		{"dev", "api_handler", "api_gateway_stage", nil, "api", OriginDefault, "default", ""},
		{"prod", "api_handler", "api_gateway_stage", nil, "v1", OriginStage, "stages.prod", "/stages/prod/api_gateway_stage"},
		{"dev", "api_handler", "api_gateway_endpoint_type", nil, "EDGE", OriginDefault, "default", ""},
		{"dev", "api_handler", "autogen_policy", nil, true, OriginDefault, "default", ""},
		{"dev", "worker", "manage_iam_role", nil, true, OriginConfigDefault, "default", ""},
		{"dev", "worker", "automatic_layer", nil, false, OriginConfigDefault, "default", ""},
		{"dev", "worker", "lambda_memory_size", nil, json.Number("512"), OriginTopFunction, "lambda_functions.worker", "/lambda_functions/worker/lambda_memory_size"},
		{"dev", "api_handler", "lambda_memory_size", nil, json.Number("128"), OriginBuildDefault, "build-time default", ""},
		{"prod", "api_handler", "iam_policy_file", nil, "policy-prod.json", OriginBuildDefault, "build-time default", ""},
		{"dev", "api_handler", "version", nil, "1.0", OriginConfigDefault, "default", ""},
		// Top-only keys ignore the stage; user params beat the file.
		{"prod", "api_handler", "app_name", nil, "demo", OriginTop, "top level", "/app_name"},
		// Not a key Chalice reads.
		{"dev", "api_handler", "lamda_timeout", nil, nil, OriginNone, "not set", ""},
	}
	for _, c := range cases {
		v := Resolve(root, c.stage, c.fn, c.key, c.user)
		if !reflect.DeepEqual(v.Value, c.want) || v.Origin != c.origin || v.Level != c.level || v.Pointer != c.pointer {
			t.Errorf("Resolve(%s, %s, %s) = %#v origin %d level %q pointer %q; want %#v origin %d level %q pointer %q",
				c.stage, c.fn, c.key, v.Value, v.Origin, v.Level, v.Pointer, c.want, c.origin, c.level, c.pointer)
			continue
		}
		if c.pointer != "" {
			doc := root
			if c.origin == OriginUser {
				doc = c.user
			}
			if doc.Lookup(v.Pointer) != v.Node || v.Node == nil {
				t.Errorf("Resolve(%s, %s, %s): Node is not the node at %s", c.stage, c.fn, c.key, v.Pointer)
			}
			if v.Member == nil || v.Member.Value != v.Node {
				t.Errorf("Resolve(%s, %s, %s): Member does not hold Node", c.stage, c.fn, c.key)
			}
		}
		if v.Origin.IsDefault() && v.Note == "" {
			t.Errorf("Resolve(%s, %s, %s): a default needs a note saying who applies it", c.stage, c.fn, c.key)
		}
	}
}

func TestResolveMerge(t *testing.T) {
	root := parse(t, sample)
	user := parse(t, `{"environment_variables": {"A": "user"}, "tags": {"aws-chalice": "user"}}`)
	env := Resolve(root, "prod", "worker", "environment_variables", user)
	want := map[string]any{"A": "user", "B": "prod", "C": "sf"}
	if !reflect.DeepEqual(env.Value, want) {
		t.Fatalf("merged env = %v, want %v (top-level lambda_functions.worker must be ignored)", env.Value, want)
	}
	levels := map[string]Level{}
	for _, e := range env.Entries {
		levels[e.Name] = e.Level
		doc := root
		if e.Origin == OriginUser {
			doc = user
		}
		if doc.Lookup(e.Pointer) != e.Node {
			t.Errorf("entry %s: pointer %q does not lead to its node", e.Name, e.Pointer)
		}
	}
	if !reflect.DeepEqual(levels, map[string]Level{"A": "stage_config", "B": "stages.prod", "C": "stages.prod.lambda_functions.worker"}) {
		t.Errorf("entry levels = %v", levels)
	}
	tags := Resolve(root, "prod", "worker", "tags", user)
	got := tags.Value.(map[string]any)
	if got["aws-chalice"] != "version=1.33.0:stage=prod:app=demo" || got["team"] != "x" {
		t.Errorf("tags = %v; the aws-chalice tag is forced and cannot be overridden", got)
	}
	for _, e := range tags.Entries {
		if e.Name == "aws-chalice" && (e.Origin != OriginChalice || e.Node != nil) {
			t.Errorf("aws-chalice tag entry = %+v", e)
		}
	}
	// No app_name anywhere: Python formats None.
	if v := Resolve(parse(t, `{}`), "", "", "tags", nil); v.Value.(map[string]any)["aws-chalice"] != "version=1.33.0:stage=dev:app=None" {
		t.Errorf("tags without app_name = %v", v.Value)
	}
}

func TestEffectiveConfig(t *testing.T) {
	root := parse(t, sample)
	c := EffectiveConfig(root, "prod", nil, nil)
	var names []string
	for _, f := range c.Functions {
		names = append(names, f.Name)
		if len(f.Values) == 0 {
			t.Errorf("function %s has no values", f.Name)
		}
	}
	if !reflect.DeepEqual(names, []string{"api_handler", "worker"}) {
		t.Errorf("functions = %v", names)
	}
	for _, v := range c.App {
		if k, _ := LookupKey(v.Key); k.Scope == PerFunction || k.Scope == Merged {
			t.Errorf("per-function key %s listed at app level", v.Key)
		}
	}
	js := string(c.JSON())
	for _, want := range []string{`"stage": "prod"`, `"level": "stages.prod.lambda_functions.worker"`, `"pointer": "/stages/prod/api_gateway_stage"`, `"level": "build-time default"`} {
		if !strings.Contains(js, want) {
			t.Errorf("preview JSON lacks %s:\n%s", want, js)
		}
	}
	opaque := &jsonpos.Node{Kind: jsonpos.Object, Members: []jsonpos.Member{{Key: "app_name", Value: &jsonpos.Node{Kind: jsonpos.Opaque, Text: "stack.stack_name"}}}}
	if js := string(EffectiveConfig(root, "prod", nil, opaque).JSON()); !strings.Contains(js, `"value": "${Token[stack.stack_name]}"`) {
		t.Errorf("a CDK expression should show as its token string:\n%s", js)
	}
	if got := EffectiveConfig(root, "prod", []string{"x"}, nil); len(got.Functions) != 1 || got.Functions[0].Name != "x" {
		t.Errorf("explicit function list not honoured")
	}
	if s := Stages(root); !reflect.DeepEqual(s, []string{"a/b~c", "dev", "prod"}) {
		t.Errorf("Stages = %v", s)
	}
}

func TestPyStr(t *testing.T) {
	cases := map[string]any{
		"None": nil, "True": true, "False": false, "0": json.Number("-0"), "12345678901234567890": json.Number("12345678901234567890"),
		"1.0": json.Number("1.0"), "2000.0": json.Number("2e3"), "1e+16": json.Number("1e16"), "1000000000000000.0": json.Number("1e15"),
		"1e-05": json.Number("0.00001"), "0.0001": json.Number("1E-4"), "-0.0": json.Number("-0.0"), "inf": json.Number("1e400"),
		"abc": "abc", "['a', 1]": []any{"a", json.Number("1")}, `{'k': "it's"}`: map[string]any{"k": "it's"},
	}
	for want, in := range cases {
		if got := PyStr(in); got != want {
			t.Errorf("PyStr(%#v) = %q, want %q", in, got, want)
		}
	}
}

func TestTruthy(t *testing.T) {
	for src, want := range map[string]bool{
		`null`: false, `false`: false, `true`: true, `0`: false, `-0`: false, `0.0`: false, `0e10`: false, `1e-400`: false,
		`1`: true, `0.5`: true, `""`: false, `"x"`: true, `[]`: false, `[0]`: true, `{}`: false, `{"a":null}`: true,
	} {
		if got := Truthy(parse(t, src)); got != want {
			t.Errorf("Truthy(%s) = %v, want %v", src, got, want)
		}
	}
	if Truthy(nil) || !Truthy(&jsonpos.Node{Kind: jsonpos.Opaque, Text: "table.name"}) {
		t.Error("nil must be falsy and CDK expressions truthy")
	}
}

// TestBrokenTrees: wrong types and missing values anywhere must not panic and must
// be treated as absent.
func TestBrokenTrees(t *testing.T) {
	docs := []string{
		`[]`, `"x"`, `null`, `{"stages": []}`, `{"stages": {"dev": null}}`, `{"stages": {"dev": {"lambda_functions": []}}}`,
		`{"stages": {"dev": {"lambda_functions": {"api_handler": 3}}}}`, `{"lambda_functions": "x"}`,
		`{"environment_variables": [], "tags": null, "stages": {"dev": {"tags": "x", "environment_variables": {"A": {}}}}}`,
		`{"lambda_timeout": `, `{"stages": {"dev": {"lambda_timeout": }}}`, `{"app_name": [1, {"a": null}]}`,
	}
	for _, src := range docs {
		root, _ := jsonpos.Parse([]byte(src))
		for _, k := range keys {
			for _, user := range []*jsonpos.Node{nil, root} {
				v := Resolve(root, "dev", "api_handler", k.Name, user)
				if v.Found && v.Node == nil && !v.Origin.IsDefault() && v.Origin != OriginMerged {
					t.Errorf("%s: %s found without a node or default: %+v", src, k.Name, v)
				}
			}
		}
		EffectiveConfig(root, "dev", nil, root).JSON()
	}
	if v := Resolve(nil, "", "", "lambda_timeout", nil); v.Origin != OriginBuildDefault {
		t.Errorf("nil root: %+v", v)
	}
}

func TestOverlayModes(t *testing.T) {
	root := parse(t, sample)
	ov := parse(t, `{"lambda_timeout": 35, "xray": null, "lambda_functions": {"worker": {"lambda_memory_size": 2048}}, "environment_variables": {"D": "ov"}}`)
	type res struct {
		val     any
		level   Level
		overlay bool
		ptr     string
	}
	check := func(mode OverlayMode, stage, fn, key string, want res) {
		t.Helper()
		v := ResolveOverlay(root, stage, fn, key, Overlay{Node: ov, Mode: mode})
		got := res{v.Value, v.Level, v.InOverlay, v.Pointer}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s/%s/%s = %+v, want %+v", mode, stage, fn, key, got, want)
		}
	}
	// chalice.cdk.Chalice: user params; its lambda_functions are ignored.
	check(UserParams, "prod", "worker", "lambda_memory_size", res{json.Number("512"), "lambda_functions.worker", false, "/lambda_functions/worker/lambda_memory_size"})
	check(UserParams, "prod", "api_handler", "lambda_timeout", res{json.Number("35"), "stage_config", true, "/lambda_timeout"})
	// chalice-lsp's construct: deep-merged into stages.prod, so SF from the overlay
	// wins and the file's stages.prod.lambda_functions.worker still beats the
	// overlay's stage-level lambda_timeout.
	check(MergeIntoStage, "prod", "worker", "lambda_memory_size", res{json.Number("2048"), "stage_config lambda_functions.worker (merged into stages.prod.lambda_functions.worker)", true, "/lambda_functions/worker/lambda_memory_size"})
	check(MergeIntoStage, "prod", "worker", "lambda_timeout", res{json.Number("40"), "stages.prod.lambda_functions.worker", false, "/stages/prod/lambda_functions/worker/lambda_timeout"})
	check(MergeIntoStage, "prod", "api_handler", "lambda_timeout", res{json.Number("35"), "stage_config (merged into stages.prod)", true, "/lambda_timeout"})
	// A null in the overlay replaces stages.prod.xray (false), so the lookup goes on.
	check(MergeIntoStage, "prod", "api_handler", "xray", res{nil, "not set", false, ""})
	// cdk-chalice: the overlay replaces stages.prod entirely.
	check(ReplaceStage, "prod", "api_handler", "api_gateway_stage", res{"api", "default", false, ""})
	check(ReplaceStage, "prod", "worker", "lambda_timeout", res{json.Number("35"), "stage_config (written as stages.prod)", true, "/lambda_timeout"})

	env := ResolveOverlay(root, "prod", "worker", "environment_variables", Overlay{Node: ov, Mode: MergeIntoStage})
	if want := map[string]any{"A": "top", "B": "prod", "C": "sf", "D": "ov"}; !reflect.DeepEqual(env.Value, want) {
		t.Errorf("merged env = %v, want %v", env.Value, want)
	}
	c := EffectiveConfigOverlay(parse(t, `{}`), "dev", nil, Overlay{Node: ov, Mode: MergeIntoStage})
	if len(c.Functions) != 2 || c.Functions[1].Name != "worker" {
		t.Errorf("functions named only in the overlay's lambda_functions are previewed too: %+v", c.Functions)
	}
}

func TestChain(t *testing.T) {
	root := parse(t, sample)
	var levels []Level
	for _, v := range Chain(root, "prod", "worker", "lambda_timeout", Overlay{}) {
		levels = append(levels, v.Level)
	}
	want := []Level{"stages.prod.lambda_functions.worker", "stages.prod", "lambda_functions.worker", "top level"}
	if !reflect.DeepEqual(levels, want) {
		t.Errorf("Chain = %v, want %v", levels, want)
	}
	// The first non-null entry is what Resolve returns.
	for _, key := range []string{"xray", "lambda_timeout", "app_name", "api_gateway_stage"} {
		for _, v := range Chain(root, "dev", "api_handler", key, Overlay{}) {
			if v.Node.Kind == jsonpos.Null {
				continue
			}
			if r := Resolve(root, "dev", "api_handler", key, nil); r.Node != v.Node {
				t.Errorf("%s: Chain's first non-null value is not Resolve's", key)
			}
			break
		}
	}
	if len(Chain(root, "dev", "worker", "environment_variables", Overlay{})) != 1 {
		t.Error("environment_variables under top-level lambda_functions must not be in the chain")
	}
}

// The note of a merged key names the order for the construct's way of applying
// stage_config: the Go construct's stage_config merges into the stage, below the
// stage's per-function level; chalice.cdk.Chalice's user params come last.
func TestMergedNotePerOverlayMode(t *testing.T) {
	root, _ := jsonpos.Parse([]byte(`{"environment_variables": {"A": "1"}}`))
	ov, _ := jsonpos.Parse([]byte(`{"environment_variables": {"B": "2"}}`))
	for mode, want := range map[OverlayMode]string{
		UserParams:     "stages.<stage>.lambda_functions.<fn>, stage_config;",
		MergeIntoStage: "stages.<stage> with stage_config merged into it,",
		ReplaceStage:   "stages.<stage> (replaced by stage_config),",
	} {
		v := ResolveOverlay(root, "dev", "api_handler", "environment_variables", Overlay{Node: ov, Mode: mode})
		if !strings.Contains(v.Note, want) {
			t.Errorf("%v: note %q lacks %q", mode, v.Note, want)
		}
	}
	if v := Resolve(root, "dev", "api_handler", "environment_variables", nil); strings.Contains(v.Note, "stage_config") {
		t.Errorf("without a stage_config the note should not mention it: %q", v.Note)
	}
}
