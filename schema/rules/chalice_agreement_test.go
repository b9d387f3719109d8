package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

type packageResult struct {
	Error    string         `json:"error"`
	Template map[string]any `json:"template"`
}

func (r packageResult) resource(id string) map[string]any {
	res, _ := r.Template["Resources"].(map[string]any)
	m, _ := res[id].(map[string]any)
	return m
}

func (r packageResult) props(id string) map[string]any {
	p, _ := r.resource(id)["Properties"].(map[string]any)
	return p
}

// TestRulesAgreeWithChalicePackage runs Chalice's own packaging (what the CDK
// constructs call) on small projects and checks that each error rule fires exactly
// where Chalice fails or produces a broken template, and stays quiet otherwise.
func TestRulesAgreeWithChalicePackage(t *testing.T) {
	py := testenv.Python(t)
	type scenario struct {
		name, app, cfg, stage, user string
		files                       map[string]string
		codes                       []string // our rule codes, sorted
		chalice                     func(r packageResult) string
	}
	fails := func(prefix string) func(packageResult) string {
		return func(r packageResult) string {
			if !strings.HasPrefix(r.Error, prefix) {
				return "want Chalice to fail with " + prefix
			}
			return ""
		}
	}
	succeeds := func(r packageResult) string {
		if r.Error != "" {
			return "want Chalice to package it"
		}
		return ""
	}
	const dupApp = routeApp + `

@app.lambda_function()
def foo_bar(event, context):
    return {}


@app.lambda_function()
def foo__bar(event, context):
    return {}
`
	const eventApp = routeApp + `

@app.schedule('rate(1 hour)')
def nightly(event):
    return {}


@app.lambda_function()
def nightly_event(event, context):
    return {}
`
	const s3App = routeApp + `

@app.on_s3_event(bucket='mybucket')
def upload(event):
    return {}
`
	base := `"version": "2.0", "app_name": "demo"`
	scenarios := []scenario{
		{name: "clean", app: routeApp, cfg: `{` + base + `, "stages": {"dev": {"lambda_functions": {"worker": {"lambda_timeout": 30}}}}}`,
			chalice: func(r packageResult) string {
				if r.Error != "" || r.props("Worker")["Timeout"] != json.Number("30") {
					return "want Worker with Timeout 30"
				}
				return ""
			}},
		{name: "vpc", app: routeApp, cfg: `{` + base + `, "subnet_ids": ["subnet-1"]}`,
			codes: []string{CodeVPCConfigIncomplete}, chalice: fails("ChaliceBuildError: Invalid VPC params")},
		{name: "vpc-empty-list", app: routeApp, cfg: `{` + base + `, "subnet_ids": ["subnet-1"], "security_group_ids": []}`,
			codes: []string{CodeVPCConfigIncomplete}, chalice: fails("ChaliceBuildError: Invalid VPC params")},
		{name: "vpc-ok", app: routeApp, cfg: `{` + base + `, "subnet_ids": ["subnet-1"], "stages": {"dev": {"security_group_ids": ["sg-1"]}}}`,
			chalice: succeeds},
		{name: "vpc-overlay", app: routeApp, cfg: `{` + base + `}`, user: `{"security_group_ids": ["sg-1"]}`,
			codes: []string{CodeVPCConfigIncomplete}, chalice: fails("ChaliceBuildError: Invalid VPC params")},
		// package_app ignores lambda_functions in chalice_config, and so does
		// ResolveOverlay in UserParams mode: no finding (the language server warns
		// about the key itself, knowing which construct is used).
		{name: "overlay-functions-ignored", app: routeApp, cfg: `{` + base + `}`, user: `{"lambda_functions": {"worker": {"lambda_timeout": 99, "subnet_ids": ["subnet-1"]}}}`,
			chalice: func(r packageResult) string {
				if r.props("Worker")["Timeout"] != json.Number("60") {
					return "want Worker to keep Timeout 60 (package_app ignores lambda_functions in chalice_config)"
				}
				return ""
			}},
		{name: "duplicate-id", app: dupApp, cfg: `{` + base + `}`,
			codes: []string{CodeDuplicateLogicalID, CodeDuplicateLogicalID}, chalice: fails("DuplicateResourceNameError")},
		{name: "duplicate-event-id", app: eventApp, cfg: `{` + base + `}`,
			codes: []string{CodeDuplicateLogicalID, CodeDuplicateLogicalID}, chalice: fails("DuplicateResourceNameError")},
		{name: "empty-id", app: routeApp + "\n\n@app.lambda_function(name='___')\ndef nameless(event, context):\n    return {}\n", cfg: `{` + base + `}`,
			codes: []string{CodeEmptyLogicalID}, chalice: func(r packageResult) string {
				if r.resource("") == nil {
					return "want a resource with an empty logical ID"
				}
				return ""
			}},
		{name: "s3", app: s3App, cfg: `{` + base + `}`,
			codes: []string{CodeS3EventUnsupported}, chalice: fails("NotImplementedError")},
		{name: "policy-missing", app: routeApp, cfg: `{` + base + `, "stages": {"prod": {"autogen_policy": false}}}`, stage: "prod",
			codes: []string{CodeIAMPolicyFileMissing}, chalice: fails("RuntimeError: Unable to load IAM policy file")},
		{name: "policy-present", app: routeApp, cfg: `{` + base + `, "stages": {"prod": {"autogen_policy": false}}}`, stage: "prod",
			files: map[string]string{".chalice/policy-prod.json": `{"Version": "2012-10-17", "Statement": []}`}, chalice: succeeds},
		{name: "policy-invalid", app: routeApp, cfg: `{` + base + `, "autogen_policy": false, "iam_policy_file": "p.json"}`,
			files: map[string]string{".chalice/p.json": `{"Version": "2012-10-17", "Statement": [],}`},
			codes: []string{CodePolicyFileInvalidJSON}, chalice: fails("JSONDecodeError")},
		{name: "policy-unused", app: routeApp, cfg: `{` + base + `, "autogen_policy": false, "manage_iam_role": false, "iam_role_arn": "arn:aws:iam::123456789012:role/r"}`,
			chalice: succeeds},
		{name: "api-policy-missing", app: routeApp, cfg: `{` + base + `, "api_gateway_policy_file": "api.json"}`,
			codes: []string{CodeAPIPolicyFileMissing}, chalice: fails("RuntimeError: Unable to load IAM policy file")},
		{name: "role-null", app: routeApp, cfg: `{` + base + `, "stages": {"dev": {"manage_iam_role": false}}}`,
			codes: []string{CodeIAMRoleARNMissing}, chalice: func(r packageResult) string {
				if p := r.props("APIHandler"); p == nil || p["Role"] != nil {
					return "want APIHandler with Role: null"
				}
				if _, has := r.props("APIHandler")["Role"]; !has {
					return "want an explicit Role: null"
				}
				return ""
			}},
		{name: "log-retention", app: routeApp, cfg: `{` + base + `, "log_retention_in_days": 7}`,
			codes: []string{CodeLogRetentionAPIHandler}, chalice: func(r packageResult) string {
				lg, _ := json.Marshal(r.resource("ApiHandlerLogGroup"))
				if !strings.Contains(string(lg), "${ApiHandler}") || r.resource("ApiHandler") != nil || r.resource("APIHandler") == nil {
					return "want ApiHandlerLogGroup referring to the missing ${ApiHandler}"
				}
				return ""
			}},
		{name: "log-retention-worker-only", app: routeApp, cfg: `{` + base + `, "lambda_functions": {"worker": {"log_retention_in_days": 7}}}`,
			chalice: func(r packageResult) string {
				if r.resource("WorkerLogGroup") == nil || r.resource("ApiHandlerLogGroup") != nil {
					return "want only WorkerLogGroup"
				}
				return ""
			}},
		{name: "top-function-env", app: routeApp, cfg: `{` + base + `, "lambda_functions": {"worker": {"environment_variables": {"DROPPED": "x"}}}}`,
			codes: []string{CodeIgnoredFunctionSetting}, chalice: func(r packageResult) string {
				b, _ := json.Marshal(r.props("Worker"))
				if r.Error != "" || strings.Contains(string(b), "DROPPED") {
					return "want Worker without the DROPPED variable"
				}
				return ""
			}},
		{name: "private-no-policy", app: routeApp, cfg: `{` + base + `, "api_gateway_endpoint_type": "PRIVATE"}`,
			codes: []string{CodePrivateEndpointNoPolicy}, chalice: func(r packageResult) string {
				b, _ := json.Marshal(r.props("RestAPI")["DefinitionBody"])
				if !strings.Contains(string(b), `"aws:SourceVpce":null`) {
					return "want a resource policy with aws:SourceVpce null"
				}
				return ""
			}},
		{name: "private-vpce", app: routeApp, cfg: `{` + base + `, "api_gateway_endpoint_type": "PRIVATE", "api_gateway_endpoint_vpce": "vpce-1"}`,
			chalice: succeeds},
		{name: "vpce-on-edge", app: routeApp, cfg: `{` + base + `, "api_gateway_endpoint_vpce": "vpce-1"}`,
			codes: []string{CodeVPCEWithoutPrivate}, chalice: func(r packageResult) string {
				b, _ := json.Marshal(r.props("RestAPI"))
				if !strings.Contains(string(b), `"vpcEndpointIds":["vpce-1"]`) || !strings.Contains(string(b), `"EndpointConfiguration":"EDGE"`) {
					return "want vpcEndpointIds on an EDGE API"
				}
				return ""
			}},
		{name: "route-name-key", app: routeApp, cfg: `{` + base + `, "lambda_functions": {"index": {"lambda_timeout": 99}}}`,
			codes: []string{CodeRouteFunctionName}, chalice: func(r packageResult) string {
				if r.props("APIHandler")["Timeout"] != json.Number("60") {
					return "want APIHandler to keep the default Timeout 60 (the index entry is ignored)"
				}
				return ""
			}},
	}

	root := t.TempDir()
	type pkgCase struct {
		Root  string         `json:"root"`
		Dir   string         `json:"dir"`
		Stage string         `json:"stage"`
		User  map[string]any `json:"user"`
		Out   string         `json:"out"`
	}
	var cases []pkgCase
	var projects []*project
	for _, s := range scenarios {
		p := newProject(t, s.app, s.cfg, s.files)
		projects = append(projects, p)
		stage := s.stage
		if stage == "" {
			stage = "dev"
		}
		c := pkgCase{Root: filepath.Dir(p.dir), Dir: p.dir, Stage: stage, Out: filepath.Join(root, s.name)}
		if s.user != "" {
			if err := json.Unmarshal([]byte(s.user), &c.User); err != nil {
				t.Fatal(err)
			}
		}
		cases = append(cases, c)
	}
	in, _ := json.Marshal(cases)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "package_oracle.py"))
	cmd.Stdin = bytes.NewReader(in)
	cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-west-2")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running Chalice packaging: %v\n%s", err, stderr.String())
	}
	var results []packageResult
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&results); err != nil || len(results) != len(scenarios) {
		t.Fatalf("decoding packaging results (%d for %d scenarios): %v\n%s", len(results), len(scenarios), err, stderr.String())
	}

	for i, s := range scenarios {
		if msg := s.chalice(results[i]); msg != "" {
			t.Errorf("%s: %s; Chalice gave error %q", s.name, msg, results[i].Error)
		}
		opts := Options{Stages: []string{cases[i].Stage}}
		if s.user != "" {
			opts.User, _ = jsonpos.Parse([]byte(s.user))
		}
		r := projects[i].check(opts)
		var got []string
		all := append(append([]diag.Diagnostic{}, r.Config...), r.Overlay...)
		for _, ds := range r.App {
			all = append(all, ds...)
		}
		for _, d := range all {
			got = append(got, d.Code)
		}
		sort.Strings(got)
		want := append([]string{}, s.codes...)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: rules report %v, want %v", s.name, got, want)
		}
		if s.user != "" && len(s.codes) > 0 && len(r.Overlay) == 0 {
			t.Errorf("%s: the cause is in the overlay, but no overlay diagnostic", s.name)
		}
	}
}
