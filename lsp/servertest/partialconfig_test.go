package servertest_test

import (
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/servertest"
)

// TestStageConfigBuiltInSteps: stage_config built in steps, as real stacks do.
// The custom domain added under an if is followed; the second construct's config
// is extended by code the analysis cannot follow (partial). Logical IDs that the
// followed or possibly missing keys create are not reported unknown; an ID no
// config key can create still is.
func TestStageConfigBuiltInSteps(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, runtime+pythonStack+`
-- infra-py/step_stack.py --
import os

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
        self.other.get_resource('⟦!unknown-logical-id:warning|NoSuchHandler⟧')
`, servertest.Config{})
	s.Open("infra-py/step_stack.py").WantDiagnostics()
}

// TestUnknownHandlersNoUnknownIDs: an app that hands itself to a library (which
// may register more handlers) has no known handler set: prediction reports no
// unknown logical ID, config.json no unknown function, and hover says why.
func TestUnknownHandlersNoUnknownIDs(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, `
-- runtime/app.py --
from chalice import Chalice
import chalice_plugins

app = Chalice(app_name='x')


@app.route('/')
def index():
    return {}

chalice_plugins.install(app)
-- runtime/.chalice/config.json --
{"version": "2.0", "app_name": "x", "⟨lambdaFunctions⟩lambda_functions": {"⟨audit⟩audit_handler": {"lambda_timeout": 5}}}
-- infra-py/cdk.json --
{"app": "python3 app.py"}
-- infra-py/plugin_stack.py --
import aws_cdk as cdk
from chalice.cdk import Chalice


class P(cdk.Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        self.c = Chalice(self, 'C', source_dir='../runtime')
        self.c.get_function('AuditHandler')
        self.c.get_resource('NoSuchx')
`, servertest.Config{})
	s.Open("infra-py/plugin_stack.py").WantDiagnostics()
	cfg := s.Open("runtime/.chalice/config.json")
	cfg.WantDiagnostics()
	cfg.WantHover("lambdaFunctions", "Handlers unknown", "chalice_plugins.install()")
	if h := cfg.Hover("audit"); !strings.Contains(h, "does not check this name") {
		t.Errorf("hover on a function name should say it is not checked:\n%s", h)
	}
}
