package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// monorepo writes a repository root that is not itself a project: one Chalice
// project with a config typo, a Python CDK stack with a stage_config mistake
// pointing at it, and a pyproject.toml (contents given).
func monorepo(t *testing.T, pyproject string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"services/api/.chalice/config.json": "{\n  \"version\": \"2.0\",\n  \"app_name\": \"api\",\n  \"lamda_timeout\": 3,\n  \"stages\": {\"dev\": {}}\n}\n",
		"services/api/app.py":               "from chalice import Chalice\napp = Chalice(app_name='api')\n\n@app.route('/')\ndef index():\n    return {}\n",
		"infra/cdk.json":                    `{"app": "python3 app.py"}`,
		"infra/stack.py": "from chalice.cdk import Chalice\n\n\ndef build(self):\n" +
			"    Chalice(self, 'Api', source_dir='../services/api', stage_config={'lambda_memory_size': 'big'})\n",
		"node_modules/dep/.chalice/config.json": `{"bad": `,
	}
	if pyproject != "" {
		files["pyproject.toml"] = pyproject
	}
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

func TestCheckTreeDefaultPathFindsProjectsAndCDK(t *testing.T) {
	root := monorepo(t, "")
	chdir(t, root)
	code, out, errs := runCLI(t, "check")
	want := "services/api/.chalice/config.json:4:3: error: unknown key \"lamda_timeout\"; did you mean \"lambda_timeout\"? (Chalice silently ignores unknown keys) [unknown-key]\n" +
		"infra/stack.py:5:"
	if code != 1 || !strings.Contains(out, want[:strings.Index(want, "\n")+1]) || !strings.Contains(out, "infra/stack.py:5:") || !strings.Contains(out, "lambda_memory_size") {
		t.Fatalf("check: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if strings.Contains(out, "node_modules") {
		t.Errorf("node_modules was searched:\n%s", out)
	}
	// --ignore (repeatable and comma lists) drops codes; --fail-on decides the exit.
	code, out, _ = runCLI(t, "check", "--ignore", "unknown-key", "--ignore=wrong-type,non-literal")
	if code != 0 || strings.Contains(out, "[unknown-key]") || strings.Contains(out, "[wrong-type]") {
		t.Errorf("check --ignore: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "check", "--fail-on", "never"); code != 0 {
		t.Errorf("--fail-on never: exit %d, want 0", code)
	}
	if code, _, _ := runCLI(t, "check", "--fail-on", "warning", "--ignore", "unknown-key,wrong-type"); code != 0 {
		t.Errorf("--fail-on warning with only information left: exit %d, want 0", code)
	}
}

func TestCheckTreePyprojectSettings(t *testing.T) {
	root := monorepo(t, "[tool.chalice-lsp]\nignore = [\"wrong-type\"]\nper-file-ignores = { \"services/**/.chalice/*.json\" = [\"unknown-key\"] }\n")
	chdir(t, root)
	code, out, errs := runCLI(t, "check", "--format", "json")
	var got struct{ Diagnostics []fileDiagnostic }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("json: %v\n%s\n%s", err, out, errs)
	}
	for _, d := range got.Diagnostics {
		if d.Code == "wrong-type" || d.Code == "unknown-key" {
			t.Errorf("pyproject ignores %s, yet it is reported: %+v", d.Code, d)
		}
	}
	if code != 0 {
		t.Errorf("exit %d, want 0 (every error is ignored)\n%s", code, out)
	}
	// A broken pyproject.toml is an I/O error naming the file; findings still print.
	os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte("[tool.chalice-lsp]\nignore = 3\n"), 0o644)
	code, out, errs = runCLI(t, "check")
	if code != 2 || !strings.Contains(errs, "pyproject.toml") || !strings.Contains(out, "[unknown-key]") {
		t.Errorf("broken pyproject: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

func TestCheckSARIFValidatesAgainstTheOfficialSchema(t *testing.T) {
	schemaPath := filepath.Join(testenv.RepoRoot(t), ".tools", "sarif", "sarif-schema-2.1.0.json")
	if _, err := os.Stat(schemaPath); err != nil {
		t.Fatalf("the SARIF 2.1.0 schema is missing (%v): run `make setup`", err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	root := monorepo(t, "")
	chdir(t, root)
	code, out, errs := runCLI(t, "check", "--format", "sarif")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("SARIF output does not validate: %#v\n%s", err, out)
	}
	// The schema must be able to fail: a result without a message is rejected.
	var broken map[string]any
	json.Unmarshal([]byte(out), &broken)
	res := broken["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	delete(res, "message")
	if err := sch.Validate(broken); err == nil {
		t.Fatal("a SARIF result without a message validated: the schema check cannot fail")
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID              string
						HelpURI         string `json:"helpUri"`
						FullDescription struct{ Text string }
						Help            struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	json.Unmarshal([]byte(out), &log)
	run := log.Runs[0]
	for _, r := range run.Results {
		rule := run.Tool.Driver.Rules[r.RuleIndex]
		if rule.ID != r.RuleID || rule.HelpURI == "" || rule.FullDescription.Text == "" || strings.HasPrefix(rule.FullDescription.Text, "chalice-lsp finding") {
			t.Errorf("result %s: rule %+v", r.RuleID, rule)
		}
		if r.RuleID == "unknown-key" {
			loc := r.Locations[0].PhysicalLocation
			if loc.ArtifactLocation.URI != "services/api/.chalice/config.json" || loc.Region.StartLine != 4 || loc.Region.StartColumn != 3 || r.Level != "error" {
				t.Errorf("unknown-key result: %+v", r)
			}
		}
	}
}

func TestGitHubAnnotations(t *testing.T) {
	d := fileDiagnostic{File: "a,b:c/.chalice/config.json", Severity: "warning", Code: "unknown-key", Message: "100% wrong\nsecond line\r"}
	d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character = 3, 2, 3, 17
	got := githubAnnotation(d)
	want := "::warning file=a%2Cb%3Ac/.chalice/config.json,line=4,col=3,endLine=4,endColumn=18,title=chalice-lsp unknown-key::100%25 wrong%0Asecond line%0D"
	if got != want {
		t.Errorf("annotation\n got %s\nwant %s", got, want)
	}
	root := monorepo(t, "")
	chdir(t, root)
	_, out, _ := runCLI(t, "check", "--format", "github")
	if !strings.Contains(out, "::error file=services/api/.chalice/config.json,line=4,col=3,endLine=4,endColumn=18,title=chalice-lsp unknown-key::unknown key") {
		t.Errorf("github format:\n%s", out)
	}
}

// The hook in .pre-commit-hooks.yaml, run by the real pre-commit on a temporary
// repository that uses this repository (at a commit made of the current tree) as
// its hook source. pre-commit builds the checker with Go, offline: modules come
// from the local module cache.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the checker through pre-commit")
	}
	repoRoot := testenv.RepoRoot(t)
	preCommit := filepath.Join(testenv.Venv(t), "bin", "pre-commit")
	if _, err := os.Stat(preCommit); err != nil {
		t.Fatalf("pre-commit is missing (%v): run `make setup`", err)
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	// The hook source: a snapshot of the working tree (uncommitted changes included)
	// as a one-commit repository, so the test checks what is being developed.
	src := t.TempDir()
	tracked := git(repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, f := range strings.Split(tracked, "\x00") {
		if f == "" || strings.HasPrefix(f, "editors/") || strings.HasPrefix(f, "testdata/") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			continue // deleted in the working tree
		}
		p := filepath.Join(src, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git(src, "init", "-q")
	git(src, "add", "-A")
	git(src, "commit", "-q", "-m", "snapshot")
	rev := git(src, "rev-parse", "HEAD")

	user := monorepo(t, "")
	os.WriteFile(filepath.Join(user, ".pre-commit-config.yaml"), []byte("repos:\n- repo: "+src+"\n  rev: "+rev+"\n  hooks:\n  - id: chalice-lsp-check\n"), 0o644)
	git(user, "init", "-q")
	git(user, "add", "-A")

	gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	run := func() (string, error) {
		cmd := exec.Command(preCommit, "run", "--all-files", "--color", "never")
		cmd.Dir = user
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+t.TempDir(), "GOMODCACHE="+strings.TrimSpace(string(gomodcache)),
			"GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run()
	if err == nil || !strings.Contains(out, "chalice lsp check") && !strings.Contains(out, "chalice-lsp check") ||
		!strings.Contains(out, "services/api/.chalice/config.json:4:3: error: unknown key \"lamda_timeout\"") || !strings.Contains(out, "Failed") {
		t.Fatalf("pre-commit on a repository with a config typo: err %v\n%s", err, out)
	}
	// Fixed: the hook passes.
	cfg := filepath.Join(user, "services/api/.chalice/config.json")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, bytes.Replace(data, []byte("lamda_timeout"), []byte("lambda_timeout"), 1), 0o644)
	os.WriteFile(filepath.Join(user, "infra/stack.py"), []byte("from chalice.cdk import Chalice\n\n\ndef build(self):\n    Chalice(self, 'Api', source_dir='../services/api', stage_config={'lambda_memory_size': 256})\n"), 0o644)
	git(user, "add", "-A")
	if out, err := run(); err != nil || !strings.Contains(out, "Passed") {
		t.Fatalf("pre-commit after the fix: err %v\n%s", err, out)
	}
}

// TestCheckPackage: --package runs the real packager (real chalice from .venv)
// and reports the failure where the editor puts it; without it nothing imports
// the app and the project is clean.
func TestCheckPackage(t *testing.T) {
	t.Setenv("CHALICE_LSP_VENV", testenv.Venv(t))
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := filepath.Join(t.TempDir(), "import_error")
	testenv.CopyTree(t, filepath.Join(testenv.RepoRoot(t), "testdata", "packager", "import_error"), dir)

	if code, out, errOut := runCLI(t, "check", dir); code != 0 || strings.Contains(out, "package-") {
		t.Fatalf("without --package: exit %d, want 0 and no packaging finding:\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "check", "--package", dir)
	want := filepath.Join(dir, "chalicelib", "settings.py") + ":3:1: error: chalice package: "
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "APP_TABLE_NAME") || !strings.Contains(out, "[package-app-import]") {
		t.Fatalf("with --package: exit %d, want 1 and %q ... APP_TABLE_NAME [package-app-import]:\n%s%s", code, want, out, errOut)
	}
	// A second run answers from the packager's cache with the same finding.
	if code2, out2, _ := runCLI(t, "check", "--package", dir); code2 != code || out2 != out {
		t.Fatalf("cached run differs: exit %d\n%s", code2, out2)
	}
}
