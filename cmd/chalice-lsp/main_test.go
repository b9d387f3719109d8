package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeProject(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".chalice"), 0o755)
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.route('/')\ndef index():\n    return {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".chalice", "config.json"), []byte(config), 0o644)
	return dir
}

func TestCheckText(t *testing.T) {
	// "é" before the typo: the column counts UTF-16 units (20), not bytes (21).
	dir := writeProject(t, "{\n  \"app_name\": \"é\", \"lamda_timeout\": 30\n}\n")
	code, out, _ := runCLI(t, "check", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1; output:\n%s", code, out)
	}
	want := ":2:20: error: unknown key \"lamda_timeout\""
	if !strings.Contains(out, want) || !strings.Contains(out, "[unknown-key]") || !strings.Contains(out, "lambda_timeout") {
		t.Errorf("output %q lacks %q", out, want)
	}
}

func TestCheckJSONAndClean(t *testing.T) {
	dir := writeProject(t, `{"version": "2.0", "app_name": "x", "stages": {"dev": {"api_gateway_stage": "api"}}}`)
	code, out, errs := runCLI(t, "check", "--format", "json", filepath.Join(dir, ".chalice", "config.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	var got struct {
		Diagnostics []fileDiagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Diagnostics == nil || len(got.Diagnostics) != 0 {
		t.Errorf("json output %q (%v)", out, err)
	}

	bad := writeProject(t, `{"app_name": "x", "lambda_memory_size": "big"}`)
	code, out, _ = runCLI(t, "check", "--format=json", bad)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Diagnostics) != 1 {
		t.Fatalf("json output %q (%v)", out, err)
	}
	d := got.Diagnostics[0]
	if d.Severity != "error" || d.Range.Start.Line != 0 || d.Range.Start.Character != 40 || d.Range.End.Character != 45 || d.Code == "" {
		t.Errorf("diagnostic %+v", d)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	if code, _, _ := runCLI(t, "check", "--fail-on", "sometimes", "."); code != 2 {
		t.Errorf("no path: exit %d", code)
	}
	if code, _, e := runCLI(t, "check", "/nonexistent/x"); code != 2 || !strings.Contains(e, "no such file") {
		t.Errorf("missing path: exit %d %q", code, e)
	}
	if code, _, e := runCLI(t, "check", t.TempDir()); code != 2 || !strings.Contains(e, "not a Chalice project") {
		t.Errorf("not a project: exit %d %q", code, e)
	}
	if code, _, _ := runCLI(t, "check", "--format", "xml", "."); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
	if code, _, _ := runCLI(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
}

func TestSchemaAndVersion(t *testing.T) {
	for _, args := range [][]string{{"schema"}, {"schema", "--stage-config"}} {
		code, out, _ := runCLI(t, args...)
		var v map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["$schema"] == nil {
			t.Errorf("%v: exit %d, not a JSON Schema: %.80s", args, code, out)
		}
	}
	if code, out, _ := runCLI(t, "version"); code != 0 || !strings.HasPrefix(out, "chalice-lsp ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// Flags may follow the paths, as in most CLIs: `check app --stage prod` used to take
// "--stage" for a path and stop with "no such file or directory".
func TestCheckFlagsAfterPaths(t *testing.T) {
	dir := writeProject(t, `{"app_name": "x", "lambda_memory_size": "big"}`)
	code, out, errs := runCLI(t, "check", dir, "--format", "json", "--stage", "dev")
	if code != 1 || errs != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and no usage error", code, errs)
	}
	var got struct{ Diagnostics []fileDiagnostic }
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Diagnostics) != 1 {
		t.Fatalf("--format after the path was ignored: %q (%v)", out, err)
	}
	// "--" ends the flags: a path that starts with a dash is still a path.
	if code, _, errs := runCLI(t, "check", "--", "-nonexistent"); code != 2 || !strings.Contains(errs, "-nonexistent: no such file") {
		t.Errorf("after --: exit %d %q", code, errs)
	}
}

func TestCheckHelpExitsZero(t *testing.T) {
	code, out, errs := runCLI(t, "check", "-h")
	if code != 0 || !strings.Contains(out, "usage: chalice-lsp check") || errs != "" {
		t.Errorf("check -h: exit %d, stdout %q, stderr %q; want the usage on stdout and exit 0", code, out, errs)
	}
	code, out, errs = runCLI(t, "check", "--bogus")
	if code != 2 || out != "" || !strings.Contains(errs, "usage: chalice-lsp check") {
		t.Errorf("check --bogus: exit %d, stdout %q, stderr %q; want the usage on stderr and exit 2", code, out, errs)
	}
}

// A config.json outside .chalice/ has no project: its policy files must not be looked
// for in <dir>/.chalice/ (a false "does not exist" error used to say so even with the
// policy file right next to the config).
func TestCheckLooseConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.json")
	os.WriteFile(cfg, []byte(`{"version": "2.0", "app_name": "x", "stages": {"dev": {"autogen_policy": false, "iam_policy_file": "pol.json"}}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "pol.json"), []byte(`{"Version": "2012-10-17", "Statement": []}`), 0o644)
	if code, out, errs := runCLI(t, "check", cfg); code != 0 || out != "" {
		t.Errorf("loose config: exit %d, %q %q", code, out, errs)
	}
}

// The missing-policy message quotes Chalice's error, which names the absolute path.
func TestCheckPolicyFileMessageQuotesChalice(t *testing.T) {
	dir := writeProject(t, `{"version": "2.0", "app_name": "x", "stages": {"dev": {"autogen_policy": false, "iam_policy_file": "nope.json"}}}`)
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "check", rel)
	want := `"Unable to load IAM policy file ` + filepath.Join(dir, ".chalice", "nope.json")
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, output %q lacks %s", code, out, want)
	}
}

// --stage checks one stage: findings inside other stages cannot affect its deployment
// and are left out, except problems that stop Chalice reading the file at all.
func TestCheckStageLimitsFindings(t *testing.T) {
	config := `{
  "lamda_timeout": 1,
  "stages": {
    "dev": {"lambda_timeout": 5000, "manage_iam_role": false},
    "prod": {"lambda_memory_size": 1}
  }
}`
	dir := writeProject(t, config)
	codes := func(args ...string) (int, string, string) {
		t.Helper()
		code, out, errs := runCLI(t, append([]string{"check", "--format", "json"}, args...)...)
		var got struct{ Diagnostics []fileDiagnostic }
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		var lines []string
		for _, d := range got.Diagnostics {
			lines = append(lines, fmt.Sprintf("%d:%s", d.Range.Start.Line+1, d.Code))
		}
		return code, strings.Join(lines, " "), errs
	}
	if _, got, _ := codes(dir); got != "2:unknown-key 4:out-of-range 4:iam-role-arn-missing 5:out-of-range" {
		t.Errorf("all stages: %s", got)
	}
	if _, got, errs := codes("--stage", "prod", dir); got != "2:unknown-key 5:out-of-range" || errs != "" {
		t.Errorf("--stage prod: %s (stderr %q)", got, errs)
	}
	if _, got, _ := codes("--stage", "dev", dir); got != "2:unknown-key 4:out-of-range 4:iam-role-arn-missing" {
		t.Errorf("--stage dev: %s", got)
	}
	// A syntax error in another stage still stops Chalice from loading the file.
	broken := writeProject(t, strings.Replace(config, `"manage_iam_role": false}`, `"manage_iam_role": false,}`, 1))
	if code, got, _ := codes("--stage", "prod", broken); code != 1 || !strings.Contains(got, "4:json-syntax") {
		t.Errorf("--stage prod with a syntax error in dev: exit %d, %s", code, got)
	}
	// A stage that is not in the file is checked (Chalice deploys it with the
	// top-level settings), with a note in case it is a typo.
	if code, got, errs := codes("--stage", "prdo", dir); code != 1 || got != "2:unknown-key" || !strings.Contains(errs, `no stage "prdo"`) || !strings.Contains(errs, "dev, prod") {
		t.Errorf("--stage prdo: exit %d, %s, stderr %q", code, got, errs)
	}
}

// config.json comes first in the output, then app.py, however the path is written.
func TestCheckOrdersConfigFirst(t *testing.T) {
	dir := writeProject(t, `{"version": "2.0", "app_name": "x", "lambda_functions": {"fo": {}}}`)
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.lambda_function()\ndef foo_bar(e, c):\n    pass\n\n@app.lambda_function()\ndef foo__bar(e, c):\n    pass\n"), 0o644)
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	check := func(arg string) {
		t.Helper()
		_, out, _ := runCLI(t, "check", arg)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.Contains(lines[0], "config.json") || !strings.Contains(lines[1], "app.py") {
			t.Errorf("check %s:\n%s", arg, out)
		}
	}
	check(dir)
	check(rel)
	t.Chdir(filepath.Dir(dir))
	check(filepath.Base(dir)) // "001": sorted by name, "/abs/app.py" came before "001/.chalice"
}

// An unreadable path gives exit 2 but does not hide the findings for the other paths.
func TestCheckReportsOtherPathsOnIOError(t *testing.T) {
	bad := writeProject(t, `{"app_name": "x", "lamda_timeout": 3}`)
	code, out, errs := runCLI(t, "check", "/nonexistent/x", bad)
	if code != 2 || !strings.Contains(errs, "/nonexistent/x: no such file") || !strings.Contains(out, "[unknown-key]") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, the missing path on stderr and the other project's finding", code, out, errs)
	}
	code, out, _ = runCLI(t, "check", "--format", "json", bad, "/nonexistent/x")
	var got struct{ Diagnostics []fileDiagnostic }
	if code != 2 || json.Unmarshal([]byte(out), &got) != nil || len(got.Diagnostics) != 1 {
		t.Errorf("json: exit %d, %q", code, out)
	}
}

// TestServerDoesNotLinkCDK keeps the CDK (a ~76 MB jsii dependency with a Node.js
// runtime) out of the server binary: only construct/ and the CDK example apps may
// import it.
func TestServerDoesNotLinkCDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/aws/aws-cdk-go/", "github.com/aws/jsii-runtime-go", "github.com/aws/constructs-go/", "github.com/chalice-lsp/chalice-lsp/construct"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("chalice-lsp links %s", dep)
			}
		}
	}
}

// TestCheckS3EventOnlyAnErrorWhenPackaged: `chalice deploy` handles S3 events,
// so the finding is an error only when a CDK app in the tree packages the
// project (or --packaged says so).
func TestCheckS3EventOnlyAnErrorWhenPackaged(t *testing.T) {
	repo := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(repo, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	write("runtime/.chalice/config.json", `{"version": "2.0", "app_name": "uploads"}`)
	write("runtime/app.py", "from chalice import Chalice\napp = Chalice(app_name='uploads')\n\n@app.on_s3_event(bucket='in')\ndef on_upload(event):\n    pass\n")
	project := filepath.Join(repo, "runtime")
	line := "runtime/app.py:4:1: "

	check := func(args ...string) (int, string) {
		t.Helper()
		wd, _ := os.Getwd()
		os.Chdir(repo)
		defer os.Chdir(wd)
		code, out, errs := runCLI(t, append([]string{"check"}, args...)...)
		if errs != "" {
			t.Logf("stderr: %s", errs)
		}
		return code, out
	}
	code, out := check(project)
	if code != 0 || !strings.Contains(out, line+"information: `chalice deploy` supports @app.on_s3_event") {
		t.Fatalf("deployed with chalice deploy: exit %d, output:\n%s", code, out)
	}
	code, out = check("--packaged", project)
	if code != 1 || !strings.Contains(out, line+"error: chalice package cannot package @app.on_s3_event") {
		t.Fatalf("--packaged: exit %d, output:\n%s", code, out)
	}
	// A CDK app elsewhere in the repository points at the project.
	write("infra/cdk.json", `{"app": "python3 app.py"}`)
	write("infra/stacks/api.py", "import os\nfrom aws_cdk import Stack\nfrom chalice.cdk import Chalice\n\nRUNTIME = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, 'runtime')\n\n"+
		"class Api(Stack):\n    def __init__(self, scope, id, **kw):\n        super().__init__(scope, id, **kw)\n        self.chalice = Chalice(self, 'Api', source_dir=RUNTIME)\n")
	code, out = check(project)
	if code != 1 || !strings.Contains(out, line+"error: chalice package cannot package") {
		t.Fatalf("with a CDK app in the tree: exit %d, output:\n%s", code, out)
	}
	// A construct for another directory does not count.
	write("infra/stacks/api.py", "from chalice.cdk import Chalice\n\ndef make(scope):\n    return Chalice(scope, 'Api', source_dir='../elsewhere')\n")
	if code, out = check(project); code != 0 {
		t.Fatalf("construct for another project: exit %d, output:\n%s", code, out)
	}
}

// TestPackageHonoursChaliceLSPVenv: `chalice-lsp package` finds the interpreter
// with the same order as the server, $CHALICE_LSP_VENV first.
func TestPackageHonoursChaliceLSPVenv(t *testing.T) {
	dir := writeProject(t, `{"version": "2.0", "app_name": "x"}`)
	t.Setenv("CHALICE_LSP_VENV", filepath.Join(t.TempDir(), "no-such-venv"))
	code, out, errs := runCLI(t, "package", "--cache-dir", t.TempDir(), dir)
	if code != 1 || !strings.Contains(out+errs, "$CHALICE_LSP_VENV") || !strings.Contains(out+errs, "no-such-venv") {
		t.Fatalf("exit %d; want a failure naming CHALICE_LSP_VENV:\n%s%s", code, out, errs)
	}
}
