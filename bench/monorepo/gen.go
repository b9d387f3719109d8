// Package monorepo generates a monorepo shaped like real Chalice + CDK
// repositories for `make bench`: 100 Chalice projects (config.json with stages and
// per-function settings, app.py with routes and event handlers, a chalicelib
// module), and 50 CDK stacks (25 Python, 25 Go), each deploying two projects with
// a stage_config literal and logical-ID call sites. A few deliberate mistakes
// give every analysis something to report.
package monorepo

import (
	"fmt"
	"os"
	"path/filepath"
)

// Projects and Stacks are the sizes of the generated tree.
const (
	Projects = 100
	Stacks   = 50
)

// Generate writes the monorepo under root and returns the CDK stack files (the
// places completion is measured at: each has `get_resource('` / GetResource).
func Generate(root string) ([]string, error) {
	w := func(rel, content string) error {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(content), 0o644)
	}
	if err := w(".gitignore", "cdk.out/\n__pycache__/\n"); err != nil {
		return nil, err
	}
	for i := 0; i < Projects; i++ {
		dir := fmt.Sprintf("services/svc%03d", i)
		timeoutKey := "lambda_timeout"
		if i%10 == 3 {
			timeoutKey = "lamda_timeout" // a typo in every tenth project
		}
		cfg := fmt.Sprintf(`{
  "version": "2.0",
  "app_name": "svc%03d",
  "%s": 30,
  "environment_variables": {"SERVICE": "svc%03d", "LOG_LEVEL": "INFO"},
  "tags": {"team": "t%d"},
  "stages": {
    "dev": {"api_gateway_stage": "api", "autogen_policy": true},
    "prod": {
      "lambda_memory_size": 512,
      "api_gateway_endpoint_type": "REGIONAL",
      "lambda_functions": {
        "api_handler": {"lambda_timeout": 60},
        "nightly": {"lambda_memory_size": 256},
        "consume": {"reserved_concurrency": 5}
      }
    }
  }
}
`, i, timeoutKey, i, i%7)
		app := fmt.Sprintf(`from chalice import Chalice, Rate

from chalicelib import db

app = Chalice(app_name='svc%03d')


@app.route('/')
def index():
    return {'service': 'svc%03d'}


@app.route('/items/{item_id}', methods=['GET', 'PUT'])
def item(item_id):
    return db.get(item_id)


@app.schedule(Rate(1, unit=Rate.DAYS))
def nightly(event):
    db.cleanup()


@app.on_sqs_message(queue='svc%03d-queue', batch_size=5)
def consume(event):
    for record in event:
        db.put(record.body)


@app.lambda_function()
def worker(event, context):
    return {}
`, i, i, i)
		lib := "def get(key):\n    return {'key': key}\n\n\ndef put(body):\n    pass\n\n\ndef cleanup():\n    pass\n"
		for _, f := range [][2]string{{dir + "/.chalice/config.json", cfg}, {dir + "/app.py", app}, {dir + "/chalicelib/__init__.py", ""},
			{dir + "/chalicelib/db.py", lib}, {dir + "/requirements.txt", "boto3\n"}} {
			if err := w(f[0], f[1]); err != nil {
				return nil, err
			}
		}
	}
	var stacks []string
	for i := 0; i < Stacks; i++ {
		a, b := (2*i)%Projects, (2*i+1)%Projects
		memory := "512"
		if i%10 == 7 {
			memory = "'big'" // a wrong type in every tenth stack
		}
		if i%2 == 0 {
			dir := fmt.Sprintf("infra/py%02d", i)
			src := fmt.Sprintf(`import os

import aws_cdk as cdk
from chalice.cdk import Chalice

SERVICES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, 'services')


class Stack%02d(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.a = Chalice(
            self, 'A', source_dir='../../services/svc%03d',
            stage_config={'lambda_memory_size': %s, 'environment_variables': {'STACK': '%02d'}},
        )
        self.b = Chalice(self, 'B', source_dir='../../services/svc%03d', stage_config={'lambda_timeout': 20})
        api = self.a.get_resource('APIHandler')
        role = self.a.get_role('DefaultRole')
        fn = self.b.get_function('Nightly')
        rest = self.b.get_resource('')
`, i, a, memory, i, b)
			if err := w(dir+"/cdk.json", `{"app": "python3 app.py"}`); err != nil {
				return nil, err
			}
			if err := w(dir+"/stack.py", src); err != nil {
				return nil, err
			}
			stacks = append(stacks, filepath.Join(root, dir, "stack.py"))
			continue
		}
		dir := fmt.Sprintf("infra/go%02d", i)
		if memory == "'big'" {
			memory = `"big"`
		}
		src := fmt.Sprintf(`package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/construct"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("s%02d"), nil)
	a := construct.NewChalice(stack, "A", &construct.ChaliceProps{
		SourceDir:   jsii.String("../../services/svc%03d"),
		StageConfig: map[string]any{"lambda_memory_size": %s},
	})
	b := construct.NewChalice(stack, "B", &construct.ChaliceProps{
		SourceDir:   jsii.String("../../services/svc%03d"),
		StageConfig: map[string]any{"lambda_timeout": 20},
	})
	a.GetResource(jsii.String("RestAPI"))
	a.GetRole(jsii.String("DefaultRole"))
	b.GetResource(jsii.String(""))
	app.Synth(nil)
}
`, i, a, memory, b)
		if err := w(dir+"/cdk.json", `{"app": "go mod download && go run ."}`); err != nil {
			return nil, err
		}
		if err := w(dir+"/main.go", src); err != nil {
			return nil, err
		}
		stacks = append(stacks, filepath.Join(root, dir, "main.go"))
	}
	return stacks, nil
}
