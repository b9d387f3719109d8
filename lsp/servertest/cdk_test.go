package servertest_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
	"go.lsp.dev/protocol"
)

// runtime is the Chalice project both CDK apps deploy: handlers index (route,
// logical IDs APIHandler and RestAPI), process (lambda function "worker": Worker)
// and every_five (schedule: EveryFive).
const runtime = `
-- runtime/app.py --
from chalice import Chalice

app = Chalice(app_name='webapp')


@app.route('/')
def ⟦index|index⟧():
    return {'hello': 'world'}


@app.lambda_function(name='worker')
def ⟨process⟩process(event, context):
    return {}


@app.schedule('rate(5 minutes)')
def every_five(event):
    return None
-- runtime/requirements.txt --
-- runtime/.chalice/config.json --
{
  "version": "2.0",
  "app_name": "webapp",
  "lambda_timeout": 20,
  "stages": {"dev": {"api_gateway_stage": "api"}}
}
`

// pythonStack uses chalice.cdk.Chalice: a stage_config with a wrong type and a
// lambda_functions key the construct ignores (aws/chalice#1998), and ID calls
// before any packaging (IDs are predicted from app.py).
const pythonStack = `
-- infra-py/cdk.json --
{"app": "python3 app.py"}
-- infra-py/app.py --
import aws_cdk as cdk

from stacks import WebStack

app = cdk.App()
WebStack(app, 'web')
app.synth()
-- infra-py/stacks.py --
` + stacksPy

const stacksPy = `import os

import aws_cdk as cdk
from chalice.cdk import Chalice

RUNTIME = os.path.join(os.path.dirname(__file__), os.pardir, 'runtime')


class WebStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        table_name = cdk.Fn.ref('Table')
        self.chalice = ⟦construct|Chalice⟧(
            self, 'WebApp', source_dir=RUNTIME,
            stage_config={
                '⟨memKey⟩lambda_memory_size': ⟦!wrong-type:error|'big'⟧,
                '⟨envKey⟩environment_variables': {'TABLE': table_name},
                ⟦!stage-config-lambda-functions-ignored:warning|'lambda_functions'⟧: {
                    'worker': {'lambda_timeout': 120},
                },
            },
        )
        api = self.chalice.get_resource('⟦resource|AP⟨apiHover⟩IHandler⟧')
        role = self.chalice.get_role('⟨role⟩DefaultRole')
        worker = self.chalice.get_function('⟦!unknown-logical-id:warning unknown|⟨function⟩Workr⟧')
`

func TestPythonCDKPredicted(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, runtime+pythonStack, servertest.Config{})
	py := s.Open("infra-py/stacks.py")
	py.WantDiagnostics()
	unknown := py.Diagnostic("unknown-logical-id", "unknown")
	if !strings.Contains(servertest.Message(unknown), "predicted") {
		t.Errorf("before packaging, an unknown ID is checked against predicted IDs: %q", servertest.Message(unknown))
	}
	if acts := py.CodeActions("unknown", unknown); len(acts) == 0 || acts[0].Title != "Change to Worker" || acts[0].Edit == nil {
		t.Errorf("want the quick fix 'Change to Worker', got %+v", acts)
	}

	// get_resource offers every predicted resource, with its type.
	c := py.WantCompletion("resource", []string{"APIHandler", "RestAPI", "DefaultRole", "Worker", "EveryFive", "APIHandlerInvokePermission"}, nil)
	for _, it := range c.Items {
		if d := detail(&it); !strings.Contains(d, "(predicted)") || !strings.Contains(d, "AWS::") {
			t.Errorf("%s: detail %q should give the type and say predicted", it.Label, d)
		}
	}
	// One edit range for all items (itemDefaults): the string's content.
	if c.Defaults == nil || c.Defaults.EditRange == nil {
		t.Error("logical-ID completion should use itemDefaults.editRange")
	} else if r, ok := c.Defaults.EditRange.(*protocol.Range); !ok || *r != py.Range("resource") {
		t.Errorf("edit range %+v, want the string's content %+v", c.Defaults.EditRange, py.Range("resource"))
	}
	// get_role offers roles only, get_function functions only.
	if got := py.Completion("role").Labels(); !slices.Equal(got, []string{"DefaultRole"}) {
		t.Errorf("get_role completion: %q, want only DefaultRole", got)
	}
	py.WantCompletion("function", []string{"Worker", "APIHandler", "EveryFive"}, []string{"DefaultRole", "RestAPI"})
	// stage_config keys inside the literal.
	py.WantCompletion("memKey", []string{"lambda_memory_size", "lambda_timeout"}, nil)

	// Hover: a predicted ID's type and handler; a stage_config key's documentation.
	py.WantHover("apiHover", "AWS::Serverless::Function", "def index", "Predicted")
	py.WantHover("envKey", "environment_variables")
	// Definition of a predicted ID: its handler.
	py.WantDefinition("apiHover", "runtime/app.py#index")

	// Package & preview is offered on the construct call.
	var pkg bool
	for _, a := range py.CodeActions("construct") {
		pkg = pkg || strings.HasPrefix(a.Title, "Package & preview template")
	}
	if !pkg {
		t.Error("no Package & preview action on the construct call")
	}
}

// TestPythonCDKPackaged: after "Package & preview template" (real chalice, the
// construct's stage_config merged), the IDs come from the template: no longer
// "predicted", an unknown ID is an error, definition also leads to the
// template's resource and hover shows its properties.
func TestPythonCDKPackaged(t *testing.T) {
	t.Parallel()
	testenv.Chalice(t)
	s := servertest.Start(t, runtime+pythonStack, servertest.Config{
		Settings:      map[string]any{"python": testenv.Venv(t)},
		MessageAnswer: "Package anyway", // the user confirms packaging in an untrusted workspace
	})
	py := s.Open("infra-py/stacks.py")
	py.WantDiagnostics()
	var pkg *protocol.CodeAction
	for _, a := range py.CodeActions("construct") {
		if strings.HasPrefix(a.Title, "Package & preview template") {
			pkg = a
		}
	}
	if pkg == nil {
		t.Fatal("no Package & preview action on the construct call")
	}
	var res struct {
		Path  string `json:"path"`
		Shown bool   `json:"shown"`
	}
	s.ExecuteCommand(pkg.Command, &res)
	b, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string         `json:"Type"`
			Properties map[string]any `json:"Properties"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatalf("%s: %v", res.Path, err)
	}
	// The stage_config literal is merged: memory "big" reaches the template
	// (Chalice does not check it), which is why it is flagged.
	api := tmpl.Resources["APIHandler"]
	if !res.Shown || api.Type != "AWS::Serverless::Function" || api.Properties["MemorySize"] != "big" {
		t.Fatalf("preview %s (shown %v): APIHandler %+v, want a function with the stage_config's MemorySize", res.Path, res.Shown, api)
	}
	s.AwaitProgressEnd("chalice package", 1)

	if it := py.Completion("resource").Item("APIHandler"); it == nil || strings.Contains(detail(it), "predicted") {
		t.Errorf("after packaging APIHandler comes from the template: %+v", it)
	}
	py.Expect(strings.Replace(stacksPy, "!unknown-logical-id:warning", "!unknown-logical-id:error", 1))
	py.WantDiagnostics()

	locs := py.Definition("apiHover")
	var handler, resource bool
	for _, l := range locs {
		handler = handler || (s.Rel(l.URI) == "runtime/app.py" && l.Range == s.Location("runtime/app.py", "index").Range)
		resource = resource || (l.URI.FsPath() == res.Path && l.Range.Start.Line > 0)
	}
	if len(locs) != 2 || !handler || !resource {
		t.Errorf("definition after packaging: want the handler and the template's resource, got %+v", locs)
	}
	py.WantHover("apiHover", "Runtime: `python3.", "Role: `DefaultRole`")
}

func detail(it *protocol.CompletionItem) string {
	d, _ := it.Detail.Get()
	return d
}

// goStack uses the Go construct, which honours lambda_functions (no #1998
// warning) and deep-merges stage_config.
const goStack = `
-- infra-go/cdk.json --
{"app": "go run ."}
-- infra-go/main.go --
` + goMain

const goMain = `package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("web"), nil)
	chalice := construct.NewChalice(stack, "WebApp", &construct.ChaliceProps{
		SourceDir: jsii.String("../runtime"),
		StageConfig: map[string]any{
			"⟨key⟩lambda_timeout": 45,
			"xray":           ⟦!wrong-type:error|"yes"⟧,
			"lambda_functions": map[string]any{"worker": map[string]any{"lambda_timeout": 120}},
		},
	})
	chalice.GetResource(jsii.String("⟦restAPI|⟨resource⟩RestAPI⟧"))
	chalice.GetRole(jsii.String("⟦!wrong-resource-kind:warning|APIHandler⟧"))
	app.Synth(nil)
}
`

func TestGoCDK(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, runtime+goStack, servertest.Config{})
	gof := s.Open("infra-go/main.go")
	gof.WantDiagnostics()
	gof.WantCompletion("resource", []string{"RestAPI", "Worker", "APIHandler"}, nil)
	gof.WantCompletion("key", []string{"lambda_timeout", "lambda_memory_size"}, nil)
	gof.WantHover("restAPI", "AWS::Serverless::Api")

	// app.py: hover on a handler names its logical IDs and its config name.
	app := s.Open("runtime/app.py")
	app.WantHover("process", "`Worker`", "config name `worker`")
	// Removing the only route (unsaved) removes RestAPI and APIHandler: the CDK
	// file follows at once.
	app.Edit(strings.Replace(s.Files["runtime/app.py"].Text, "@app.route('/')\n", "", 1))
	noRoute := strings.Replace(goMain, "⟦restAPI|⟨resource⟩RestAPI⟧", "⟦!unknown-logical-id:warning|RestAPI⟧", 1)
	gof.Expect(strings.Replace(noRoute, "⟦!wrong-resource-kind:warning|APIHandler⟧", "⟦!unknown-logical-id:warning|APIHandler⟧", 1))
	gof.WantDiagnostics()
}

// TestHoverAfterPackaging: in a trusted workspace the construct is packaged on
// open; hover on a logical ID then shows the function's memory (the
// stage_config's), timeout (config.json's) and events (EveryFive's schedule) as
// the packaged template has them.
func TestHoverAfterPackaging(t *testing.T) {
	t.Parallel()
	testenv.Chalice(t)
	s := servertest.Start(t, runtime+pythonStack+`
-- infra-py/hover_stack.py --
import aws_cdk as cdk
from chalice.cdk import Chalice


class HoverStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        app = Chalice(self, 'WebApp', source_dir='../runtime',
                      stage_config={'lambda_memory_size': 384})
        app.get_function('⟨everyFive⟩EveryFive')
        app.get_function('⟨api⟩APIHandler')
`, servertest.Config{Trusted: true, Settings: map[string]any{"python": testenv.Venv(t)}})
	py := s.Open("infra-py/hover_stack.py")
	s.AwaitProgressEnd("chalice package", 1)
	py.WantHover("everyFive", "From the packaged template", "Memory: 384 MB", "Timeout: 20 s", "Event: `", "(Schedule)")
	py.WantHover("api", "From the packaged template", "Memory: 384 MB", "Timeout: 20 s", "Role: `DefaultRole`")
	for _, id := range []string{"everyFive", "api"} {
		if h := py.Hover(id); strings.Contains(h, "Predicted") || strings.Contains(h, "stale") {
			t.Errorf("hover on ⟨%s⟩ should come from the fresh template:\n%s", id, h)
		}
	}
}
