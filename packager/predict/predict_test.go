package predict

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
)

// notPackaged lists the Chalice projects under testdata that deliberately do
// not package (other tests use them for the packager's errors), with the
// reason. Apps under testdata/apps say so in expected-failure.json instead.
// Every other project must package: a new deliberately broken fixture
// belongs here, so that an accidental failure never passes as a skip.
var notPackaged = map[string]string{
	"testdata/packager/bad_json":            "config.json is not valid JSON",
	"testdata/packager/bad_version":         `config.json has "version": "3.0"`,
	"testdata/packager/domain":              "api_gateway_custom_domain without certificate_arn (KeyError)",
	"testdata/packager/duplicate":           "foo_bar and foo__bar both become FooBar (DuplicateResourceNameError)",
	"testdata/packager/env_not_string":      "non-string environment variable (TypeError)",
	"testdata/packager/import_error":        "app.py fails at import",
	"testdata/packager/policy_levels":       "autogen_policy false without .chalice/policy-dev.json",
	"testdata/packager/policy_missing":      "autogen_policy false without .chalice/policy-dev.json",
	"testdata/packager/s3_blueprint":        "S3 event handler in a blueprint (NotImplementedError)",
	"testdata/packager/s3_event":            "S3 event handler (NotImplementedError)",
	"testdata/packager/slow":                "hangs at import for 300 s (the cancellation tests)",
	"testdata/packager/syntax_error":        "app.py has a syntax error",
	"testdata/packager/vpc":                 "subnet_ids without security_group_ids (ChaliceBuildError)",
	"testdata/packager/ws_no_flag":          "websocket handler without the WEBSOCKETS feature flag",
	"testdata/packager/env_other_stage":     "reads ORDERS_TABLE at import, which only stages.prod sets (KeyError in dev)",
	"testdata/packager/not_installed":       "imports orders_sdk, which is not installed",
	"testdata/packager/not_in_requirements": "imports acme_billing, which is not installed",
	"testdata/packager/version_clash":       "imports a name chalice does not have (ImportError)",
	"testdata/packager/stage_not_object":    "stages.dev is a string (AttributeError in Chalice's config)",
	"testdata/lsp/slow/runtime":             "hangs at import for 300 s (the language server's in-flight tests)",
}

// TestPredictionMatchesChalicePackage packages every Chalice project under
// testdata (test apps, the language server's and editors' fixtures, the
// example, the packager's apps that package) with real chalice, for every
// stage in its config, and compares logical IDs and types with the
// prediction.
func TestPredictionMatchesChalicePackage(t *testing.T) {
	testenv.Chalice(t)
	repo := testenv.RepoRoot(t)
	projects := testenv.ChaliceProjects(t, filepath.Join(repo, "testdata"))
	found := map[string]bool{}
	compared := 0
	t.Run("projects", func(t *testing.T) {
		for _, p := range projects {
			rel := "testdata/" + p
			found[rel] = true
			if _, ok := notPackaged[rel]; ok {
				continue
			}
			// Apps with a golden failure: TestPackagedIDsMatchGolden checks how they fail.
			var failures map[string]expectedFailure
			if b, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(rel), goldenFailureFile)); err == nil {
				if err := json.Unmarshal(b, &failures); err != nil {
					t.Fatalf("%s/%s: %v", rel, goldenFailureFile, err)
				}
			}
			stages, root := projectStages(t, rel)
			for _, stage := range stages {
				if _, ok := failures[stage]; ok {
					continue
				}
				compared++
				t.Run(p+"/"+stage, func(t *testing.T) {
					t.Parallel()
					r := packaged(t, rel, stage)
					if r.Err != nil {
						t.Fatalf("%v\n%s\nIf this project is meant not to package, list it in notPackaged (or, under testdata/apps, in %s) with the reason.",
							r.Err, tail(r.Output, 1500), goldenFailureFile)
					}
					app, err := appmodel.Load(r.Dir)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, res := range Resources(app, root, Options{Stage: stage}) {
						got = append(got, res.LogicalID+" "+res.Type)
					}
					sort.Strings(got)
					want := idLines(r.Resources)
					if app.HandlersUnknown != "" {
						// The parser cannot know every handler: every predicted ID
						// must still be real.
						missing := map[string]bool{}
						for _, g := range got {
							missing[g] = true
						}
						for _, w := range want {
							delete(missing, w)
						}
						if len(missing) > 0 {
							t.Errorf("handlers unknown (%s), and the prediction has IDs chalice package does not: %v", app.HandlersUnknown, missing)
						}
						return
					}
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("prediction differs from chalice package\npredicted:\n  %s\npackaged:\n  %s",
							strings.Join(got, "\n  "), strings.Join(want, "\n  "))
					}
				})
			}
		}
	})
	var stale []string
	for rel := range notPackaged {
		if !found[rel] {
			stale = append(stale, rel)
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		t.Errorf("notPackaged lists projects that no longer exist: %s", strings.Join(stale, ", "))
	}
	// Guard against a vacuous pass (e.g. discovery finding nothing): testdata
	// has 31 project/stage combinations that package (17 test apps, 9 of the
	// language server, editors and example, 5 of the packager).
	if compared < 31 {
		t.Errorf("compared only %d project/stage combinations; expected at least 31 (projects found: %s)",
			compared, strings.Join(projects, ", "))
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
