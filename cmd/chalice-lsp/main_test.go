package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
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
	if code, _, _ := runCLI(t, "check"); code != 2 {
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
