package predict

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// Each app under testdata/apps carries its expectation, written by hand from
// the app's decorators and config and the naming rules of chalice.md 2.3/2.4
// (never generated from chalice output), so that real packaging is checked
// against something other than this package's own prediction:
//
//	expected-ids.json      {"<stage>": {"<LogicalID>": "<Type>", ...}, ...}
//	expected-failure.json  {"<stage>": {"exitCode": 2, "outputContains": ["..."]}, ...}
//
// An app has exactly one of the two, covering exactly the stages of its
// config (effective.Stages: "dev" plus the configured ones).
const (
	goldenIDsFile     = "expected-ids.json"
	goldenFailureFile = "expected-failure.json"
)

// expectedFailure is how `chalice package` must fail for one stage.
type expectedFailure struct {
	ExitCode       int      `json:"exitCode"`
	OutputContains []string `json:"outputContains"`
}

// golden is one app's expectation, read from whichever file it has.
type golden struct {
	path     string
	ids      map[string]map[string]string // stage -> logical ID -> type
	failures map[string]expectedFailure   // stage -> failure
}

func (g golden) stages() []string {
	var out []string
	for s := range g.ids {
		out = append(out, s)
	}
	for s := range g.failures {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// readGolden reads the expectation of the app in dir. It is an error when
// the app has neither file or both, or a file does not parse strictly.
func readGolden(dir string) (golden, error) {
	var g golden
	found := 0
	for name, dst := range map[string]any{goldenIDsFile: &g.ids, goldenFailureFile: &g.failures} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return g, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst); err != nil {
			return g, fmt.Errorf("%s: %w", path, err)
		}
		g.path = path
		found++
	}
	if found != 1 {
		return g, fmt.Errorf("%s needs exactly one of %s (the logical IDs chalice.md 2.4 predicts, per stage) or %s (how packaging fails); found %d",
			dir, goldenIDsFile, goldenFailureFile, found)
	}
	return g, nil
}

// TestPackagedIDsMatchGolden packages every app under testdata/apps with real
// chalice, for every stage, and compares the template's logical IDs and types
// with the app's hand-written expected-ids.json, or checks that packaging
// fails as expected-failure.json says (the S3 event app).
func TestPackagedIDsMatchGolden(t *testing.T) {
	testenv.Chalice(t)
	repo := testenv.RepoRoot(t)
	apps, _ := filepath.Glob(filepath.Join(repo, "testdata", "apps", "*", "app.py"))
	if len(apps) < 17 {
		t.Fatalf("found %d apps under testdata/apps; the packager issue lists 17", len(apps))
	}
	checked := 0
	t.Run("apps", func(t *testing.T) {
		for _, appPy := range apps {
			dir := filepath.Dir(appPy)
			rel := "testdata/apps/" + filepath.Base(dir)
			g, err := readGolden(dir)
			if err != nil {
				t.Error(err)
				continue
			}
			stages, _ := projectStages(t, rel)
			if got, want := strings.Join(g.stages(), " "), strings.Join(stages, " "); got != want {
				t.Errorf("%s covers stages [%s]; the config has [%s] (\"dev\" always exists)", g.path, got, want)
				continue
			}
			for _, stage := range stages {
				checked++
				t.Run(filepath.Base(dir)+"/"+stage, func(t *testing.T) {
					t.Parallel()
					r := packaged(t, rel, stage)
					if want, ok := g.failures[stage]; ok {
						checkFailure(t, r, want, g.path)
						return
					}
					if r.Err != nil {
						t.Fatalf("%v\n%s\n(expected it to package: %s)", r.Err, tail(r.Output, 1500), g.path)
					}
					if diff := diffIDs(g.ids[stage], r.Resources); diff != "" {
						t.Errorf("chalice package output differs from %s (stage %s):\n%s", g.path, stage, diff)
					}
				})
			}
		}
	})
	if checked < 17 {
		t.Errorf("checked only %d app/stage combinations; expected at least 17", checked)
	}
}

func checkFailure(t *testing.T, r *packageRun, want expectedFailure, path string) {
	t.Helper()
	if r.Err == nil {
		t.Fatalf("chalice package succeeded, but %s says it fails; it produced:\n  %s",
			path, strings.Join(idLines(r.Resources), "\n  "))
	}
	if r.ExitCode != want.ExitCode {
		t.Errorf("chalice package exited with %d, %s says %d: %v\n%s", r.ExitCode, path, want.ExitCode, r.Err, tail(r.Output, 1500))
	}
	for _, s := range want.OutputContains {
		if !strings.Contains(r.Output, s) {
			t.Errorf("chalice package output lacks %q (from %s):\n%s", s, path, tail(r.Output, 1500))
		}
	}
}

// diffIDs lists, one per line, the logical IDs missing from got, the
// unexpected ones, and those whose type differs; "" when they are equal.
func diffIDs(want, got map[string]string) string {
	var lines []string
	for id, typ := range want {
		if g, ok := got[id]; !ok {
			lines = append(lines, fmt.Sprintf("  missing    %s (%s)", id, typ))
		} else if g != typ {
			lines = append(lines, fmt.Sprintf("  wrong type %s: packaged %s, expected %s", id, g, typ))
		}
	}
	for id, typ := range got {
		if _, ok := want[id]; !ok {
			lines = append(lines, fmt.Sprintf("  unexpected %s (%s)", id, typ))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestDiffIDs checks the comparison itself, so a broken diff cannot make the
// golden test pass vacuously.
func TestDiffIDs(t *testing.T) {
	want := map[string]string{"A": TypeFunction, "B": TypeRole, "C": TypeAPI}
	if d := diffIDs(want, map[string]string{"A": TypeFunction, "B": TypeRole, "C": TypeAPI}); d != "" {
		t.Errorf("equal maps differ:\n%s", d)
	}
	got := map[string]string{"A": TypeFunction, "B": TypeLayer, "D": TypePermission}
	d := diffIDs(want, got)
	for _, s := range []string{
		"wrong type B: packaged " + TypeLayer + ", expected " + TypeRole,
		"missing    C (" + TypeAPI + ")",
		"unexpected D (" + TypePermission + ")",
	} {
		if !strings.Contains(d, s) {
			t.Errorf("diff lacks %q:\n%s", s, d)
		}
	}
	if strings.Contains(d, " A ") || strings.Contains(d, " A:") {
		t.Errorf("diff mentions the matching A:\n%s", d)
	}
	if d := diffIDs(want, nil); strings.Count(d, "missing") != 3 {
		t.Errorf("nothing packaged must report all three missing:\n%s", d)
	}
}
