package server

import (
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/lsp/workspace"
)

func TestPackagingStageConfig(t *testing.T) {
	src := []byte(`Chalice(self, 'A', source_dir='rt', stage_config={'lambda_timeout': 5, 'environment_variables': {'T': table.table_name}, 'lambda_functions': {'f': {}}})`)
	f := cdkcode.AnalyzePython("/w/infra/stack.py", append([]byte("from chalice.cdk import Chalice\n"), src...))
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs: %+v", f.Constructs)
	}
	m := packagingStageConfig(&f.Constructs[0])
	if _, ok := m["lambda_functions"]; ok {
		t.Fatal("chalice.cdk.Chalice ignores lambda_functions; it must not reach the packager")
	}
	env, _ := m["environment_variables"].(map[string]any)
	if env["T"] != "${Token[table.table_name]}" {
		t.Fatalf("CDK tokens become placeholder strings: %#v", m)
	}
}

func TestIsProjectInput(t *testing.T) {
	ps := &projectState{proj: &workspace.Project{Dir: "/p"}}
	for path, want := range map[string]bool{
		"/p/app.py": true, "/p/chalicelib/db.py": true, "/p/requirements.txt": true,
		"/p/.chalice/config.json": true, "/p/.chalice/policy-dev.json": true,
		"/p/.chalice/deployments/x.zip": false, "/p/tests/test_app.py": false, "/other/app.py": false,
	} {
		if got := isProjectInput(ps, filepath.FromSlash(path)); got != want {
			t.Errorf("isProjectInput(%s) = %v, want %v", path, got, want)
		}
	}
}
