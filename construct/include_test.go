package construct

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
)

// TestIncludeTemplateErrors feeds includeTemplate templates that CDK or the asset
// step reject, as a future Chalice or a packager bug might produce, and checks that
// they come back as errors (which NewChalice turns into annotations), not panics.
func TestIncludeTemplateErrors(t *testing.T) {
	cases := map[string]struct {
		template string
		want     []string
	}{
		"dangling Fn::Sub (chalice #2079)": {
			`{"Resources": {"LogGroup": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${ApiHandler}"}}}}}`,
			[]string{"including the template that `chalice package` wrote", "ApiHandler"},
		},
		"missing deployment.zip": {
			`{"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip", "Handler": "app.app", "Runtime": "python3.11"}}}}`,
			[]string{`resource Fn: CodeUri "./deployment.zip" names a file that`},
		},
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Include"), nil)
	i := 0
	for name, tc := range cases {
		i++
		dir := t.TempDir()
		path := filepath.Join(dir, "sam.json")
		if err := os.WriteFile(path, []byte(tc.template), 0o644); err != nil {
			t.Fatal(err)
		}
		tpl, err := template.Parse(path, []byte(tc.template))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := &Chalice{
			Construct: constructs.NewConstruct(stack, jsii.String(name[:4]+string(rune('A'+i)))),
			resources: map[string]string{},
		}
		c.result = &packager.Result{Dir: dir, TemplatePath: path, Template: tpl}
		err = c.includeTemplate(c.result)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", name, err, w)
			}
		}
	}
}
