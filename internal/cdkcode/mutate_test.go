package cdkcode

import (
	"encoding/json"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"testing"
)

// TestStageConfigMutations: a stage_config built from a literal and changed
// before the construct call is followed; what cannot be followed marks the
// config partial.
func TestStageConfigMutations(t *testing.T) {
	const head = "import os\nfrom aws_cdk import Stack\nfrom chalice.cdk import Chalice\n\n"
	cases := []struct {
		name, body string
		want       string // the final stage config, as JSON
		partial    bool
	}{
		{"subscript under if", `
class Api(Stack):
    def __init__(self, scope, id, domain=None, **kw):
        super().__init__(scope, id, **kw)
        stage_config = {'lambda_memory_size': 256}
        if domain:
            stage_config['api_gateway_custom_domain'] = {'domain_name': domain, 'certificate_arn': 'arn:aws:acm:us-east-1:1:certificate/x'}
        self.chalice = Chalice(self, 'Api', source_dir='../runtime', stage_config=stage_config)
`, `{"api_gateway_custom_domain":{"certificate_arn":"arn:aws:acm:us-east-1:1:certificate/x","domain_name":{"Source":"domain"}},"lambda_memory_size":256}`, false},
		{"update and nested subscript", `
def build(scope):
    cfg = {'environment_variables': {'A': '1'}}
    cfg.update({'lambda_timeout': 30}, )
    cfg.update(tags={'team': 'x'})
    cfg['environment_variables']['B'] = '2'
    del cfg['tags']
    return Chalice(scope, 'Api', source_dir='../runtime', stage_config=cfg)
`, `{"environment_variables":{"A":"1","B":"2"},"lambda_timeout":30}`, false},
		{"dict splat", `
BASE = {'lambda_memory_size': 128, 'lambda_timeout': 10}

def build(scope):
    return Chalice(scope, 'Api', source_dir='../runtime', stage_config={**BASE, 'lambda_timeout': 60})
`, `{"lambda_memory_size":128,"lambda_timeout":60}`, false},
		{"helper return value extended by the caller", `
class Api(Stack):
    def _base_config(self):
        cfg = {'lambda_memory_size': 512}
        cfg['tags'] = {'app': 'api'}
        return cfg

    def __init__(self, scope, id, **kw):
        super().__init__(scope, id, **kw)
        sc = self._base_config()
        sc['websocket_api_custom_domain'] = {'domain_name': 'ws.example.com', 'certificate_arn': 'arn:aws:acm:us-east-1:1:certificate/y'}
        self.chalice = Chalice(self, 'Api', source_dir='../runtime', stage_config=sc)
`, `{"lambda_memory_size":512,"tags":{"app":"api"},"websocket_api_custom_domain":{"certificate_arn":"arn:aws:acm:us-east-1:1:certificate/y","domain_name":"ws.example.com"}}`, false},
		{"computed key", `
def build(scope, key):
    cfg = {'lambda_memory_size': 128}
    cfg[key] = {'domain_name': 'x'}
    return Chalice(scope, 'Api', source_dir='../runtime', stage_config=cfg)
`, `{"lambda_memory_size":128}`, true},
		{"update from an unknown value", `
def build(scope, extra):
    cfg = {'lambda_memory_size': 128}
    cfg.update(extra)
    return Chalice(scope, 'Api', source_dir='../runtime', stage_config=cfg)
`, `{"lambda_memory_size":128}`, true},
		{"handed to other code", `
def build(scope):
    cfg = {'lambda_memory_size': 128}
    add_domain(cfg)
    return Chalice(scope, 'Api', source_dir='../runtime', stage_config=cfg)
`, `{"lambda_memory_size":128}`, true},
		{"not traceable", `
from config import stage_config

def build(scope):
    return Chalice(scope, 'Api', source_dir='../runtime', stage_config=stage_config())
`, `null`, true},
		{"changes after the call do not count", `
def build(scope):
    cfg = {'lambda_memory_size': 128}
    api = Chalice(scope, 'Api', source_dir='../runtime', stage_config=cfg)
    cfg['lambda_timeout'] = 5
    return api
`, `{"lambda_memory_size":128}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkStageConfig(t, AnalyzePython("/infra/stack.py", []byte(head+c.body)), c.want, c.partial)
		})
	}
}

// TestGoStageConfigMutations: the Go construct's StageConfig map changed by
// index assignments before the call is followed; a computed key or the map
// handed to other code marks it partial.
func TestGoStageConfigMutations(t *testing.T) {
	const head = "package infra\n\nimport (\n\t\"maps\"\n\n\tchalice \"github.com/chalice-lsp/chalice-lsp/construct\"\n)\n\n"
	cases := []struct {
		name, body, want string
		partial          bool
	}{
		{"index assignments under if", `func New(scope any, domain string) {
	sc := map[string]any{"lambda_memory_size": 256}
	if domain != "" {
		sc["api_gateway_custom_domain"] = map[string]any{"domain_name": domain, "certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x"}
	}
	sc["tags"] = map[string]any{}
	chalice.NewChalice(scope, "Api", &chalice.ChaliceProps{SourceDir: "../runtime", StageConfig: sc})
}
`, `{"api_gateway_custom_domain":{"certificate_arn":"arn:aws:acm:us-east-1:1:certificate/x","domain_name":{"Source":"domain"}},"lambda_memory_size":256,"tags":{}}`, false},
		{"nested change through a type assertion", `func New(scope any) {
	sc := map[string]any{"tags": map[string]any{}}
	sc["tags"].(map[string]any)["team"] = "x"
	chalice.NewChalice(scope, "Api", &chalice.ChaliceProps{SourceDir: "../runtime", StageConfig: sc})
}
`, `{"tags":{}}`, true},
		{"maps.Copy", `func New(scope any, extra map[string]any) {
	sc := map[string]any{"lambda_memory_size": 256}
	maps.Copy(sc, extra)
	chalice.NewChalice(scope, "Api", &chalice.ChaliceProps{SourceDir: "../runtime", StageConfig: sc})
}
`, `{"lambda_memory_size":256}`, true},
		{"computed key", `func New(scope any, k string) {
	sc := map[string]any{"lambda_memory_size": 256}
	sc[k] = 1
	chalice.NewChalice(scope, "Api", &chalice.ChaliceProps{SourceDir: "../runtime", StageConfig: sc})
}
`, `{"lambda_memory_size":256}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkStageConfig(t, AnalyzeGo("/infra/stack.go", []byte(head+c.body)), c.want, c.partial)
		})
	}
}

// TestCallValuesAreExpressions: a call in a stage_config value is an
// expression (opaque), unless it is dict(...).
func TestCallValuesAreExpressions(t *testing.T) {
	src := "from chalice.cdk import Chalice\n\ndef build(scope, cfg):\n    return Chalice(scope, 'Api', source_dir='../runtime', stage_config={\n" +
		"        'environment_variables': {'UA': cfg.get_user_agent_string(), 'D': dict(a='b')}})\n"
	f := AnalyzePython("/infra/stack.py", []byte(src))
	env := f.Constructs[0].StageConfig.Get("environment_variables")
	if ua := env.Get("UA"); ua == nil || ua.Kind != jsonpos.Opaque {
		t.Errorf("a method call is an expression, got %+v", ua)
	}
	if d := env.Get("D"); d == nil || d.Kind != jsonpos.Object {
		t.Errorf("dict(...) is an object, got %+v", d)
	}
}

// checkStageConfig checks that f has one construct whose stage_config reads as
// the JSON want ("null" for none) and is partial or not as said.
func checkStageConfig(t *testing.T, f *File, want string, partial bool) {
	t.Helper()
	if len(f.Constructs) != 1 {
		t.Fatalf("constructs: %d", len(f.Constructs))
	}
	k := f.Constructs[0]
	var v any
	if k.StageConfig != nil {
		v = k.StageConfig.Value()
	}
	got, _ := json.Marshal(v)
	if string(got) != want {
		t.Errorf("stage config\n got  %s\n want %s", got, want)
	}
	if k.StageConfigPartial != partial {
		t.Errorf("partial = %v, want %v", k.StageConfigPartial, partial)
	}
}
