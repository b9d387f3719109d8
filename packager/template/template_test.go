package template_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// packaged runs real chalice on a feature app from testdata/apps (or
// testdata/packager) and returns its template.
func packaged(t *testing.T, p *packager.Packager, dir string) *template.Template {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := p.Package(ctx, packager.Request{SourceDir: dir})
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return res.Template
}

func newPackager(t *testing.T) *packager.Packager {
	return packager.New(packager.Options{CacheDir: t.TempDir(), Python: testenv.Python(t)})
}

// TestRealTemplates reads templates chalice produced for feature apps and checks
// the position-aware view against the JSON itself, and the goformation view
// against the position-aware one.
func TestRealTemplates(t *testing.T) {
	p := newPackager(t)
	apps := []string{"websockets", "layer", "schedule", "sqs", "autogen-false", "manage-iam-false", "custom-domains"}
	for _, name := range apps {
		dir := filepath.Join(testenv.RepoRoot(t), "testdata", "apps", name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tpl := packaged(t, p, dir)
			checkTemplate(t, tpl)
		})
	}
	t.Run("basic", func(t *testing.T) {
		t.Parallel()
		checkTemplate(t, packaged(t, p, filepath.Join(testenv.RepoRoot(t), "testdata", "packager", "basic")))
	})
}

func checkTemplate(t *testing.T, tpl *template.Template) {
	t.Helper()
	root, errs := jsonpos.Parse(tpl.Source)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	res := root.Get("Resources")
	if len(tpl.Resources) != len(res.Members) {
		t.Errorf("%d resources, JSON has %d", len(tpl.Resources), len(res.Members))
	}
	for _, r := range tpl.Resources {
		if got := string(tpl.Source[r.KeyStart:r.KeyEnd]); got != `"`+r.LogicalID+`"` {
			t.Errorf("%s: key span %q", r.LogicalID, got)
		}
		body, _ := jsonpos.Parse(tpl.Source[r.Start:r.End])
		if body == nil || body.Get("Type") == nil || body.Get("Type").Text != r.Type {
			t.Errorf("%s: body span does not parse to the resource", r.LogicalID)
		}
		if got := tpl.ResourceAt(r.Start + 1); got == nil || got.LogicalID != r.LogicalID {
			t.Errorf("%s: ResourceAt(body) = %v", r.LogicalID, got)
		}
		if r.Type != "AWS::Serverless::Function" {
			continue
		}
		f := r.Function
		if f == nil || f.Handler == "" || !strings.HasPrefix(f.Runtime, "python3.") || f.MemorySize == nil || f.Timeout == nil {
			t.Errorf("%s: function details %+v", r.LogicalID, f)
			continue
		}
		if f.RoleIsRef && tpl.Resource(f.Role) == nil {
			t.Errorf("%s: role %s is not a resource", r.LogicalID, f.Role)
		}
		for _, e := range f.Events {
			if string(tpl.Source[e.KeyStart:e.KeyEnd]) != `"`+e.Key+`"` || e.Type == "" {
				t.Errorf("%s: event %+v", r.LogicalID, e)
			}
		}
		if tpl.Typed == nil {
			continue
		}
		tf, err := tpl.Typed.GetServerlessFunctionWithName(r.LogicalID)
		if err != nil || tf.Handler == nil || *tf.Handler != f.Handler || len(tf.Events) != len(f.Events) || len(tf.Layers) != len(f.Layers) {
			t.Errorf("%s: typed view disagrees: %+v %v", r.LogicalID, tf, err)
		}
	}
	if tpl.Typed == nil && len(tpl.Notes) == 0 {
		t.Error("typed view missing without a note")
	}
	if tpl.Typed == nil {
		t.Logf("goformation: %v", tpl.Notes)
	}
}

func TestParseTolerance(t *testing.T) {
	// Intrinsic role, string layers and Ref layers, duplicate IDs (last wins, as in
	// json.loads), a property goformation does not know (typed view dropped, rest kept).
	src := []byte(`{"Resources": {
  "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.fn", "Runtime": "python3.12",
    "MemorySize": 256, "Timeout": 30.0, "Role": "arn:aws:iam::123:role/x",
    "Layers": [{"Ref": "ManagedLayer"}, "arn:aws:lambda:us-east-1:1:layer:l:1"],
    "Events": {"FnEvent": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 minute)"}}},
    "NotARealProperty": true}},
  "Dup": {"Type": "A"},
  "Dup": {"Type": "B"}
}}`)
	tpl, err := template.Parse("x.json", src)
	if err != nil {
		t.Fatal(err)
	}
	f := tpl.Resource("Fn").Function
	if f.Role != "arn:aws:iam::123:role/x" || f.RoleIsRef || *f.MemorySize != 256 || *f.Timeout != 30 ||
		len(f.Layers) != 2 || f.Layers[0] != "ManagedLayer" || len(f.Events) != 1 || f.Events[0].Type != "Schedule" {
		t.Errorf("function: %+v", f)
	}
	if tpl.Resource("Dup").Type != "B" || len(tpl.Resources) != 2 {
		t.Errorf("duplicates: %+v", tpl.Resources)
	}
	if tpl.Typed != nil || len(tpl.Notes) == 0 || !strings.Contains(tpl.Notes[0], "goformation") {
		t.Errorf("goformation failure not reported: %v", tpl.Notes)
	}
	if _, err := template.Parse("bad.json", []byte(`{"Resources": {`)); err == nil {
		t.Error("broken JSON accepted")
	}
	if _, err := template.Parse("arr.json", []byte(`[]`)); err == nil {
		t.Error("non-object accepted")
	}
}
