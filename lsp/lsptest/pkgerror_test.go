package lsptest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/uri"
)

// packageDiag waits for the packaging diagnostic (code package-<class>) in path
// and returns the text it covers and its message.
func packageDiag(t *testing.T, s *lsptest.Session, path, code string) (string, string) {
	t.Helper()
	u := uri.File(path)
	s.Await(code+" in "+filepath.Base(path), func(st *lsptest.State) bool { return hasCode(st.Diagnostics[u], code) != nil })
	d := hasCode(s.Diagnostics(path), code)
	c := s.Content(path)
	return c[s.Offset(path, d.Range.Start):s.Offset(path, d.Range.End)], msgOf(*d)
}

// TestPackagingConfigErrorsOnKey: config errors that real `chalice package`
// reports without a line (a VPC pair missing its partner, a missing IAM policy
// file) land on the config key responsible, in config.json or in the CDK
// stage_config literal that set it.
func TestPackagingConfigErrorsOnKey(t *testing.T) {
	venv := lsptest.Venv(t)
	trusted := lsptest.Config{InitOptions: map[string]any{"workspaceTrusted": true, "settings": map[string]any{"python": venv}}}
	for _, tc := range []struct{ fixture, key, inMessage string }{
		{"testdata/packager/vpc", `"subnet_ids"`, "subnet_ids and security_group_ids"},
		{"testdata/packager/policy_missing", `"autogen_policy"`, "policy-dev.json"},
	} {
		t.Run(filepath.Base(tc.fixture), func(t *testing.T) {
			s, dir := startFixture(t, tc.fixture, trusted)
			cfg := filepath.Join(dir, ".chalice", "config.json")
			s.Open(cfg)
			got, msg := packageDiag(t, s, cfg, "package-invalid-config")
			if got != tc.key || !strings.Contains(msg, tc.inMessage) {
				t.Fatalf("packaging error should cover the key %s, covers %q: %s", tc.key, got, msg)
			}
			if code := s.Shutdown(); code != 0 {
				t.Fatalf("exit code %d", code)
			}
		})
	}

	t.Run("stage_config", func(t *testing.T) {
		s, dir := startFixture(t, "testdata/lsp/cdkapp", trusted)
		py := filepath.Join(dir, "infra-py", "vpc_stack.py")
		s.Open(py, `import aws_cdk as cdk
from chalice.cdk import Chalice


class VPCStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        Chalice(self, 'WebApp', source_dir='../runtime',
                stage_config={'security_group_ids': ['sg-1234']})
`)
		got, msg := packageDiag(t, s, py, "package-invalid-config")
		if got != "'security_group_ids'" || !strings.Contains(msg, "subnet_ids") {
			t.Fatalf("a stage_config error should cover its key in the CDK file, covers %q: %s", got, msg)
		}
		if ds := s.Diagnostics(filepath.Join(dir, "runtime", ".chalice", "config.json")); hasCode(ds, "package-invalid-config") != nil {
			t.Fatal("the error comes from the stage_config, not from config.json")
		}
		// Fixed and saved: the packaging error goes away.
		s.Edit(py, strings.Replace(s.Content(py), "{'security_group_ids': ['sg-1234']}", "{'lambda_memory_size': 256}", 1))
		s.Save(py)
		s.Await("packaging error cleared", func(st *lsptest.State) bool {
			return hasCode(st.Diagnostics[uri.File(py)], "package-invalid-config") == nil && st.Ended("chalice package") >= 2
		})
		if code := s.Shutdown(); code != 0 {
			t.Fatalf("exit code %d", code)
		}
	})
}
