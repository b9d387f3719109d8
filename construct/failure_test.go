package construct_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// TestFailuresAreAnnotations builds constructs that cannot work and checks that each
// failure is an error annotation on the construct's path (which makes `cdk synth`
// fail with that message), that Go code can see it through Err, and that nothing
// panics on the way.
func TestFailuresAreAnnotations(t *testing.T) {
	out := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out)})
	stack := awscdk.NewStack(app, jsii.String("Failures"), nil)
	timeout := awscdk.NewCfnParameter(stack, jsii.String("Timeout"), &awscdk.CfnParameterProps{Type: jsii.String("Number")})

	cases := []struct {
		id    string
		props *construct.ChaliceProps
		want  []string
	}{
		{"Broken", &construct.ChaliceProps{SourceDir: jsii.String(appDir("broken"))},
			[]string{"packaging the Chalice app in " + appDir("broken"), filepath.Join(appDir("broken"), "app.py") + ":7", "importing app.py failed", "hint:"}},
		// A config error points where the editor and `chalice-lsp package` point
		// (packager.Locate): the key in config.json, or the stage config.
		{"VPCInConfig", &construct.ChaliceProps{SourceDir: jsii.String(packagerApp("vpc")), StageName: jsii.String("dev")},
			[]string{filepath.Join(packagerApp("vpc"), ".chalice", "config.json") + ":6: ", `function "api_handler" has only one of subnet_ids and security_group_ids`}},
		{"VPCInStageConfig", &construct.ChaliceProps{SourceDir: jsii.String(exampleRuntime()), StageConfig: map[string]any{"security_group_ids": []any{"sg-1"}}},
			[]string{"has only one of subnet_ids and security_group_ids", "(the value comes from the stage config)"}},
		{"NoSourceDir", &construct.ChaliceProps{},
			[]string{"ChaliceProps.SourceDir is required"}},
		{"MissingDir", &construct.ChaliceProps{SourceDir: jsii.String(filepath.Join(out, "nope"))},
			[]string{"is not a directory", "nope"}},
		{"NumberToken", &construct.ChaliceProps{SourceDir: jsii.String(exampleRuntime()), StageConfig: map[string]any{"lambda_timeout": timeout.ValueAsNumber()}},
			[]string{"StageConfig lambda_timeout is an unresolved CDK number token"}},
		{"BadStage", &construct.ChaliceProps{SourceDir: jsii.String(exampleRuntime()), StageName: jsii.String("prod/v2")},
			[]string{`StageName "prod/v2" contains characters Chalice cannot use`, `"prod-v2"`}},
	}
	built := map[string]*construct.Chalice{}
	for _, tc := range cases {
		c := construct.NewChalice(stack, jsii.String(tc.id), tc.props)
		built[tc.id] = c
		if c.Err() == nil {
			t.Errorf("%s: Err() is nil", tc.id)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(c.Err().Error(), w) {
				t.Errorf("%s: Err() lacks %q: %v", tc.id, w, c.Err())
			}
		}
		// The usual follow-up calls keep working, so synth reports the real problem.
		if c.GetRole(jsii.String("DefaultRole")) == nil || c.GetFunction(jsii.String("APIHandler")) == nil {
			t.Errorf("%s: placeholder role or function is nil", tc.id)
		}
		c.AddEnvironmentVariable(jsii.String("K"), jsii.String("V"), jsii.String("APIHandler"))
		if c.SamTemplate() != nil || c.TemplatePath() != nil {
			t.Errorf("%s: a failed construct has a template", tc.id)
		}
	}
	var pe *packager.Error
	if !errors.As(built["Broken"].Err(), &pe) || pe.Class != packager.ClassAppImport || pe.Line != 7 {
		t.Errorf("Broken: Err() = %#v, want a *packager.Error of class %s at line 7", built["Broken"].Err(), packager.ClassAppImport)
	}
	_, err := built["Broken"].LookupResource("APIHandler")
	var ue *construct.UnknownLogicalIDError
	if !errors.As(err, &ue) || ue.NotPackaged == nil || !strings.Contains(err.Error(), "was not packaged") {
		t.Errorf("LookupResource on a failed construct = %v", err)
	}

	app.Synth(nil)

	// The annotations are in the assembly (the stack's metadata file), where the CLI
	// reads them.
	b, err := os.ReadFile(filepath.Join(out, "Failures.metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string][]struct {
		Type string `json:"type"`
		Data any    `json:"data"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		var errs []string
		for _, m := range meta["/Failures/"+tc.id] {
			if m.Type == "aws:cdk:error" {
				errs = append(errs, jsonOf(m.Data))
			}
		}
		if len(errs) != 1 || !strings.Contains(errs[0], jsonOf(tc.want[0])[1:len(jsonOf(tc.want[0]))-1]) {
			t.Errorf("/Failures/%s: error annotations %v, want one containing %q", tc.id, errs, tc.want[0])
		}
	}
}

func packagerApp(name string) string {
	return filepath.Join(env.repo, "testdata", "packager", name)
}
