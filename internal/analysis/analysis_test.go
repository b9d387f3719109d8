package analysis

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const appPy = `from chalice import Chalice
app = Chalice(app_name='web')

@app.lambda_function()
def worker(event, context):
    return {}
`

// orderWorkspace: the workspace folder holds one project (ws/web) and a CDK app
// with two stacks: one names a project outside the folder by source_dir, the
// other cannot be resolved statically and so uses "the workspace's only project".
// The old server registered the outside project while analysing the first stack,
// so the second stack's findings depended on which file was analysed first.
func orderWorkspace(t *testing.T) (root string, named, unresolved string) {
	root = t.TempDir()
	write(t, root, map[string]string{
		"ws/web/.chalice/config.json":   `{"version": "2.0", "app_name": "web", "stages": {"dev": {}}}`,
		"ws/web/app.py":                 appPy,
		"outside/.chalice/config.json":  `{"version": "2.0", "app_name": "out", "stages": {"dev": {}}}`,
		"outside/app.py":                appPy,
		"ws/infra/cdk.json":             `{"app": "python3 app.py"}`,
		"ws/infra/stacks/named.py":      "from chalice.cdk import Chalice\n\nclass A:\n    def __init__(self):\n        self.chalice = Chalice(self, 'A', source_dir='../../outside')\n        self.chalice.get_resource('Nope')\n",
		"ws/infra/stacks/unresolved.py": "import os\nfrom chalice.cdk import Chalice\n\nclass B:\n    def __init__(self):\n        self.chalice = Chalice(self, 'B', source_dir=os.environ['D'], stage_config={'lambda_timeout': 'x'})\n        self.chalice.get_resource('Worker')\n        self.chalice.get_resource('Wroker')\n",
	})
	return root, filepath.Join(root, "ws/infra/stacks/named.py"), filepath.Join(root, "ws/infra/stacks/unresolved.py")
}

func codes(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestDiagnoseIsIndependentOfOrder(t *testing.T) {
	root, named, unresolved := orderWorkspace(t)
	fresh := func() *Snapshot { return FromDisk(os.ReadFile, settings.Defaults(), filepath.Join(root, "ws")) }

	a := fresh()
	namedFirst := Diagnose(a, named)
	unresolvedSecond := Diagnose(a, unresolved)

	b := fresh()
	unresolvedFirst := Diagnose(b, unresolved)
	namedSecond := Diagnose(b, named)

	if !reflect.DeepEqual(namedFirst, namedSecond) {
		t.Errorf("named.py depends on order:\nfirst:  %v\nsecond: %v", namedFirst, namedSecond)
	}
	if !reflect.DeepEqual(unresolvedFirst, unresolvedSecond) {
		t.Errorf("unresolved.py depends on order:\nfirst:  %v\nsecond: %v", unresolvedFirst, unresolvedSecond)
	}
	// Analysing named.py (whose source_dir is a project outside the folder) must
	// not add that project to the snapshot: unresolved.py still resolves to the
	// workspace's only project, web, and checks its IDs against it.
	if n := len(a.Projects()); n != 1 {
		t.Fatalf("analysis registered projects: %d projects after Diagnose, want 1", n)
	}
	var sawTypo, sawType bool
	for _, d := range unresolvedSecond {
		switch {
		case d.Code == CodeUnknownLogicalID && strings.Contains(d.Message, `"Wroker"`) && strings.Contains(d.Message, "of web"):
			sawTypo = true
			if len(d.Suggestions) == 0 || d.Suggestions[0] != "Worker" {
				t.Errorf("suggestions for Wroker = %v, want Worker first", d.Suggestions)
			}
		case d.Code == CodeUnknownLogicalID && strings.Contains(d.Message, `"Worker"`):
			t.Errorf("Worker is a predicted ID of web, got %s", d.Message)
		case strings.Contains(d.Message, "lambda_timeout") || d.Code == "type-mismatch" || d.Code == "invalid-type":
			sawType = true
		}
	}
	if !sawTypo {
		t.Errorf("unresolved.py: want unknown-logical-id for Wroker against web, got %v", unresolvedSecond)
	}
	if !sawType {
		t.Errorf("unresolved.py: want a finding on lambda_timeout 'x', got %v", unresolvedSecond)
	}
	// The named construct resolves to the outside project (read, not registered).
	if !reflect.DeepEqual(codes(namedFirst), []string{CodeUnknownLogicalID}) || !strings.Contains(namedFirst[0].Message, "of outside") {
		t.Errorf("named.py: want one unknown-logical-id against outside, got %v", namedFirst)
	}
}

func TestModifyIsImmutableAndInvalidates(t *testing.T) {
	root, _, unresolved := orderWorkspace(t)
	s0 := FromDisk(os.ReadFile, settings.Defaults(), filepath.Join(root, "ws"))
	cfg := filepath.Join(root, "ws/web/.chalice/config.json")
	app := filepath.Join(root, "ws/web/app.py")
	s1, inv := s0.Modify(Changes{Open: []*Document{{Path: unresolved, Version: 1, Content: []byte("x = 1\n")}, {Path: cfg, Version: 1, Content: []byte(`{"version": "2.0", "app_name": "web"}`)}}})
	if inv.All || !reflect.DeepEqual(inv.Files, sortedStrings(cfg, unresolved)) {
		t.Errorf("opening two files: invalidation %+v", inv)
	}
	if len(Diagnose(s1, unresolved)) != 0 {
		t.Errorf("open buffer not used: %v", Diagnose(s1, unresolved))
	}
	if len(Diagnose(s0, unresolved)) == 0 {
		t.Errorf("Modify changed the old snapshot")
	}

	// Renaming the handler in app.py (a buffer) changes the project's IDs: the
	// open config.json and the open CDK code are invalidated, and the typo check
	// sees the new name.
	s1b, _ := s0.Modify(Changes{})
	before := Diagnose(s1b, unresolved)
	s2, inv := s1b.Modify(Changes{Open: []*Document{{Path: app, Version: 1, Content: []byte(strings.Replace(appPy, "def worker", "def wroker", 1))}}})
	if inv.All || !reflect.DeepEqual(inv.Files, sortedStrings(app)) {
		// only app.py is open in s2
		t.Errorf("editing app.py: invalidation %+v", inv)
	}
	after := Diagnose(s2, unresolved)
	if reflect.DeepEqual(before, after) {
		t.Errorf("renaming the handler did not change the CDK findings: %v", after)
	}
	for _, d := range after {
		if strings.HasPrefix(d.Message, `"Wroker" is not`) {
			t.Errorf("Wroker exists after the rename, still reported: %s", d.Message)
		}
	}

	// Packaging results enter as a change and invalidate that project's files.
	s3, _ := s2.Modify(Changes{Open: []*Document{{Path: unresolved, Version: 2, Content: mustRead(t, unresolved)}}})
	s4, inv := s3.Modify(Changes{Packaging: []*Packaging{{Key: "k", Dir: filepath.Join(root, "ws/web"), Stage: "dev"}}})
	if inv.All || !reflect.DeepEqual(inv.Files, sortedStrings(app, unresolved)) {
		t.Errorf("packaging result: invalidation %+v", inv)
	}
	if s4.Packaging("k") == nil || s3.Packaging("k") != nil {
		t.Errorf("packaging result not in the new snapshot only")
	}

	// New settings invalidate everything.
	st := settings.Defaults()
	st.Stage = "prod"
	if _, inv := s4.Modify(Changes{Settings: &st}); !inv.All {
		t.Errorf("settings change: invalidation %+v", inv)
	}
	if _, inv := s4.Modify(Changes{Projects: append(s4.Projects(), &workspace.Project{Dir: filepath.Join(root, "outside")})}); !inv.All {
		t.Errorf("projects change: invalidation %+v", inv)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sortedStrings(ss ...string) []string {
	out := append([]string{}, ss...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// An edit of a project input marks the project's packaged templates stale in the
// next snapshot (never in the old one); an edit elsewhere does not.
func TestModifyMarksTemplatesStale(t *testing.T) {
	root, named, _ := orderWorkspace(t)
	web := filepath.Join(root, "ws/web")
	s0 := FromDisk(os.ReadFile, settings.Defaults(), filepath.Join(root, "ws"))
	s1, _ := s0.Modify(Changes{Packaging: []*Packaging{{Key: "k", Dir: web, Stage: "dev", Result: &packager.Result{}}}})
	s2, _ := s1.Modify(Changes{Open: []*Document{{Path: named, Version: 1, Content: []byte("x = 2\n")}}})
	if s2.Packaging("k").Stale {
		t.Fatal("editing CDK code outside the project made its template stale")
	}
	app := filepath.Join(web, "app.py")
	s3, _ := s2.Modify(Changes{Open: []*Document{{Path: app, Version: 1, Content: mustRead(t, app)}}})
	if s3.Packaging("k").Stale {
		t.Fatal("opening app.py unchanged made the template stale")
	}
	s4, inv := s3.Modify(Changes{Open: []*Document{{Path: app, Version: 2, Content: []byte(appPy + "\n# edit\n")}}})
	if !s4.Packaging("k").Stale || s3.Packaging("k").Stale {
		t.Fatalf("edit of app.py: stale in next %v, in previous %v", s4.Packaging("k").Stale, s3.Packaging("k").Stale)
	}
	if !slices.Contains(inv.Files, named) || !slices.Contains(inv.Files, app) {
		t.Fatalf("edit of app.py invalidates %v, want app.py and the open CDK file", inv.Files)
	}
	if s4.LatestPackaging(web, "dev") == nil || s4.LatestPackaging(web, "prod") != nil {
		t.Fatal("LatestPackaging by stage")
	}
}

// TestCDKIsSharedUntilItsInputsChange: the CDK analysis of a file is one value
// for the findings and every request on a snapshot, carried over by Modify while
// nothing it reads changed, and recomputed after an edit of the file or of a
// config.json (which decides whether a source_dir is a project).
func TestCDKIsSharedUntilItsInputsChange(t *testing.T) {
	root, named, _ := orderWorkspace(t)
	snap := FromDisk(os.ReadFile, settings.Defaults(), filepath.Join(root, "ws"))
	f := snap.CDK(named)
	if f == nil || len(f.Constructs) != 1 || f.Constructs[0].Target.Project == nil {
		t.Fatalf("CDK(named): %+v", f)
	}
	if Analyze(snap, named).CDKFile != f {
		t.Fatal("the findings analysed the file again instead of using the snapshot's analysis")
	}
	web := filepath.Join(root, "ws/web/app.py")
	next, _ := snap.Modify(Changes{Open: []*Document{{Path: web, Version: 2, Content: []byte(appPy + "\n")}}})
	if next.CDK(named) != f {
		t.Error("an edit of a project's app.py dropped the CDK analysis of a stack")
	}
	src := mustRead(t, named)
	edited, _ := next.Modify(Changes{Open: []*Document{{Path: named, Version: 2, Content: append(src, '\n')}}})
	if g := edited.CDK(named); g == f || g == nil {
		t.Errorf("after an edit of the stack: %p (was %p), want a new analysis", g, f)
	}
	// The outside project loses its config.json: the construct names no project.
	outsideCfg := filepath.Join(root, "outside/.chalice/config.json")
	if err := os.Remove(outsideCfg); err != nil {
		t.Fatal(err)
	}
	gone, _ := next.Modify(Changes{Disk: []string{outsideCfg}})
	if g := gone.CDK(named); g == nil || g.Constructs[0].Target.Project != nil {
		t.Errorf("after the source_dir's config.json was deleted the construct still names a project: %+v", g)
	}
}
