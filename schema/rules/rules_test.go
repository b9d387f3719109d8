package rules

import (
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

func TestIAMRoleARNMissing(t *testing.T) {
	cfg := `{
  "app_name": "demo",
  "lambda_functions": {"worker": {"iam_role_arn": "arn:aws:iam::123456789012:role/w"}},
  "stages": {
    "prod": {"manage_iam_role": false},
    "beta": {"manage_iam_role": false, "iam_role_arn": "arn:aws:iam::123456789012:role/b"},
    "gamma": {"lambda_functions": {"worker": {"manage_iam_role": false, "iam_role_arn": ""}}}
  }
}`
	p := newProject(t, routeApp, cfg, nil)
	r := p.check(Options{})
	expect(t, cfg, r.Config,
		// api_handler has no ARN in prod; worker gets one from lambda_functions.worker.
		want{code: CodeIAMRoleARNMissing, context: `"prod": {"manage_iam_role": false}`, needle: "false", severity: diag.Error,
			msgHas: []string{"no iam_role_arn is set", "[function api_handler in stage prod]"}},
		// An empty ARN at SF beats the TF one.
		want{code: CodeIAMRoleARNMissing, context: `"worker": {"manage_iam_role": false`, needle: "false",
			msgHas: []string{"iam_role_arn is empty (stages.gamma.lambda_functions.worker)", "[function worker in stage gamma]"}},
	)
	if len(r.Overlay) != 0 || len(r.App) != 0 {
		t.Errorf("unexpected overlay/app diagnostics: %v %v", r.Overlay, r.App)
	}
}

func TestIAMRoleARNMissingInOverlay(t *testing.T) {
	cfg := `{"app_name": "demo", "stages": {"prod": {"iam_role_arn": "arn:aws:iam::123456789012:role/x"}}}`
	p := newProject(t, routeApp, cfg, nil)
	overlaySrc := `{"manage_iam_role": false}`
	overlay, _ := jsonpos.Parse([]byte(overlaySrc))
	r := p.check(Options{Stages: []string{"dev", "prod"}, User: overlay})
	expect(t, overlaySrc, r.Overlay, want{code: CodeIAMRoleARNMissing, needle: "false",
		msgHas: []string{"[functions api_handler and worker in stage dev]"}})
	expect(t, cfg, r.Config)
}

func TestVPCConfigIncomplete(t *testing.T) {
	cfg := `{
  "subnet_ids": ["subnet-1"],
  "stages": {
    "prod": {"security_group_ids": ["sg-1"]},
    "beta": {"security_group_ids": ["sg-1"], "lambda_functions": {"worker": {"subnet_ids": []}}}
  }
}`
	p := newProject(t, routeApp, cfg, nil)
	r := p.check(Options{})
	expect(t, cfg, r.Config,
		want{code: CodeVPCConfigIncomplete, context: `"subnet_ids": ["subnet-1"]`, needle: `["subnet-1"]`, severity: diag.Error,
			msgHas: []string{"subnet_ids is set but security_group_ids is not set", "[functions api_handler and worker in stage dev]"}},
		want{code: CodeVPCConfigIncomplete, context: `"beta": {"security_group_ids": ["sg-1"]`, needle: `["sg-1"]`,
			msgHas: []string{"security_group_ids is set but subnet_ids is empty (stages.beta.lambda_functions.worker)", "[function worker in stage beta]"}},
	)
}

func TestPrivateEndpoint(t *testing.T) {
	cfg := `{
  "api_gateway_endpoint_type": "PRIVATE",
  "stages": {
    "both": {"api_gateway_endpoint_vpce": "vpce-1", "api_gateway_policy_file": "p.json"},
    "vpce": {"api_gateway_endpoint_vpce": ["vpce-2"]},
    "edge": {"api_gateway_endpoint_type": "EDGE", "api_gateway_endpoint_vpce": "vpce-3"},
    "regional": {"api_gateway_endpoint_type": "REGIONAL", "api_gateway_endpoint_vpce": []}
  }
}`
	p := newProject(t, routeApp, cfg, map[string]string{".chalice/p.json": `{"Version": "2012-10-17", "Statement": []}`})
	r := p.check(Options{})
	expect(t, cfg, r.Config,
		want{code: CodePrivateEndpointNoPolicy, context: `"api_gateway_endpoint_type": "PRIVATE"`, needle: `"PRIVATE"`, severity: diag.Error,
			msgHas: []string{"[stage dev]"}},
		want{code: CodePrivateEndpointConflict, context: `"api_gateway_endpoint_vpce": "vpce-1"`, needle: `"vpce-1"`, msgHas: []string{"[stage both]"}},
		want{code: CodePrivateEndpointConflict, context: `"api_gateway_policy_file": "p.json"`, needle: `"p.json"`},
		want{code: CodeVPCEWithoutPrivate, context: `"vpce-3"`, needle: `"vpce-3"`, msgHas: []string{`"EDGE" (stages.edge)`}},
	)
	// No routes: no REST API, nothing to check.
	p = newProject(t, noRouteApp, cfg, nil)
	if r := p.check(Options{}); len(r.Config) != 0 {
		t.Errorf("app without routes: %v", codes(r.Config))
	}
}

func TestPolicyFiles(t *testing.T) {
	cfg := `{
  "stages": {
    "prod": {"autogen_policy": false},
    "beta": {"autogen_policy": false, "iam_policy_file": "custom.json"},
    "broken": {"autogen_policy": false, "iam_policy_file": "broken.json"},
    "ok": {"autogen_policy": false, "iam_policy_file": "good.json", "api_gateway_policy_file": "good.json"},
    "premade": {"autogen_policy": false, "manage_iam_role": false, "iam_role_arn": "arn:aws:iam::123456789012:role/x"},
    "api": {"api_gateway_policy_file": "api-policy.json"}
  }
}`
	files := map[string]string{
		".chalice/good.json":       `{"Version": "2012-10-17", "Statement": []}`,
		".chalice/broken.json":     `{"Version": "2012-10-17",}`,
		".chalice/policy-dev.json": "\ufeff{}", // a BOM is fine: Chalice reads bytes
	}
	p := newProject(t, routeApp, cfg, files)
	r := p.check(Options{})
	expect(t, cfg, r.Config,
		want{code: CodeIAMPolicyFileMissing, context: `"prod": {"autogen_policy": false}`, needle: "false", severity: diag.Error,
			msgHas: []string{".chalice/policy-prod.json, which does not exist", "[functions api_handler and worker in stage prod]"}},
		want{code: CodeIAMPolicyFileMissing, context: `"custom.json"`, needle: `"custom.json"`,
			msgHas: []string{`iam_policy_file "custom.json" does not exist in .chalice/`, "autogen_policy is false (stages.beta)"}},
		want{code: CodePolicyFileInvalidJSON, context: `"broken.json"`, needle: `"broken.json"`, msgHas: []string{"is not valid JSON", "trailing comma"}},
		want{code: CodeAPIPolicyFileMissing, context: `"api-policy.json"`, needle: `"api-policy.json"`, msgHas: []string{"[stage api]"}},
	)
	// Without a project directory the file checks are skipped.
	if r := Check(p.root, nil, Options{}); len(r.Config) != 0 {
		t.Errorf("no project dir: %v", codes(r.Config))
	}
}

func TestUnknownFunction(t *testing.T) {
	app := `from chalice import Chalice, Blueprint

app = Chalice(app_name='demo')
bp = Blueprint(__name__)


@app.route('/')
def index():
    return {}


@app.lambda_function()
def worker(event, context):
    return {}


@app.schedule('rate(1 hour)', name='hourly')
def every_hour(event):
    return {}


@bp.lambda_function()
def helper(event, context):
    return {}


app.register_blueprint(bp, name_prefix='bp_')
`
	cfg := `{
  "lambda_functions": {
    "api_handler": {},
    "worker": {},
    "wroker": {},
    "index": {},
    "every_hour": {},
    "hourly": {},
    "bp_helper": {},
    "helper": {},
    "demo-prod-worker": {},
    "zzzzzzzz": {}
  },
  "stages": {"prod": {"lambda_functions": {"Worker": {}}}}
}`
	p := newProject(t, app, cfg, nil)
	r := p.check(Options{})
	expect(t, cfg, r.Config,
		want{code: CodeUnknownFunction, needle: `"wroker"`, severity: diag.Warning, msgHas: []string{`did you mean "worker"?`},
			suggestions: []string{`"worker"`}, checkSuggestions: true},
		want{code: CodeRouteFunctionName, needle: `"index"`, severity: diag.Warning, msgHas: []string{"route view", `"api_handler"`},
			suggestions: []string{`"api_handler"`}, checkSuggestions: true},
		want{code: CodeUnknownFunction, needle: `"every_hour"`, msgHas: []string{`configures this handler as "hourly"`},
			suggestions: []string{`"hourly"`}, checkSuggestions: true},
		want{code: CodeUnknownFunction, context: `"helper": {}`, needle: `"helper"`, msgHas: []string{`"bp_helper"`},
			suggestions: []string{`"bp_helper"`}, checkSuggestions: true},
		want{code: CodeUnknownFunction, needle: `"demo-prod-worker"`, msgHas: []string{"deployed name"},
			suggestions: []string{`"worker"`}, checkSuggestions: true},
		want{code: CodeUnknownFunction, needle: `"zzzzzzzz"`, msgHas: []string{"functions: api_handler, bp_helper, hourly, worker"},
			suggestions: nil, checkSuggestions: true},
		want{code: CodeUnknownFunction, needle: `"Worker"`, suggestions: []string{`"worker"`}, checkSuggestions: true},
	)
	// Only the checked stages' lambda_functions are looked at (the top level always).
	r = p.check(Options{Stages: []string{"dev"}})
	for _, d := range r.Config {
		if safeSlice(cfg, d.Start, d.End) == `"Worker"` {
			t.Error("stage prod is not checked but its lambda_functions were")
		}
	}
	// Half-typed app.py: handlers may be missing, so no unknown-function.
	p = newProject(t, app+"\n@app.lambda_function(\ndef broken(:\n", cfg, nil)
	for _, d := range p.check(Options{}).Config {
		if d.Code == CodeUnknownFunction || d.Code == CodeRouteFunctionName {
			t.Errorf("app.py has syntax errors, yet %s on %s", d.Code, safeSlice(cfg, d.Start, d.End))
		}
	}
	// No app at all: nothing to compare with.
	if r := Check(p.root, nil, Options{}); len(r.Config) != 0 {
		t.Errorf("no app: %v", codes(r.Config))
	}
}

func TestIgnoredFunctionSetting(t *testing.T) {
	cfg := `{
  "environment_variables": {"A": "x"},
  "lambda_functions": {"worker": {"environment_variables": {"A": "y"}, "tags": {"t": "v"}, "lambda_timeout": 5}},
  "stages": {"dev": {"lambda_functions": {"worker": {"environment_variables": {"A": "z"}, "tags": {"t": "w"}}}}}
}`
	p := newProject(t, routeApp, cfg, nil)
	expect(t, cfg, p.check(Options{}).Config,
		want{code: CodeIgnoredFunctionSetting, context: `"worker": {"environment_variables": {"A": "y"}`, needle: `"environment_variables"`,
			severity: diag.Warning, msgHas: []string{"lambda_functions.worker", "stages.<stage>.lambda_functions.worker"}},
		want{code: CodeIgnoredFunctionSetting, context: `"tags": {"t": "v"}`, needle: `"tags"`},
	)
}

func TestLogRetentionAPIHandler(t *testing.T) {
	cfg := `{
  "log_retention_in_days": 14,
  "lambda_functions": {"worker": {"log_retention_in_days": 30}},
  "stages": {
    "prod": {"lambda_functions": {"api_handler": {"log_retention_in_days": 0}}},
    "beta": {"lambda_functions": {"api_handler": {"log_retention_in_days": 7}}}
  }
}`
	p := newProject(t, routeApp, cfg, nil)
	expect(t, cfg, p.check(Options{}).Config,
		want{code: CodeLogRetentionAPIHandler, context: `"log_retention_in_days": 14`, needle: "14", severity: diag.Warning,
			msgHas: []string{"${ApiHandler}", "aws/chalice#2079", "chalice-lsp's packager", "[function api_handler in stage dev]"}},
		want{code: CodeLogRetentionAPIHandler, context: `"log_retention_in_days": 7`, needle: "7", msgHas: []string{"[function api_handler in stage beta]"}},
	)
	// Without routes there is no api_handler (its lambda_functions entries are unknown).
	p = newProject(t, noRouteApp, cfg, nil)
	for _, d := range p.check(Options{}).Config {
		if d.Code != CodeUnknownFunction || !strings.Contains(d.Message, `"api_handler"`) {
			t.Errorf("no routes: %s %s", d.Code, d.Message)
		}
	}
}

func TestAppRules(t *testing.T) {
	app := `from chalice import Chalice

app = Chalice(app_name='demo')


@app.route('/')
def index():
    return {}


@app.lambda_function()
def foo_bar(event, context):
    return {}


@app.lambda_function()
def foo__bar(event, context):
    return {}


@app.lambda_function(name='ApiHandler')
def other(event, context):
    return {}


@app.schedule('rate(1 hour)')
def nightly(event):
    return {}


@app.lambda_function()
def nightly_event(event, context):
    return {}


@app.lambda_function(name='___')
def nameless(event, context):
    return {}


@app.on_s3_event(bucket='b')
def upload(event):
    return {}


@app.lambda_function()
def unique_one(event, context):
    return {}
`
	p := newProject(t, app, `{}`, nil)
	r := p.check(Options{Packaged: true})
	if len(r.Config) != 0 {
		t.Errorf("config diagnostics: %v", codes(r.Config))
	}
	ds := r.App[p.app.AppFile]
	if len(r.App) != 1 {
		t.Errorf("diagnostics for %d files, want only app.py", len(r.App))
	}
	expect(t, app, ds,
		want{code: CodeDuplicateLogicalID, context: "def foo_bar(", needle: "foo_bar", severity: diag.Error,
			msgHas: []string{"logical ID FooBar", `handler "foo__bar" (def foo__bar)`, "A duplicate resource name was generated for the SAM template: FooBar"}},
		want{code: CodeDuplicateLogicalID, context: "def foo__bar(", needle: "foo__bar"},
		want{code: CodeDuplicateLogicalID, context: "name='ApiHandler'", needle: "ApiHandler", msgHas: []string{`the route handler "api_handler"`}},
		want{code: CodeDuplicateLogicalID, context: "def nightly(", needle: "nightly", msgHas: []string{`the event entry "nightly-event" of handler "nightly"`, "NightlyEvent"}},
		want{code: CodeDuplicateLogicalID, context: "def nightly_event(", needle: "nightly_event"},
		want{code: CodeEmptyLogicalID, context: "def nameless(", needle: "nameless", severity: diag.Error},
		want{code: CodeS3EventUnsupported, needle: "@app.on_s3_event(bucket='b')", severity: diag.Error, msgHas: []string{"NotImplementedError"}},
	)
	// Deployed with `chalice deploy` (nothing packages it): information only.
	var s3 []diag.Diagnostic
	for _, d := range p.check(Options{}).App[p.app.AppFile] {
		if d.Code == CodeS3EventUnsupported {
			s3 = append(s3, d)
		}
	}
	expect(t, app, s3, want{code: CodeS3EventUnsupported, needle: "@app.on_s3_event(bucket='b')", severity: diag.Information,
		msgHas: []string{"`chalice deploy` supports", "nothing here packages this app"}})
}

func TestSchemaOverlapRules(t *testing.T) {
	cfg := `{
  "version": "1_0",
  "environment_variables": {"A": 1, "B": "ok", "C": null},
  "tags": {"t": true},
  "api_gateway_custom_domain": {"domain_name": "x", "certificate_arn": "y", "url_prefixes": ["a"], "security_policy": "TLS_1_2"},
  "stages": {"dev": {"lambda_functions": {"worker": {"environment_variables": {"D": ["x"]}}}}}
}`
	p := newProject(t, routeApp, cfg, nil)
	// Off by default: schema.Validate reports these on the same ranges.
	if r := p.check(Options{}); len(r.Config) != 0 {
		t.Errorf("schema-overlap rules ran by default: %v", codes(r.Config))
	}
	overlaySrc := `{"environment_variables": {"E": 5}}`
	overlay, _ := jsonpos.Parse([]byte(overlaySrc))
	r := p.check(Options{IncludeSchemaChecks: true, User: overlay})
	expect(t, cfg, r.Config,
		want{code: CodeUnsupportedVersion, needle: `"1_0"`, msgHas: []string{"Unknown version '1_0'"}, suggestions: []string{`"2.0"`}, checkSuggestions: true},
		want{code: CodeEnvValueNotString, context: `"A": 1`, needle: "1", suggestions: []string{`"1"`}, checkSuggestions: true},
		want{code: CodeEnvValueNotString, context: `"C": null`, needle: "null", suggestions: nil, checkSuggestions: true},
		want{code: CodeEnvValueNotString, context: `"D": ["x"]`, needle: `["x"]`},
		want{code: CodeTagValueNotString, context: `"t": true`, needle: "true", suggestions: []string{`"true"`}, checkSuggestions: true},
		want{code: CodeIgnoredDomainKey, needle: `"url_prefixes"`, suggestions: []string{`"url_prefix"`}, checkSuggestions: true},
		want{code: CodeIgnoredDomainKey, needle: `"security_policy"`, suggestions: []string{`"tls_version"`}, checkSuggestions: true},
	)
	expect(t, overlaySrc, r.Overlay, want{code: CodeEnvValueNotString, needle: "5"})
}

func TestVersionLikePythonFloat(t *testing.T) {
	for src, bad := range map[string]bool{
		`"2.0"`: false, `" 2.0\n"`: false, `"1"`: false, `2`: false, `1.5`: false, `true`: false, `"nan"`: false, `"-inf"`: false,
		`"2.0.1"`: true, `"abc"`: true, `"3"`: true, `2.5`: true, `"1_0"`: true, `"inf"`: true, `"1__0"`: true, `null`: true, `[]`: true, `""`: true,
	} {
		cfg := `{"version": ` + src + `}`
		root, _ := jsonpos.Parse([]byte(cfg))
		r := Check(root, nil, Options{IncludeSchemaChecks: true})
		if got := len(r.Config) == 1 && r.Config[0].Code == CodeUnsupportedVersion; got != bad {
			t.Errorf("version %s: reported %v, want %v (%v)", src, got, bad, codes(r.Config))
		}
	}
}

func TestAffectedWording(t *testing.T) {
	c := &checker{stages: []string{"dev", "prod", "beta"}}
	cases := []struct {
		aff  map[string]map[string]bool
		want string
	}{
		{map[string]map[string]bool{"dev": {}}, "stage dev"},
		{map[string]map[string]bool{"dev": {}, "prod": {}, "beta": {}}, "stages dev, prod and beta"},
		{map[string]map[string]bool{"prod": {"a": true, "b": true}, "dev": {"a": true, "b": true}}, "functions a and b in stages dev and prod"},
		{map[string]map[string]bool{"prod": {"a": true}, "dev": {"a": true, "b": true}}, "stage dev: a, b; stage prod: a"},
	}
	for _, tc := range cases {
		if got := c.describeAffected(tc.aff); got != tc.want {
			t.Errorf("describeAffected(%v) = %q, want %q", tc.aff, got, tc.want)
		}
	}
}

func TestNoDuplicateRanges(t *testing.T) {
	// One value affecting many stages and functions gives one diagnostic.
	cfg := `{"manage_iam_role": false, "stages": {"a": {}, "b": {}, "c": {}}}`
	p := newProject(t, routeApp, cfg, nil)
	r := p.check(Options{})
	if len(r.Config) != 1 || !strings.Contains(r.Config[0].Message, "functions api_handler and worker in stages a, b, c and dev") {
		t.Errorf("got %s", dump(cfg, r.Config))
	}
}

func TestStageConfigModes(t *testing.T) {
	cfg := `{"app_name": "demo", "stages": {"prod": {"security_group_ids": ["sg-1"]}}}`
	p := newProject(t, routeApp, cfg, nil)
	ovSrc := `{"lambda_functions": {"worker": {"subnet_ids": ["subnet-1"]}, "wrker": {}}}`
	ov, _ := jsonpos.Parse([]byte(ovSrc))

	// chalice.cdk.Chalice: the whole lambda_functions is ignored (the language
	// server flags the key, knowing the construct), so nothing applies to worker.
	r := p.check(Options{Stages: []string{"dev"}, User: ov})
	expect(t, ovSrc, r.Overlay)
	expect(t, cfg, r.Config)

	// chalice-lsp's construct: merged into stages.dev, so worker gets subnets
	// without security groups, and "wrker" is an unknown function.
	r = p.check(Options{Stages: []string{"dev"}, User: ov, UserMode: effective.MergeIntoStage})
	expect(t, ovSrc, r.Overlay,
		want{code: CodeVPCConfigIncomplete, needle: `["subnet-1"]`, msgHas: []string{"[function worker in stage dev]"}},
		want{code: CodeUnknownFunction, needle: `"wrker"`, suggestions: []string{`"worker"`}, checkSuggestions: true},
	)
	// Merged into stages.prod, the file's security groups complete the pair.
	r = p.check(Options{Stages: []string{"prod"}, User: ov, UserMode: effective.MergeIntoStage})
	expect(t, ovSrc, r.Overlay, want{code: CodeUnknownFunction, needle: `"wrker"`})
	// cdk-chalice: the overlay replaces stages.prod, dropping the security groups.
	r = p.check(Options{Stages: []string{"prod"}, User: ov, UserMode: effective.ReplaceStage})
	expect(t, ovSrc, r.Overlay,
		want{code: CodeVPCConfigIncomplete, needle: `["subnet-1"]`, msgHas: []string{"[function worker in stage prod]"}},
		want{code: CodeUnknownFunction, needle: `"wrker"`},
	)
}

// TestUnknownHandlerSetIsSilent: when the app object is built by code the
// parser cannot follow, no lambda_functions key is reported as unknown.
func TestUnknownHandlerSetIsSilent(t *testing.T) {
	app := "from chalice import Chalice\nimport plugins\napp = Chalice(app_name='x')\nplugins.install(app)\n\n@app.lambda_function()\ndef worker(e, c):\n    pass\n"
	cfg := `{"lambda_functions": {"audit": {"lambda_timeout": 10}, "worker": {}}}`
	p := newProject(t, app, cfg, nil)
	if p.app.HandlersUnknown == "" {
		t.Fatal("expected the handler set to be unknown")
	}
	r := p.check(Options{})
	expect(t, cfg, r.Config)
	// The same key is reported once the app is plain.
	p = newProject(t, "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.lambda_function()\ndef worker(e, c):\n    pass\n", cfg, nil)
	expect(t, cfg, p.check(Options{}).Config, want{code: CodeUnknownFunction, needle: `"audit"`})
}

// TestMisplacedFunctionKeyIsTheSchemas: a setting's name under lambda_functions
// is reported once, by the schema (misplaced-key), not also as an unknown
// function.
func TestMisplacedFunctionKeyIsTheSchemas(t *testing.T) {
	app := "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.route('/')\ndef index():\n    pass\n"
	cfg := `{"lambda_functions": {"automatic_layer": true, "api_handler": {}, "nosuch": {}}}`
	p := newProject(t, app, cfg, nil)
	expect(t, cfg, p.check(Options{}).Config, want{code: CodeUnknownFunction, needle: `"nosuch"`})
}

// TestEmptyCertificateARN: an empty certificate_arn (filled in later by a merge
// template or a deploy script) is information on the value, not an error.
func TestEmptyCertificateARN(t *testing.T) {
	cfg := `{"stages": {"prod": {"api_gateway_custom_domain": {"domain_name": "api.example.com", "certificate_arn": ""}}}}`
	p := newProject(t, "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.route('/')\ndef i():\n    pass\n", cfg, nil)
	expect(t, cfg, p.check(Options{}).Config, want{code: CodeEmptyCertificateARN, needle: `""`, severity: diag.Information, msgHas: []string{"--merge-template"}})
}

// TestUnknownHandlersStillCheckSettings: with the handler set unknown, settings
// that apply to every function are still checked (as for api_handler).
func TestUnknownHandlersStillCheckSettings(t *testing.T) {
	cfg := `{"manage_iam_role": false, "iam_role_arn": null}`
	p := newProject(t, "import json\n\ndef handler(event, context):\n    return json.dumps(event)\n", cfg, nil)
	if p.app.HandlersUnknown == "" {
		t.Fatal("expected the handler set to be unknown")
	}
	expect(t, cfg, p.check(Options{}).Config, want{code: CodeIAMRoleARNMissing, needle: "false", msgHas: []string{"no iam_role_arn is set"}})
}

// TestAppNotNamedApp: Chalice only loads app.app.
func TestAppNotNamedApp(t *testing.T) {
	app := "from chalice import Chalice\n\nAPP = Chalice(app_name='x')\n\n@APP.route('/')\ndef index():\n    pass\n"
	p := newProject(t, app, `{}`, nil)
	expect(t, app, p.check(Options{}).App[p.app.AppFile], want{code: CodeAppNotNamedApp, needle: "APP", context: "APP = ", severity: diag.Error,
		msgHas: []string{"getattr(app, 'app')", "binds it to APP"}})
	// With app bound too, nothing to say.
	app2 := app + "app = APP\n"
	p = newProject(t, app2, `{}`, nil)
	expect(t, app2, p.check(Options{}).App[p.app.AppFile])
}
