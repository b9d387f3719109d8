package cdkfeatures

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
)

// TestLensesFollowPackaging: predicted before packaging, "packaged Ns ago" after a
// result, "stale (packaged Ns ago)" once an input of the project changed.
func TestLensesFollowPackaging(t *testing.T) {
	root, snap := webAndInfra(t, `{"dev": {}}`, "c = Chalice(stack, 'C', source_dir='../web')\nother = Chalice(stack, 'D', source_dir='../nowhere')\n")
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
	appSrc, _ := snap.ReadFile(app)
	snap, _ = snap.Modify(analysis.Changes{Open: []*analysis.Document{{Path: app, Version: 2, Content: []byte(string(appSrc) + "# edited\n")}}})
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
