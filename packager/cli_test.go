package packager_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// runCLI runs `chalice-lsp package` with the test venv on PATH (as a user's
// activated venv would be) and a private cache directory.
func runCLI(t *testing.T, cache string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := packager.RunPackageCommand(context.Background(), append([]string{"--cache-dir", cache, "--python", testenv.Python(t)}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCLI(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	dir := app(t, "basic")

	// JSON output, flags after the project directory, stage config from a file.
	scFile := filepath.Join(t.TempDir(), "stage.json")
	writeFile(t, scFile, `{"lambda_functions": {"worker": {"lambda_memory_size": 640}}}`)
	code, out, errOut := runCLI(t, cache, "--format", "json", dir, "--stage", "cli", "--stage-config", "@"+scFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Stage        string `json:"stage"`
		TemplatePath string `json:"templatePath"`
		Resources    []struct {
			LogicalID string `json:"logicalId"`
			Type      string `json:"type"`
		} `json:"resources"`
		Cached     *bool  `json:"cached"`
		DurationMs *int64 `json:"durationMs"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Stage != "cli" || got.Cached == nil || *got.Cached || got.DurationMs == nil || len(got.Resources) != 5 {
		t.Errorf("json output: %s", out)
	}
	tpl, err := os.ReadFile(got.TemplatePath)
	if err != nil || !strings.Contains(string(tpl), `"MemorySize": 640`) {
		t.Errorf("template %s lacks the stage config (%v)", got.TemplatePath, err)
	}
	ids := map[string]string{}
	for _, r := range got.Resources {
		ids[r.LogicalID] = r.Type
	}
	if ids["APIHandler"] != "AWS::Serverless::Function" || ids["RestAPI"] != "AWS::Serverless::Api" {
		t.Errorf("resources: %v", ids)
	}

	// Same inputs again: cached. Text output lists the resources.
	code, out, errOut = runCLI(t, cache, "--stage", "cli", "--stage-config", `{"lambda_functions": {"worker": {"lambda_memory_size": 640}}}`, dir)
	if code != 0 || !strings.Contains(out, "from cache") || !strings.Contains(out, "APIHandler") || !strings.Contains(out, "AWS::Serverless::Function") {
		t.Errorf("text output (exit %d): %s%s", code, out, errOut)
	}

	// --stage-config-mode user-params applies it as chalice.cdk.Chalice does, which
	// ignores lambda_functions (aws/chalice#1998): Worker keeps the default memory.
	code, out, errOut = runCLI(t, cache, "--format", "json", "--print-template=false", "--stage", "cli", "--stage-config-mode", "user-params",
		"--stage-config", `{"lambda_functions": {"worker": {"lambda_memory_size": 640}}}`, dir)
	if code != 0 || strings.Contains(out, `"cached": true`) {
		t.Errorf("user-params mode (exit %d) must package anew, not reuse the merge mode's result: %s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, cache, "--print-template", "--stage", "cli", "--stage-config-mode", "user-params",
		"--stage-config", `{"lambda_functions": {"worker": {"lambda_memory_size": 640}}}`, dir)
	if code != 0 || strings.Contains(out, "640") || !strings.Contains(out, `"MemorySize": 128`) {
		t.Errorf("user-params mode (exit %d) let lambda_functions through:\n%s", code, out)
	}

	// --print-template prints exactly the template.
	outDir := filepath.Join(t.TempDir(), "out")
	code, out, _ = runCLI(t, cache, "--print-template", "--stage", "cli", "--stage-config", "@"+scFile, "--out", outDir, dir)
	if code != 0 || out != string(tpl) {
		t.Errorf("--print-template (exit %d) printed something else than the template", code)
	}
	if b, err := os.ReadFile(filepath.Join(outDir, "sam.json")); err != nil || !bytes.Equal(b, tpl) {
		t.Errorf("--out: %v", err)
	}

	// Packaging failure: exit 1, a message that says where.
	code, _, errOut = runCLI(t, cache, app(t, "syntax_error"))
	if code != 1 || !strings.Contains(errOut, filepath.Join(app(t, "syntax_error"), "app.py")+":7") || !strings.Contains(errOut, "SyntaxError") {
		t.Errorf("failure (exit %d): %s", code, errOut)
	}

	// A syntax error in a stage config file says where.
	badFile := filepath.Join(t.TempDir(), "bad.json")
	writeFile(t, badFile, "{\n  \"lambda_timeout\": 5,\n}\n")
	if code, _, errOut := runCLI(t, cache, "--stage-config", "@"+badFile, dir); code != 2 || !strings.Contains(errOut, badFile+":3: the stage config must be a JSON object") {
		t.Errorf("bad stage config file (exit %d): %s", code, errOut)
	}

	// Usage errors: exit 2.
	for _, args := range [][]string{
		{},
		{dir, dir},
		{"--format", "yaml", dir},
		{"--stage-config", "[1]", dir},
		{"--stage-config", "{", dir},
		{"--stage-config", "@/nonexistent/file.json", dir},
		{"--print-template", "--format", "json", dir},
		{"--stage-config-mode", "overlay", dir},
		{"--bogus", dir},
	} {
		code, _, errOut := runCLI(t, cache, args...)
		if code != 2 || !strings.Contains(errOut, "usage: chalice-lsp package") {
			t.Errorf("%q: exit %d, stderr %s", args, code, errOut)
		}
	}
}
