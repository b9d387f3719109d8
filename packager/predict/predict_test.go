package predict

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// packageApp runs real `chalice package` and returns "ID Type" lines.
func packageApp(t *testing.T, bin, dir, stage string) ([]string, error) {
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "package", "--stage", stage, out)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chalice package: %w\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "sam.json"))
	if err != nil {
		return nil, err
	}
	var tmpl struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal(b, &tmpl); err != nil {
		return nil, err
	}
	var ids []string
	for id, r := range tmpl.Resources {
		ids = append(ids, id+" "+r.Type)
	}
	sort.Strings(ids)
	return ids, nil
}

// TestPredictionMatchesChalicePackage packages every test app with real
// chalice, for every stage in its config, and compares logical IDs and
// types with the prediction.
func TestPredictionMatchesChalicePackage(t *testing.T) {
	bin := testenv.Chalice(t)
	apps, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "apps", "*", "app.py"))
	if len(apps) == 0 {
		t.Fatal("no apps under testdata/apps")
	}
	var packaged atomic.Int32
	t.Run("apps", func(t *testing.T) { testApps(t, bin, apps, &packaged) })
	// Guard against a vacuous pass (e.g. every packaging run failing).
	if n := packaged.Load(); n < 16 {
		t.Errorf("only %d app/stage combinations packaged successfully; expected at least 16", n)
	}
}

func testApps(t *testing.T, bin string, apps []string, packaged *atomic.Int32) {
	for _, appPy := range apps {
		src := filepath.Dir(appPy)
		cfgSrc, err := os.ReadFile(filepath.Join(src, ".chalice", "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		root, errs := jsonpos.Parse(cfgSrc)
		if len(errs) > 0 {
			t.Fatalf("%s: config: %v", src, errs)
		}
		for _, stage := range effective.Stages(root) {
			name := filepath.Base(src) + "/" + stage
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := filepath.Join(t.TempDir(), filepath.Base(src))
				testenv.CopyTree(t, src, dir)
				app, err := appmodel.Load(dir)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range Resources(app, root, Options{Stage: stage}) {
					got = append(got, r.LogicalID+" "+r.Type)
				}
				sort.Strings(got)
				want, err := packageApp(t, bin, dir, stage)
				hasS3 := false
				for _, h := range app.Handlers {
					hasS3 = hasS3 || h.Kind == appmodel.KindS3Event
				}
				if hasS3 {
					// CloudFormation packaging cannot handle S3 events.
					if err == nil || !strings.Contains(err.Error(), "on_s3_event") {
						t.Errorf("expected chalice package to refuse the S3 event handler, got %v", err)
					}
					return
				}
				if err != nil {
					// Apps that do not package (e.g. the deliberately broken
					// configs other tests use) have no truth to compare with.
					t.Logf("skipped, does not package: %.300s", err)
					return
				}
				packaged.Add(1)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("prediction differs from chalice package\npredicted:\n  %s\npackaged:\n  %s",
						strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
			})
		}
	}
}

func TestLayerHasContent(t *testing.T) {
	dir := t.TempDir()
	if LayerHasContent(dir) {
		t.Error("empty project has layer content")
	}
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("# only a comment\n\n"), 0o644)
	if LayerHasContent(dir) {
		t.Error("comment-only requirements counted")
	}
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("requests==2.0\n"), 0o644)
	if !LayerHasContent(dir) {
		t.Error("requirement not counted")
	}
}
