package lspbench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Project is a generated Chalice app with a Python CDK stack that uses it.
type Project struct {
	Dir       string // workspace folder
	Runtime   string // the Chalice project (holds .chalice/config.json)
	AppPy     string
	Config    string // .chalice/config.json
	StacksPy  string // CDK code with a get_resource('…') call site
	Resources int    // resources of the packaged template
}

// WriteProject generates, under dir, an app whose packaged template has exactly
// resources resources: resources-1 @app.lambda_function handlers (one
// AWS::Serverless::Function each, logical IDs Fn000, Fn001, …) plus chalice's
// DefaultRole.
func WriteProject(dir string, resources int) (*Project, error) {
	if resources < 2 {
		return nil, fmt.Errorf("a project needs at least 2 resources, got %d", resources)
	}
	p := &Project{Dir: dir, Runtime: filepath.Join(dir, "runtime"), Resources: resources}
	p.AppPy = filepath.Join(p.Runtime, "app.py")
	p.Config = filepath.Join(p.Runtime, ".chalice", "config.json")
	p.StacksPy = filepath.Join(dir, "infra-py", "stacks.py")

	var app strings.Builder
	app.WriteString("from chalice import Chalice\n\napp = Chalice(app_name='bench')\n")
	for i := 0; i < resources-1; i++ {
		fmt.Fprintf(&app, "\n\n@app.lambda_function(name='fn%03d')\ndef fn%03d(event, context):\n    return {'n': %d}\n", i, i, i)
	}
	files := map[string]string{
		p.AppPy: app.String(),
		filepath.Join(p.Runtime, "requirements.txt"): "",
		p.Config:                                 "{\n  \"version\": \"2.0\",\n  \"app_name\": \"bench\",\n  \"stages\": {\"dev\": {}}\n}\n",
		p.StacksPy:                               stacksPy,
		filepath.Join(dir, "infra-py", "app.py"): "#!/usr/bin/env python3\nimport aws_cdk as cdk\n\nfrom stacks import BenchStack\n\napp = cdk.App()\nBenchStack(app, 'bench')\napp.synth()\n",
		filepath.Join(dir, "infra-py", "cdk.json"): "{\n  \"app\": \"python3 app.py\"\n}\n",
	}
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// stacksPy is a CDK stack using chalice.cdk.Chalice; the completion benchmarks ask
// for logical IDs inside get_resource('…').
const stacksPy = `import os

import aws_cdk as cdk
from chalice.cdk import Chalice

RUNTIME = os.path.join(os.path.dirname(__file__), os.pardir, 'runtime')


class BenchStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.chalice = Chalice(
            self, 'BenchApp', source_dir=RUNTIME,
            stage_config={'lambda_memory_size': 256},
        )
        fn = self.chalice.get_resource('Fn000')
        role = self.chalice.get_role('DefaultRole')
`

// CompletionAnchor is the text in stacks.py after which logical-ID completion is
// requested (just inside the quote).
const CompletionAnchor = "get_resource('"
