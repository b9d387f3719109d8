package cdkcode

import (
	"reflect"
	"testing"
)

// Receivers of logical-ID calls and the names constructs are assigned to, so the
// server can tell which construct a call refers to when a file holds two.
func TestPythonReceiversAndVars(t *testing.T) {
	src := []byte(`from chalice.cdk import Chalice
import aws_cdk as cdk

class Two(cdk.Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        self.api = Chalice(self, 'Api', source_dir='../api')
        worker = Chalice(self, 'Worker', source_dir='../worker')
        worker.get_role('DefaultRole')
        self.api.get_function('APIHandler')
        self.api.sam_template.get_resource('RestAPI')
        make().get_resource('X')
`)
	f := AnalyzePython("/x/stacks.py", src)
	var vars []string
	for _, c := range f.Constructs {
		vars = append(vars, c.Var)
		if c.Stack.Factory != "Two" {
			t.Errorf("construct %s: stack factory %q, want the class Two", c.Var, c.Stack.Factory)
		}
	}
	if want := []string{"self.api", "worker"}; !reflect.DeepEqual(vars, want) {
		t.Errorf("construct vars %q, want %q", vars, want)
	}
	var recv []string
	for _, r := range f.IDRefs {
		recv = append(recv, r.Receiver)
	}
	if want := []string{"worker", "self.api", "self.api", ""}; !reflect.DeepEqual(recv, want) {
		t.Errorf("receivers %q, want %q", recv, want)
	}
}

func TestGoReceiversVarsAndStacks(t *testing.T) {
	src := []byte(`package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/chalice-lsp/chalice-lsp/construct"
)

const prodStage = "prod"

func NewTwo(scope constructs.Construct, id string) {
	stack := awscdk.NewStack(scope, &id, nil)
	api := construct.NewChalice(stack, jsii.String("Api"), &construct.ChaliceProps{SourceDir: jsii.String("../api"), StageName: jsii.String(prodStage)})
	api.GetRole(jsii.String("DefaultRole"))
	api.SamTemplate().GetResource(jsii.String("RestAPI"))
}

func main() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("web"), nil)
	var worker = construct.NewChalice(stack, jsii.String("Worker"), &construct.ChaliceProps{SourceDir: jsii.String("../worker")})
	worker.GetFunction(jsii.String("Worker"))
	NewTwo(app, "two")
}
`)
	f := AnalyzeGo("/x/main.go", src)
	if len(f.Constructs) != 2 {
		t.Fatalf("constructs: %+v", f.Constructs)
	}
	api, worker := f.Constructs[0], f.Constructs[1]
	if api.Var != "api" || api.StageName != "prod" || api.Stack != (StackRef{Factory: "NewTwo"}) {
		t.Errorf("api construct: var %q, stage name %q, stack %+v", api.Var, api.StageName, api.Stack)
	}
	if worker.Var != "worker" || worker.StageName != "" || worker.Stack != (StackRef{ID: "web", AtRoot: true}) {
		t.Errorf("worker construct: var %q, stage name %q, stack %+v", worker.Var, worker.StageName, worker.Stack)
	}
	var recv []string
	for _, r := range f.IDRefs {
		recv = append(recv, r.Receiver)
	}
	if want := []string{"api", "api", "worker"}; !reflect.DeepEqual(recv, want) {
		t.Errorf("receivers %q, want %q", recv, want)
	}
	ids := StackIDs("/x/main.go", src)
	if want := map[string]string{"NewStack": "web", "NewTwo": "two"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("StackIDs = %v, want %v", ids, want)
	}
}

func TestPythonStackIDs(t *testing.T) {
	src := []byte(`import aws_cdk as cdk
from stacks.chaliceapp import ChaliceApp
from stacks import other

NAME = 'from-constant'
app = cdk.App()
ChaliceApp(app, 'chalice-example')
other.Other(app, NAME)
ChaliceApp(app, 'second')
Nested(something_else, 'ignored')
app.synth()
`)
	ids := StackIDs("/x/app.py", src)
	if want := map[string]string{"ChaliceApp": "chalice-example", "Other": "from-constant"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("StackIDs = %v, want %v", ids, want)
	}
}
