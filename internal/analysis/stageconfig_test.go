package analysis

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// TestTargetRequest: the packager request of a construct's target carries the
// stage_config with synth-time values spelled as token strings, and the mode of
// the construct's flavour (the packager applies it; effective.ApplyStageConfig).
func TestTargetRequest(t *testing.T) {
	for _, c := range []struct {
		path, src string
		mode      effective.OverlayMode
	}{
		{"/w/infra/stack.py", "from chalice.cdk import Chalice\nChalice(self, 'A', source_dir='rt', stage_config={'environment_variables': {'T': table.table_name}, 'lambda_functions': {'f': {}}})", effective.UserParams},
		{"/w/infra/stack.py", "from cdk_chalice import Chalice\nChalice(self, 'A', source_dir='rt', stage_config={'environment_variables': {'T': table.table_name}})", effective.ReplaceStage},
		{"/w/infra/main.go", "package main\nimport \"github.com/chalice-lsp/chalice-lsp/construct\"\nfunc f() { construct.NewChalice(stack, jsii.String(\"A\"), &construct.ChaliceProps{SourceDir: jsii.String(\"rt\"), StageConfig: map[string]any{\"environment_variables\": map[string]any{\"T\": table.TableName()}}}) }", effective.MergeIntoStage},
	} {
		f := cdkcode.Analyze(c.path, []byte(c.src))
		if f == nil || len(f.Constructs) != 1 {
			t.Fatalf("%s: constructs: %+v", c.src, f)
		}
		con := f.Constructs[0]
		ov := effective.Overlay{Node: con.StageConfig, Mode: con.Flavour.Mode()}
		req := Target{Project: &workspace.Project{Dir: "/p"}, Stage: "s", StageConfig: ov.Plain(), Overlay: ov}.Request()
		if req.SourceDir != "/p" || req.Stage != "s" || req.StageConfigMode != c.mode {
			t.Errorf("%s: request %+v, want mode %s", con.Flavour, req, c.mode)
		}
		env, _ := req.StageConfig["environment_variables"].(map[string]any)
		if want := (jsonpos.OpaqueValue{Source: con.StageConfig.Lookup("/environment_variables/T").Text}).Token(); env["T"] != want || !strings.HasPrefix(want, "${Token[table.") {
			t.Errorf("%s: a CDK expression is packaged as %#v, want the token string %s", con.Flavour, env["T"], want)
		}
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
