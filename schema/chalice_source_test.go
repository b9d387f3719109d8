package schema_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// keysFromChaliceSource reads chalice/config.py and chalice/deploy/appgraph.py of the
// installed Chalice with Python's ast module and reports which keys Chalice reads at
// which level: the ground truth the schema is written from.
const keysFromChaliceSource = `
import ast, json, os, chalice
d = os.path.dirname(chalice.__file__)
tree = ast.parse(open(os.path.join(d, 'config.py')).read())
lookups, merges, disk = {}, [], []
def const_arg(call):
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
for node in ast.walk(tree):
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        continue
    name = const_arg(node)
    if name is None:
        continue
    if node.func.attr == '_chain_lookup':
        kw = {k.arg: k.value.value for k in node.keywords}
        lookups[name] = {'stage': kw.get('varies_per_chalice_stage', False),
                         'function': kw.get('varies_per_function', False)}
    elif node.func.attr == '_chain_merge':
        merges.append(name)
    elif node.func.attr == 'get' and isinstance(node.func.value, ast.Attribute) \
            and node.func.value.attr == '_config_from_disk':
        disk.append(name)
# Custom domain keys: subscripts and .get() on the dicts holding a domain.
domain = set()
ag = ast.parse(open(os.path.join(d, 'deploy', 'appgraph.py')).read())
for node in ast.walk(ag):
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and node.value.id in ('data', 'domain_name_data') \
            and isinstance(node.slice, ast.Constant):
        domain.add(node.slice.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'get' \
            and isinstance(node.func.value, ast.Name) and node.func.value.id in ('data', 'domain_name_data'):
        n = const_arg(node)
        if n:
            domain.add(n)
print(json.dumps({'lookups': lookups, 'merges': sorted(set(merges)), 'disk': sorted(set(disk)),
                  'domain': sorted(domain), 'version': chalice.__version__}))
`

// TestKeyLevelsMatchChaliceSource compares the keys the schema allows at each level with
// what the installed Chalice reads there (chalice.md 1.2: _chain_lookup with
// varies_per_chalice_stage / varies_per_function, and _chain_merge).
func TestKeyLevelsMatchChaliceSource(t *testing.T) {
	py := testenv.Python(t)
	out, err := exec.Command(py, "-c", keysFromChaliceSource).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("reading Chalice's source: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var src struct {
		Lookups map[string]struct{ Stage, Function bool }
		Merges  []string
		Disk    []string
		Domain  []string
		Version string
	}
	if err := json.Unmarshal(out, &src); err != nil {
		t.Fatal(err)
	}
	if len(src.Lookups) < 15 || len(src.Merges) != 2 {
		t.Fatalf("implausible extraction from Chalice %s: %s", src.Version, out)
	}
	internal := map[string]bool{"profile": true, "project_dir": true, "chalice_app": true}
	var top, stage, fn []string
	for k, l := range src.Lookups {
		if internal[k] {
			continue
		}
		top = append(top, k)
		if l.Stage {
			stage = append(stage, k)
		}
		if l.Function {
			fn = append(fn, k)
		}
	}
	top = append(append(append(top, src.Merges...), src.Disk...), "$schema")
	stage = append(append(stage, src.Merges...), "lambda_functions")
	// environment_variables and tags are merged without the top-level function level
	// (TF), but they are allowed there by the schema so that schema/rules can report
	// them as silently dropped; the schema's own documentation says so.
	fn = append(fn, src.Merges...)

	checkSet := func(name string, kind schema.Kind, path []string, want []string) {
		t.Helper()
		var got []string
		for _, k := range schema.KeysAt(kind, path) {
			got = append(got, k.Name)
		}
		sort.Strings(got)
		want = slices.Compact(slices.Sorted(slices.Values(want)))
		if !slices.Equal(got, want) {
			t.Errorf("%s (Chalice %s):\n schema allows %v\n Chalice reads  %v", name, src.Version, got, want)
		}
	}
	checkSet("top level", schema.ConfigFile, nil, top)
	checkSet("stages.<stage>", schema.ConfigFile, []string{"stages", "dev"}, stage)
	checkSet("stage config", schema.StageConfig, nil, stage)
	checkSet("lambda_functions.<fn>", schema.ConfigFile, []string{"lambda_functions", "f"}, fn)
	checkSet("stages.<stage>.lambda_functions.<fn>", schema.ConfigFile, []string{"stages", "dev", "lambda_functions", "f"}, fn)
	checkSet("stage config lambda_functions.<fn>", schema.StageConfig, []string{"lambda_functions", "f"}, fn)
	// url_prefix is read from the same dict in another function.
	checkSet("custom domain", schema.ConfigFile, []string{"api_gateway_custom_domain"}, src.Domain)
	checkSet("websocket custom domain", schema.ConfigFile, []string{"stages", "p", "websocket_api_custom_domain"}, src.Domain)
}

// TestChaliceTemplatesAreValid: every config.json that `chalice new-project` writes (the
// templates shipped in the installed Chalice) passes without a diagnostic.
func TestChaliceTemplatesAreValid(t *testing.T) {
	py := testenv.Python(t)
	out, err := exec.Command(py, "-c", "import chalice, os; print(os.path.dirname(chalice.__file__))").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "templates")
	files, _ := filepath.Glob(filepath.Join(dir, "*", ".chalice", "config.json"))
	more, _ := filepath.Glob(filepath.Join(dir, "*", "*", ".chalice", "config.json"))
	files = append(files, more...)
	if len(files) < 3 {
		t.Fatalf("found only %d template configs under %s", len(files), dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := strings.ReplaceAll(string(b), "{{app_name}}", "myapp")
		root, ds := schema.CheckConfig([]byte(src))
		sameAsLibrary(t, root, schema.ConfigFile)
		if len(ds) > 0 {
			t.Errorf("%s:\n%s", f, dump(src, ds))
		}
	}
}

// TestChaliceReferenceCases: the cases chalice.md records as verified with Chalice 1.33
// (section 1.4: `chalice package` accepted all of these without a word).
func TestChaliceReferenceCases(t *testing.T) {
	src := `{
  "version": "2.0",
  "app_name": "ref",
  "lambda_functions": {"api_handler": {"environment_variables": {"TOPFN": "dropped but a string"}}},
  "stages": {
    "dev": {
      "lambda_memory_size": "big",
      "api_gateway_endpoint_type": "BOGUS",
      "minimum_compression_size": -1,
      "environment_variables": {"PORT": 8080},
      "api_gateway_custom_domain": {"domain_name": "api.example.com", "certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x", "tls_version": "TLS_1_3"},
      "lambda_functions": {"api_handler": {"lambda_timeout": 55, "manage_iam_role": false}}
    }
  }
}`
	root, ds := schema.CheckConfig([]byte(src))
	sameAsLibrary(t, root, schema.ConfigFile)
	checkDiags(t, src, ds, []want{
		{code: "wrong-type", span: `"big"`},
		{code: "not-in-enum", span: `"BOGUS"`, msg: "api_gateway_endpoint_type must be one of EDGE, REGIONAL, PRIVATE"},
		{code: "out-of-range", span: `-1`},
		{code: "wrong-type", span: `8080`, sugg: []string{`"8080"`}},
		{code: "not-in-enum", span: `"TLS_1_3"`},
	})
	// The CDK template's stage_config: {'environment_variables': {'APP_TABLE_NAME':
	// self.dynamodb_table.table_name}}: a non-literal string value is fine.
	cdk := `{"environment_variables": {"APP_TABLE_NAME": self.dynamodb_table.table_name}}`
	expr := "self.dynamodb_table.table_name"
	at := strings.Index(cdk, expr)
	ks := strings.Index(cdk, `"APP_TABLE_NAME"`)
	env := &jsonpos.Node{Kind: jsonpos.Object, Start: strings.Index(cdk, `{"APP`), End: len(cdk) - 1, Members: []jsonpos.Member{{
		Key: "APP_TABLE_NAME", KeyStart: ks, KeyEnd: ks + 16,
		Value: &jsonpos.Node{Kind: jsonpos.Opaque, Start: at, End: at + len(expr), Text: expr},
	}}}
	stageRoot := &jsonpos.Node{Kind: jsonpos.Object, Start: 0, End: len(cdk), Members: []jsonpos.Member{{
		Key: "environment_variables", KeyStart: 1, KeyEnd: 24, Value: env,
	}}}
	sameAsLibrary(t, stageRoot, schema.StageConfig)
	if ds := schema.Validate(stageRoot, schema.StageConfig); len(ds) > 0 {
		t.Errorf("CDK template stage_config: %s", dump(cdk, ds))
	}
}
