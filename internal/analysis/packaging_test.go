package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// TestLineSpan: a packaging error with only a line lands on the first key of that
// line in valid config.json, on the line without indentation elsewhere (and in
// config.json with a syntax error, where the key may be unrelated).
func TestLineSpan(t *testing.T) {
	cfg := "{\n  \"stages\": {\n    \"dev\": {\"subnet_ids\": [\"s\"], \"x\": 1}\n  }\n}\n"
	for _, tc := range []struct {
		file, src string
		line      int
		want      string
	}{
		{"/p/.chalice/config.json", cfg, 3, `"dev"`},
		{"/p/.chalice/config.json", cfg, 0, "{"},
		{"/p/.chalice/config.json", "{\n  \"a\": 1\n  \"b\": 2\n}\n", 3, `"b": 2`},
		{"/p/app.py", "import os\n    import missing\r\nx = 1\n", 2, "import missing"},
		{"/p/app.py", "x", 7, ""},
	} {
		start, end := LineSpan([]byte(tc.src), tc.file, tc.line)
		if got := tc.src[start:end]; got != tc.want {
			t.Errorf("%s line %d: span %q, want %q", tc.file, tc.line, got, tc.want)
		}
	}
}

// TestDiagnoseIncludesPackagingFailures: a packaging failure recorded in the
// snapshot is part of Diagnose for the file it points into (the key packager.Locate
// finds), and of no other file.
func TestDiagnoseIncludesPackagingFailures(t *testing.T) {
	root := t.TempDir()
	cfg := "{\n  \"version\": \"2.0\",\n  \"app_name\": \"v\",\n  \"stages\": {\"dev\": {\"subnet_ids\": [\"s-1\"]}}\n}\n"
	write(t, root, map[string]string{
		"p/.chalice/config.json": cfg,
		"p/app.py":               "from chalice import Chalice\napp = Chalice(app_name='v')\n",
	})
	dir := filepath.Join(root, "p")
	proj := &workspace.Project{Dir: dir, ConfigPath: filepath.Join(dir, ".chalice", "config.json"), AppPath: filepath.Join(dir, "app.py")}
	s0 := New(os.ReadFile, []*workspace.Project{proj}, nil, settings.Defaults())
	perr := &packager.Error{Class: packager.ClassInvalidConfig, Cause: packager.CauseVPCPair, Function: "api_handler",
		File: proj.ConfigPath, Message: "function \"api_handler\" has only one of subnet_ids and security_group_ids"}
	s1, _ := s0.Modify(Changes{Packaging: []*Packaging{{Key: "k", Dir: dir, Stage: "dev", Err: perr}}})

	var got []diag.Diagnostic
	for _, d := range Diagnose(s1, proj.ConfigPath) {
		if d.Code == "package-invalid-config" {
			got = append(got, d)
		}
	}
	if len(got) != 1 || cfg[got[0].Start:got[0].End] != `"subnet_ids"` {
		t.Fatalf("config.json packaging findings %+v, want one on \"subnet_ids\"", got)
	}
	for _, d := range Diagnose(s0, proj.ConfigPath) {
		if d.Code == "package-invalid-config" {
			t.Fatalf("the snapshot before the run has a packaging finding: %+v", d)
		}
	}
	for _, d := range Diagnose(s1, proj.AppPath) {
		if d.Code == "package-invalid-config" {
			t.Fatalf("app.py has the config.json failure: %+v", d)
		}
	}
	if all := DiagnoseAll(s1); len(all[proj.ConfigPath]) == 0 {
		t.Fatal("DiagnoseAll lacks config.json's packaging failure")
	}
}

// TestPackagingRecordsAndRounds: a failure keeps the last good template (stale,
// with its time), and a project shows the failures of its latest round only, so
// a later success (say, for an edited stage_config, another Key) clears them.
func TestPackagingRecordsAndRounds(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"p/.chalice/config.json": "{\"version\": \"2.0\", \"app_name\": \"v\"}\n",
		"p/app.py":               "from chalice import Chalice\napp = Chalice(app_name='v')\n",
	})
	dir := filepath.Join(root, "p")
	proj := &workspace.Project{Dir: dir, ConfigPath: filepath.Join(dir, ".chalice", "config.json"), AppPath: filepath.Join(dir, "app.py")}
	s0 := New(os.ReadFile, []*workspace.Project{proj}, nil, settings.Defaults())
	good := &packager.Result{}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s1, _ := s0.Modify(Changes{Packaging: []*Packaging{{Key: "a", Dir: dir, Stage: "dev", Result: good, At: at}}})
	s2, _ := s1.Modify(Changes{Packaging: []*Packaging{{Key: "a", Dir: dir, Stage: "dev", Err: errors.New("boom"), At: at.Add(time.Hour)}}})
	if r := s2.Packaging("a"); r.Result != good || !r.Stale || !r.At.Equal(at) || r.Err == nil {
		t.Fatalf("after a failure: %+v, want the previous result, stale, at %v, with the error", r, at)
	}
	if got := PackagingFailures(s2)[proj.ConfigPath]; len(got) != 1 {
		t.Fatalf("failures after the failed run: %+v, want one in config.json", got)
	}
	s3, _ := s2.Modify(Changes{Packaging: []*Packaging{{Key: "b", Dir: dir, Stage: "dev", Result: good, At: at.Add(2 * time.Hour)}}})
	if got := PackagingFailures(s3); len(got) != 0 {
		t.Fatalf("failures after a later success of the project: %+v, want none", got)
	}
	if s3.Packaging("a").Err == nil {
		t.Fatal("the record of key a lost its error")
	}
}
