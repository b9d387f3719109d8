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
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// overlayScript packages like chalice.cdk.Chalice does: in-process, with the
// stage config as user-provided params.
const overlayScript = `
import json, sys
from chalice.api import package_app
package_app(sys.argv[1], sys.argv[2], sys.argv[3], chalice_config=json.loads(sys.argv[4]))
`

// mergeMaps is an independent deep merge on plain values (the packager's
// documented semantics), used to build the truth for MergeIntoStage.
func mergeMaps(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if am, ok := out[k].(map[string]any); ok {
			if bm, ok := v.(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func samIDs(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "sam.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id, r := range tmpl.Resources {
		ids = append(ids, id+" "+r.Type)
	}
	sort.Strings(ids)
	return ids
}

// TestStageConfigModes checks predictions with a CDK stage config against
// real packaging in each delivery mode: Chalice's own package_app overlay
// (chalice.cdk.Chalice), a deep merge into stages.<stage> (the Go construct)
// and a whole-stage replacement (cdk_chalice).
func TestStageConfigModes(t *testing.T) {
	bin := testenv.Chalice(t)
	py := filepath.Join(filepath.Dir(bin), "python")
	scenarios := []struct{ app, stageConfig string }{
		{"autogen-false", `{"log_retention_in_days": 7, "lambda_functions": {"reporter": {"autogen_policy": true}}}`},
		{"manage-iam-false", `{"manage_iam_role": true, "lambda_functions": {"precreated": {"manage_iam_role": false, "iam_role_arn": "arn:aws:iam::123456789012:role/r"}}}`},
		{"routes", `{"api_gateway_custom_domain": {"domain_name": "x.example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}}`},
	}
	modes := map[effective.OverlayMode]string{effective.UserParams: "overlay", effective.MergeIntoStage: "merge", effective.ReplaceStage: "replace"}
	t.Run("runs", func(t *testing.T) {
		for _, sc := range scenarios {
			for mode, modeName := range modes {
				t.Run(sc.app+"/"+modeName, func(t *testing.T) {
					t.Parallel()
					src := filepath.Join(testenv.RepoRoot(t), "testdata", "apps", sc.app)
					dir := filepath.Join(t.TempDir(), sc.app)
					testenv.CopyTree(t, src, dir)
					cfgPath := filepath.Join(dir, ".chalice", "config.json")
					cfgSrc, err := os.ReadFile(cfgPath)
					if err != nil {
						t.Fatal(err)
					}
					root, _ := jsonpos.Parse(cfgSrc)
					scNode, errs := jsonpos.Parse([]byte(sc.stageConfig))
					if len(errs) > 0 {
						t.Fatal(errs)
					}
					app, err := appmodel.Load(dir)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, r := range Resources(app, root, Options{Stage: "dev", StageConfig: scNode, StageConfigMode: mode}) {
						got = append(got, r.LogicalID+" "+r.Type)
					}
					sort.Strings(got)

					out := t.TempDir()
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					var cmd *exec.Cmd
					if mode == effective.UserParams {
						cmd = exec.CommandContext(ctx, py, "-c", overlayScript, dir, out, "dev", sc.stageConfig)
					} else {
						var cfg, scMap map[string]any
						json.Unmarshal(cfgSrc, &cfg)
						json.Unmarshal([]byte(sc.stageConfig), &scMap)
						stages, _ := cfg["stages"].(map[string]any)
						if stages == nil {
							stages = map[string]any{}
						}
						if old, ok := stages["dev"].(map[string]any); ok && mode == effective.MergeIntoStage {
							stages["dev"] = mergeMaps(old, scMap)
						} else {
							stages["dev"] = scMap
						}
						cfg["stages"] = stages
						b, _ := json.MarshalIndent(cfg, "", "  ")
						if err := os.WriteFile(cfgPath, b, 0o644); err != nil {
							t.Fatal(err)
						}
						cmd = exec.CommandContext(ctx, bin, "package", "--stage", "dev", out)
					}
					cmd.Dir = dir
					cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")
					if b, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("packaging (%s): %v\n%s", modeName, err, b)
					}
					want := samIDs(t, out)
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("prediction differs\npredicted:\n  %s\npackaged:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
					}
				})
			}
		}
	})
}
