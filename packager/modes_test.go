package packager_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// modesConfig makes the three ways of applying a stage_config disagree: a
// function-level setting on disk (which beats user params but is replaced with the
// stage by cdk-chalice), merged maps at every level, a top-only key.
const modesConfig = `{
  "version": "2.0",
  "app_name": "basic",
  "lambda_timeout": 10,
  "environment_variables": {"TOP": "t", "SHARED": "top"},
  "stages": {
    "dev": {
      "api_gateway_stage": "api",
      "lambda_memory_size": 256,
      "environment_variables": {"STAGE": "s", "SHARED": "stage"},
      "tags": {"owner": "file"},
      "lambda_functions": {
        "worker": {"lambda_timeout": 55, "environment_variables": {"SHARED": "worker-file", "WF": "1"}},
        "api_handler": {"reserved_concurrency": 3}
      }
    }
  }
}
`

// modesStageConfig is what a construct passes; TABLE is a CDK expression.
var modesStageConfig = map[string]any{
	"app_name":              "renamed",
	"lambda_timeout":        json.Number("33"),
	"api_gateway_stage":     "v1",
	"xray":                  true,
	"tags":                  map[string]any{"team": "sc"},
	"environment_variables": map[string]any{"SHARED": "sc", "SC": "1", "TABLE": jsonpos.OpaqueValue{Source: "table.table_name"}},
	"lambda_functions":      map[string]any{"worker": map[string]any{"lambda_memory_size": json.Number("512")}},
}

// referenceScript packages the way each construct does, in Python: chalice.cdk.Chalice
// calls chalice.api.package_app with the stage_config as chalice_config
// (chalice/cdk/construct.py _package_app); cdk_chalice.Chalice writes
// config['stages'][stage] = stage_config and runs `chalice package`
// (cdk_chalice.py _create_stage_with_config); chalice-lsp's construct deep-merges.
const referenceScript = `
import json, os, subprocess, sys
mode, project, out, stage, sc = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
if mode == 'user-params':
    from chalice.api import package_app
    package_app(project, out, stage, chalice_config=sc)
    sys.exit(0)
def deep_merge(base, over):
    out = dict(base) if isinstance(base, dict) else {}
    for k, v in over.items():
        out[k] = deep_merge(out.get(k), v) if isinstance(v, dict) else v
    return out
path = os.path.join(project, '.chalice', 'config.json')
with open(path) as f:
    config = json.load(f)
if 'stages' not in config:
    config['stages'] = {}
if mode == 'replace':
    config['stages'][stage] = sc
else:
    config['stages'][stage] = deep_merge(config['stages'].get(stage), sc)
with open(path, 'w') as f:
    json.dump(config, f, indent=2)
subprocess.run([sys.argv[6], 'package', '--stage', stage, out], cwd=project, check=True)
`

// TestStageConfigModesMatchTheirConstructs packages one app with one stage_config in
// every mode through the packager, and the way the construct itself does (the real
// chalice.api.package_app for chalice.cdk.Chalice), and requires identical
// templates; the effective values the editor shows must be what the template holds.
func TestStageConfigModesMatchTheirConstructs(t *testing.T) {
	t.Parallel()
	py := testenv.Python(t)
	dir := copyApp(t, "basic")
	writeFile(t, filepath.Join(dir, ".chalice", "config.json"), modesConfig)
	plainSC, err := json.Marshal(jsonpos.Plain(modesStageConfig))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := jsonpos.Parse([]byte(modesConfig))
	scNode, _ := jsonpos.Parse(plainSC)
	modes := []struct {
		mode effective.OverlayMode
		name string
	}{{effective.UserParams, "user-params"}, {effective.MergeIntoStage, "merge"}, {effective.ReplaceStage, "replace"}}
	templates := map[string]map[string]any{}
	for _, m := range modes {
		res, err := pkg(t, shared(t), packager.Request{SourceDir: dir, StageConfig: modesStageConfig, StageConfigMode: m.mode})
		if err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		got := readTemplate(t, res.TemplatePath)

		ref := filepath.Join(t.TempDir(), "project")
		testenv.CopyTree(t, dir, ref)
		out := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, py, "-c", referenceScript, m.name, ref, out, "dev", string(plainSC), testenv.Chalice(t))
		cmd.Dir = ref
		cmd.Env = baseEnv("AWS_DEFAULT_REGION=us-east-1", "PYTHONDONTWRITEBYTECODE=1")
		b, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s: reference packaging failed: %v\n%s", m.name, err, b)
		}
		want := readTemplate(t, filepath.Join(out, "sam.json"))
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got["Resources"], "", " ")
			w, _ := json.MarshalIndent(want["Resources"], "", " ")
			t.Errorf("%s: the packager's template differs from the construct's:\npackager:\n%s\nconstruct:\n%s", m.name, g, w)
		}
		templates[m.name] = got

		// What the editor resolves is what deploys.
		ov := effective.Overlay{Node: scNode, Mode: m.mode}
		resources, _ := got["Resources"].(map[string]any)
		for fn, id := range map[string]string{"api_handler": "APIHandler", "worker": "Worker"} {
			props, _ := resources[id].(map[string]any)["Properties"].(map[string]any)
			env, _ := props["Environment"].(map[string]any)
			checks := map[string]any{
				"lambda_timeout":        props["Timeout"],
				"lambda_memory_size":    props["MemorySize"],
				"reserved_concurrency":  props["ReservedConcurrentExecutions"],
				"environment_variables": env["Variables"],
				"tags":                  props["Tags"],
			}
			for key, inTemplate := range checks {
				v := effective.ResolveOverlay(root, "dev", fn, key, ov)
				if !sameValue(v.Value, inTemplate) {
					t.Errorf("%s: %s %s: effective value %v (%s), the template holds %v", m.name, fn, key, v.Value, v.Level, inTemplate)
				}
			}
			tracing := "PassThrough"
			if effective.ResolveOverlay(root, "dev", fn, "xray", ov).Truthy() {
				tracing = "Active"
			}
			if props["Tracing"] != tracing {
				t.Errorf("%s: %s Tracing %v, effective xray says %s", m.name, fn, props["Tracing"], tracing)
			}
		}
		stageName := resources["RestAPI"].(map[string]any)["Properties"].(map[string]any)["StageName"]
		if v := effective.ResolveOverlay(root, "dev", "", "api_gateway_stage", ov); !sameValue(v.Value, stageName) {
			t.Errorf("%s: api_gateway_stage: effective %v, template %v", m.name, v.Value, stageName)
		}
	}
	// The scenario must tell the modes apart, or the comparison proves little.
	for i, a := range modes {
		for _, b := range modes[i+1:] {
			if reflect.DeepEqual(templates[a.name], templates[b.name]) {
				t.Errorf("modes %s and %s package the same template; the scenario does not separate them", a.name, b.name)
			}
		}
	}
}

func readTemplate(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// sameValue compares an effective value (json.Number numbers) with a decoded
// template value (float64 numbers); a missing template value matches nil.
func sameValue(eff, tmpl any) bool {
	norm := func(v any) string {
		b, _ := json.Marshal(v)
		var out any
		_ = json.Unmarshal(b, &out)
		return fmt.Sprint(out)
	}
	return norm(eff) == norm(tmpl)
}
