package schema_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// pythonJSONSchema validates documents with Python's jsonschema package (installed in
// the venv with cfn-lint), loading both schema files as plain files, the way any other
// tool would use them. It prints, per document, whether it is valid.
const pythonJSONSchema = `
import json, sys
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
d = sys.argv[1]
docs = json.load(sys.stdin)
cfg = json.load(open(d + '/config.schema.json'))
stage = json.load(open(d + '/stage-config.schema.json'))
Draft202012Validator.check_schema(cfg)
Draft202012Validator.check_schema(stage)
reg = Registry().with_resources([(cfg['$id'], Resource.from_contents(cfg)), (stage['$id'], Resource.from_contents(stage))])
out = []
for kind, doc in docs:
    v = Draft202012Validator(cfg if kind == 'config' else stage, registry=reg)
    out.append(sorted('/'.join(str(p) for p in e.absolute_path) for e in v.iter_errors(doc)))
print(json.dumps(out))
`

func TestSchemaWorksWithPythonJSONSchema(t *testing.T) {
	py := testenv.Python(t)
	type doc struct {
		kind  string
		src   string
		valid bool
	}
	docs := []doc{
		{"config", string(readFixture(t, "configs/kitchen-sink.json")), true},
		{"config", string(readFixture(t, "configs/valid.json")), true},
		{"config", string(readFixture(t, "configs/mistakes.json")), false},
		{"config", string(readFixture(t, "configs/docs-custom-domain.json")), false},
		{"config", string(readFixture(t, "apps/mistakes/.chalice/config.json")), false},
		{"config", `{"version": "2.0", "app_name": "x", "stages": {"dev": {"lambda_functions": {"api_handler": {"lambda_timeout": 30}}}}}`, true},
		{"config", `{"lambda_functions": {"f": {"automatic_layer": true}}}`, false},
		{"config", `{"environment_variables": {"A1": 1}}`, false},
		{"config", `{"version": 2.5}`, false},
		{"config", `{"stages": {"dev": {"app_name": "x"}}}`, false},
		{"stage", `{"lambda_memory_size": 512, "lambda_functions": {"api_handler": {"xray": true}}}`, true},
		{"stage", `{"app_name": "x"}`, false},
		{"stage", `{"api_gateway_endpoint_type": "regional"}`, false},
	}
	var in [][2]any
	for _, d := range docs {
		var v any
		if err := json.Unmarshal([]byte(d.src), &v); err != nil {
			t.Fatal(err)
		}
		in = append(in, [2]any{d.kind, v})
	}
	payload, _ := json.Marshal(in)
	cmd := exec.Command(py, "-c", pythonJSONSchema, ".")
	cmd.Stdin = strings.NewReader(string(payload))
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python jsonschema: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var results [][]string
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for i, d := range docs {
		kind := schema.ConfigFile
		if d.kind == "stage" {
			kind = schema.StageConfig
		}
		root, _ := jsonposParse(t, d.src)
		ours := schema.Validate(root, kind)
		pyValid := len(results[i]) == 0
		if pyValid != d.valid || (len(ours) == 0) != d.valid {
			t.Errorf("document %d: want valid=%v; Python jsonschema errors at %q; ours: %s", i, d.valid, results[i], dump(d.src, ours))
		}
	}
}

func jsonposParse(t *testing.T, src string) (*jsonpos.Node, []jsonpos.SyntaxError) {
	t.Helper()
	root, errs := jsonpos.Parse([]byte(src))
	if len(errs) > 0 {
		t.Fatalf("%v", errs)
	}
	return root, errs
}
