package lsptest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
)

// stepStack builds stage_config in steps, as real stacks do. The custom domain
// is added under an if (followed), the second construct's config is extended
// by code the analysis cannot follow (partial), and the last call names an ID
// no config key can create.
const stepStack = `import os

import aws_cdk as cdk
from chalice.cdk import Chalice

RUNTIME = os.path.join(os.path.dirname(__file__), os.pardir, 'runtime')


class StepStack(cdk.Stack):

    def __init__(self, scope, id, domain=None, extra=None, **kwargs):
        super().__init__(scope, id, **kwargs)
        stage_config = {'lambda_memory_size': 256}
        if domain:
            stage_config['api_gateway_custom_domain'] = {
                'domain_name': domain,
                'certificate_arn': 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
            }
        self.api = Chalice(self, 'Api', source_dir=RUNTIME, stage_config=stage_config)
        self.api.get_resource('ApiGatewayCustomDomain')

        partial = {'lambda_timeout': 30}
        partial.update(extra or {})
        self.other = Chalice(self, 'Other', source_dir=RUNTIME, stage_config=partial)
        self.other.get_resource('WebsocketApiCustomDomain')
        self.other.get_resource('NoSuchHandler')
`

// TestStageConfigBuiltInSteps: logical IDs that the followed or possibly
// missing stage_config keys create are not reported unknown; an ID nothing
// could create still is.
func TestStageConfigBuiltInSteps(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	py := filepath.Join(dir, "infra-py", "step_stack.py")
	u := s.Open(py, stepStack)
	s.Await("unknown ID reported", func(st *lsptest.State) bool {
		return hasCode(st.Diagnostics[u], "unknown-logical-id") != nil
	})
	var unknown []string
	for _, d := range s.Diagnostics(py) {
		if codeOf(d) == "unknown-logical-id" {
			unknown = append(unknown, stepStack[s.Offset(py, d.Range.Start):s.Offset(py, d.Range.End)])
		}
		if d.Severity == protocol.DiagnosticSeverityError {
			t.Errorf("unexpected error: %s", msgOf(d))
		}
	}
	if strings.Join(unknown, ",") != "NoSuchHandler" {
		t.Fatalf("unknown logical IDs reported: %q, want only NoSuchHandler", unknown)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

// TestUnknownHandlersNoUnknownIDs: an app whose handlers cannot be listed
// gets no unknown-logical-id from prediction, and hover on lambda_functions
// in its config says why.
func TestUnknownHandlersNoUnknownIDs(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	appPy := filepath.Join(dir, "runtime", "app.py")
	orig, err := os.ReadFile(appPy)
	if err != nil {
		t.Fatal(err)
	}
	// The app hands itself to a library that may register more handlers.
	src := strings.Replace(string(orig), "\n\n", "\nimport chalice_plugins\n\n", 1) + "\nchalice_plugins.install(app)\n"
	if err := os.WriteFile(appPy, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	py := filepath.Join(dir, "infra-py", "plugin_stack.py")
	const stack = "import aws_cdk as cdk\nfrom chalice.cdk import Chalice\n\n\nclass P(cdk.Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n" +
		"        self.c = Chalice(self, 'C', source_dir='../runtime')\n        self.c.get_function('AuditHandler')\n        self.c.get_resource('NoSuchx')\n"
	u := s.Open(py, stack)
	s.Await("first diagnostics", func(st *lsptest.State) bool { return st.Publishes[u] > 0 })
	if d := hasCode(s.Diagnostics(py), "unknown-logical-id"); d != nil {
		t.Fatalf("no unknown IDs while the handler set is unknown: %s", msgOf(*d))
	}
	cfg := filepath.Join(dir, "runtime", ".chalice", "config.json")
	cfgSrc := `{"version": "2.0", "app_name": "x", "lambda_functions": {"audit_handler": {"lambda_timeout": 5}}}`
	os.WriteFile(cfg, []byte(cfgSrc), 0o644)
	cu := s.Open(cfg, cfgSrc)
	s.Await("config diagnostics", func(st *lsptest.State) bool { return st.Publishes[cu] > 0 })
	if d := hasCode(s.Diagnostics(cfg), "unknown-function"); d != nil {
		t.Fatalf("no unknown-function while the handler set is unknown: %s", msgOf(*d))
	}
	h := s.Hover(cfg, s.Pos(cfg, `"lambda_functions"`, 2))
	if !strings.Contains(h, "Handlers unknown") || !strings.Contains(h, "chalice_plugins.install()") {
		t.Fatalf("hover on lambda_functions should say why the handlers are unknown:\n%s", h)
	}
	h = s.Hover(cfg, s.Pos(cfg, `"audit_handler"`, 2))
	if !strings.Contains(h, "does not check this name") {
		t.Fatalf("hover on a function name should say it is not checked:\n%s", h)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
