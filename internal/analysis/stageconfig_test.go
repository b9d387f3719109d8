package analysis

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
)

func TestPackagingStageConfig(t *testing.T) {
	src := []byte(`Chalice(self, 'A', source_dir='rt', stage_config={'lambda_timeout': 5, 'environment_variables': {'T': table.table_name}, 'lambda_functions': {'f': {}}})`)
	f := cdkcode.AnalyzePython("/w/infra/stack.py", append([]byte("from chalice.cdk import Chalice\n"), src...))
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs: %+v", f.Constructs)
	}
	m := PackagingStageConfig(&f.Constructs[0])
	if _, ok := m["lambda_functions"]; ok {
		t.Fatal("chalice.cdk.Chalice ignores lambda_functions; it must not reach the packager")
	}
	env, _ := m["environment_variables"].(map[string]any)
	if env["T"] != "${Token[table.table_name]}" {
		t.Fatalf("CDK tokens become placeholder strings: %#v", m)
	}
}

func TestIsProjectInput(t *testing.T) {
	p := &workspace.Project{Dir: "/p", ConfigPath: "/p/.chalice/config.json"}
	for path, want := range map[string]bool{
		"/p/app.py": true, "/p/chalicelib/db.py": true, "/p/requirements.txt": true,
		"/p/.chalice/config.json": true, "/p/.chalice/policy-dev.json": true,
		"/p/.chalice/deployments/x.zip": false, "/p/tests/test_app.py": false, "/other/app.py": false,
	} {
		if got := IsProjectInput(p, filepath.FromSlash(path)); got != want {
			t.Errorf("IsProjectInput(%s) = %v, want %v", path, got, want)
		}
	}
}

// replacing turns cdk_chalice's whole-stage replace into what the packager's deep
// merge understands: settings of the file's stage that stage_config lacks become
// null (absent to Chalice), lambda_functions and function objects stay objects.
func TestReplacingStage(t *testing.T) {
	file := map[string]any{
		"lambda_memory_size":    256.0,
		"environment_variables": map[string]any{"A": "1"},
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"lambda_timeout": 30.0, "tags": map[string]any{"t": "x"}},
			"worker":      map[string]any{"lambda_timeout": 40.0, "lambda_memory_size": 512.0},
		},
	}
	over := map[string]any{
		"xray":             true,
		"lambda_functions": map[string]any{"worker": map[string]any{"lambda_timeout": 120.0}},
	}
	got := replacing(file, over, 0)
	want := map[string]any{
		"xray":                  true,
		"lambda_memory_size":    nil,
		"environment_variables": nil,
		"lambda_functions": map[string]any{
			"api_handler": map[string]any{"lambda_timeout": nil, "tags": nil},
			"worker":      map[string]any{"lambda_timeout": 120.0, "lambda_memory_size": nil},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("replacing:\n got %v\nwant %v", got, want)
	}
	if len(over) != 2 || len(over["lambda_functions"].(map[string]any)["worker"].(map[string]any)) != 1 {
		t.Fatalf("replacing modified its input: %v", over)
	}
}
