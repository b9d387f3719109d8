package cdkfeatures

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
)

// TestLensesFollowPackaging: predicted before packaging, "packaged Ns ago" after a
// result, "stale (packaged Ns ago)" once an input of the project changed.
func TestLensesFollowPackaging(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"web/.chalice/config.json": `{"version": "2.0", "app_name": "web", "stages": {"dev": {}}}`,
		"web/app.py":               "from chalice import Chalice\napp = Chalice(app_name='web')\n\n@app.lambda_function()\ndef worker(event, context):\n    return {}\n",
		"infra/cdk.json":           `{"app": "python3 app.py"}`,
		"infra/app.py":             "import aws_cdk as cdk\nfrom chalice.cdk import Chalice\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\nc = Chalice(stack, 'C', source_dir='../web')\nother = Chalice(stack, 'D', source_dir='../nowhere')\n",
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	snap := analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
	stack := filepath.Join(root, "infra/app.py")
	f := analysis.Analyze(snap, stack).CDKFile
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ls := Lenses(snap, f, now)
	src, _ := snap.ReadFile(stack)
	if len(ls) != 1 || ls[0].Title != "web · stage dev · 2 resources · predicted" || !strings.HasPrefix(string(src[ls[0].Start:]), "Chalice(stack, 'C'") {
		t.Fatalf("lenses before packaging (the construct without a project has none): %+v", ls)
	}

	tmpl, err := template.Parse("sam.json", []byte(`{"Resources": {"Worker": {"Type": "AWS::Serverless::Function", "Properties": {}}, "DefaultRole": {"Type": "AWS::IAM::Role", "Properties": {}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tg := ls[0].Construct.Target
	snap, _ = snap.Modify(analysis.Changes{Packaging: []*analysis.Packaging{{Key: tg.Key(), Dir: tg.Project.Dir, Stage: tg.Stage, Result: &packager.Result{Template: tmpl}, At: now.Add(-42 * time.Second)}}})
	f = analysis.Analyze(snap, stack).CDKFile
	if got := Lenses(snap, f, now)[0].Title; got != "web · stage dev · 2 resources · packaged 42s ago" {
		t.Fatalf("after packaging: %q", got)
	}
	app := filepath.Join(root, "web/app.py")
	snap, _ = snap.Modify(analysis.Changes{Open: []*analysis.Document{{Path: app, Version: 2, Content: []byte(files["web/app.py"] + "# edited\n")}}})
	f = analysis.Analyze(snap, stack).CDKFile
	if got := Lenses(snap, f, now.Add(5*time.Minute))[0].Title; got != "web · stage dev · 2 resources · stale (packaged 5m ago)" {
		t.Fatalf("after an edit of app.py: %q", got)
	}
}

func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "just now", 3 * time.Second: "3s ago", 90 * time.Second: "1m ago", 5 * time.Hour: "5h ago", 72 * time.Hour: "3d ago"} {
		if got := Ago(d); got != want {
			t.Errorf("Ago(%v) = %q, want %q", d, got, want)
		}
	}
}
