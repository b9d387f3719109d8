package cdkfeatures

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// webAndInfra writes a Chalice project web/ (config stages, one lambda
// function, worker) and a CDK app infra/ whose app.py is the stack stack (a
// Python CDK stack named dev) into a temporary directory; it returns the
// directory and a snapshot of it read from disk.
func webAndInfra(t *testing.T, stages, stack string) (string, *analysis.Snapshot) {
	t.Helper()
	root := testenv.WriteTree(t, t.TempDir(), map[string]string{
		"web/.chalice/config.json": `{"version": "2.0", "app_name": "web", "stages": ` + stages + `}`,
		"web/app.py":               "from chalice import Chalice\napp = Chalice(app_name='web')\n\n@app.lambda_function()\ndef worker(event, context):\n    return {}\n",
		"infra/cdk.json":           `{"app": "python3 app.py"}`,
		"infra/app.py":             "import aws_cdk as cdk\nfrom chalice.cdk import Chalice\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\n" + stack,
	})
	return root, analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
}

func TestCompletionAndHoverOnASnapshot(t *testing.T) {
	root, snap := webAndInfra(t, `{"dev": {"lambda_functions": {"worker": {"lambda_timeout": 42}}}}`,
		"c = Chalice(stack, 'C', source_dir='../web', stage_config={'lambda_memory_size': 256})\nc.get_function('Worker')\n")
	stack := filepath.Join(root, "infra/app.py")
	f := analysis.Analyze(snap, stack).CDKFile
	if f == nil || len(f.File.IDRefs) != 1 {
		t.Fatalf("CDK analysis of the stack: %+v", f)
	}
	ref := &f.File.IDRefs[0]
	c, ok := CompleteID(snap, f, ref)
	if !ok {
		t.Fatal("no completion at get_function")
	}
	var labels []string
	for _, it := range c.Items {
		labels = append(labels, it.Label+"="+it.Detail)
	}
	if strings.Join(labels, ",") != "Worker=AWS::Serverless::Function (predicted)" {
		t.Fatalf("get_function completion: %v (want only the function, predicted)", labels)
	}
	src, _ := snap.ReadFile(stack)
	off := strings.Index(string(src), "'Worker'") + 2
	h, ok := HoverAt(snap, f, off)
	for _, want := range []string{"`AWS::Serverless::Function`", "Timeout: 42 s", "Memory: 256 MB", "Chalice stage: `dev`", "lambda_functions.worker"} {
		if !ok || !strings.Contains(h.Markdown, want) {
			t.Errorf("hover on Worker lacks %q:\n%s", want, h.Markdown)
		}
	}
	off = strings.Index(string(src), "lambda_memory_size") + 3
	h, ok = HoverAt(snap, f, off)
	if !ok || !strings.Contains(h.Markdown, "lambda_memory_size") || string(src[h.Start:h.End]) != "'lambda_memory_size'" && string(src[h.Start:h.End]) != "lambda_memory_size" {
		t.Fatalf("hover on the stage_config key: %+v %v", h, ok)
	}
}

// A project with more handlers than logicalid.MaxCompletions gets a bounded list
// marked incomplete, filtered by what is typed; a small one stays complete.
func TestCompleteIDIsBounded(t *testing.T) {
	var app strings.Builder
	app.WriteString("from chalice import Chalice\napp = Chalice(app_name='web')\n")
	for i := range 1500 {
		fmt.Fprintf(&app, "\n@app.lambda_function()\ndef fn%d(event, context):\n    return {}\n", i)
	}
	root := testenv.WriteTree(t, t.TempDir(), map[string]string{
		"web/.chalice/config.json": `{"version": "2.0", "app_name": "web", "stages": {"dev": {}}}`,
		"web/app.py":               app.String(),
		"infra/cdk.json":           `{"app": "python3 app.py"}`,
		"infra/app.py":             "import aws_cdk as cdk\nfrom chalice.cdk import Chalice\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\nc = Chalice(stack, 'C', source_dir='../web')\nc.get_function('Fn14')\nc.get_role('')\n",
	})
	snap := analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
	f := analysis.Analyze(snap, filepath.Join(root, "infra/app.py")).CDKFile
	if f == nil || len(f.File.IDRefs) != 2 {
		t.Fatalf("CDK analysis of the stack: %+v", f)
	}
	c, ok := CompleteID(snap, f, &f.File.IDRefs[0])
	if !ok || !c.Incomplete || len(c.Items) == 0 || len(c.Items) > logicalid.MaxCompletions {
		t.Fatalf("get_function('Fn14') on 1,500 functions: ok=%v incomplete=%v, %d items (want incomplete, 1..%d)", ok, c.Incomplete, len(c.Items), logicalid.MaxCompletions)
	}
	if c.Items[0].Label != "Fn14" {
		t.Errorf("first item %q, want the exact prefix match Fn14 first", c.Items[0].Label)
	}
	for _, it := range c.Items {
		if !strings.Contains(strings.ToLower(it.Label), "fn14") {
			t.Fatalf("item %q does not contain the typed text", it.Label)
		}
	}
	c, ok = CompleteID(snap, f, &f.File.IDRefs[1])
	if !ok || c.Incomplete || len(c.Items) != 1 || c.Items[0].Label != "DefaultRole" {
		t.Fatalf("get_role(''): incomplete=%v items=%+v, want only DefaultRole, complete", c.Incomplete, c.Items)
	}
}
