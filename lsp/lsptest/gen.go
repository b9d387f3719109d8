package lsptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// GenerateCDKApp writes a workspace with a Chalice project of functions
// @app.lambda_function handlers (plus one route, so the template has
// functions+3 resources: the functions, APIHandler, its invoke permission, RestAPI
// and DefaultRole) and a Python CDK file that uses it. It returns the workspace
// folder and the CDK file's path; the CDK file contains `get_resource(”)`.
func GenerateCDKApp(tb testing.TB, functions int) (root, cdkFile string) {
	tb.Helper()
	root = tb.TempDir()
	rt := filepath.Join(root, "runtime")
	var app strings.Builder
	app.WriteString("from chalice import Chalice\n\napp = Chalice(app_name='generated')\n\n\n@app.route('/')\ndef index():\n    return {}\n")
	for i := 0; i < functions; i++ {
		fmt.Fprintf(&app, "\n\n@app.lambda_function()\ndef handler_number_%d(event, context):\n    return {}\n", i)
	}
	write(tb, filepath.Join(rt, "app.py"), app.String())
	write(tb, filepath.Join(rt, "requirements.txt"), "")
	write(tb, filepath.Join(rt, ".chalice", "config.json"), `{"version": "2.0", "app_name": "generated", "stages": {"dev": {}}}`+"\n")
	write(tb, filepath.Join(root, "infra", "cdk.json"), `{"app": "python3 app.py"}`+"\n")
	cdkFile = filepath.Join(root, "infra", "stack.py")
	write(tb, cdkFile, `import os

import aws_cdk as cdk
from chalice.cdk import Chalice


class Stack(cdk.Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        self.chalice = Chalice(self, 'App', source_dir=os.path.join(os.path.dirname(__file__), os.pardir, 'runtime'))
        self.chalice.get_resource('')
`)
	return root, cdkFile
}

func write(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// RSS returns the server process's resident set size in bytes (Linux /proc).
func (s *Session) RSS() int64 { return s.procStatus("VmRSS:") }

// PeakRSS returns the server process's peak resident set size so far (VmHWM).
func (s *Session) PeakRSS() int64 { return s.procStatus("VmHWM:") }

func (s *Session) procStatus(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Cmd.Process.Pid))
	if err != nil {
		s.T.Fatalf("reading /proc status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, field)), "%d", &kb)
			return kb * 1024
		}
	}
	s.T.Fatalf("no %s in /proc status", field)
	return 0
}

// Latencies fetches and resets the server-side latencies (microseconds) by kind
// ("completion", "hover", "diagnostics").
func (s *Session) Latencies() map[string][]int64 {
	var out map[string][]int64
	if _, err := s.Conn.Call(s.ctx(), "chalice-lsp/latencies", map[string]any{}, &out); err != nil {
		s.T.Fatalf("latencies: %v", err)
	}
	return out
}
