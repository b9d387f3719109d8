package pyproject

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFindAndApply(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte(`
[project]
name = "x"

[tool.black]
line-length = 100

[tool.chalice-lsp]
ignore = ["unknown-function"]
stage = "prod"
per-file-ignores = { "legacy/**" = ["unknown-key"], "app.py" = ["s3-event-unsupported"], "infra/*.py" = ["unknown-logical-id"] }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "svc", "api")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	// A pyproject.toml without the table does not hide the one above it.
	if err := os.WriteFile(filepath.Join(root, "svc", "pyproject.toml"), []byte("[project]\nname = \"svc\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Find(sub)
	if err != nil || s == nil {
		t.Fatalf("Find = %v, %v", s, err)
	}
	if s.Stage != "prod" || s.File != filepath.Join(root, "pyproject.toml") {
		t.Errorf("settings = %+v", s)
	}
	cases := []struct {
		file, code string
		want       bool
	}{
		{"svc/api/.chalice/config.json", "unknown-function", true},
		{"svc/api/.chalice/config.json", "unknown-key", false},
		{"legacy/a/b/.chalice/config.json", "unknown-key", true},
		{"legacy/config.json", "unknown-key", true},
		{"svc/api/app.py", "s3-event-unsupported", true},
		{"svc/api/app.py", "unknown-key", false},
		{"infra/stack.py", "unknown-logical-id", true},
		{"infra/sub/stack.py", "unknown-logical-id", false},
	}
	for _, c := range cases {
		if got := s.Ignores(filepath.Join(root, c.file), c.code); got != c.want {
			t.Errorf("Ignores(%s, %s) = %v, want %v", c.file, c.code, got, c.want)
		}
	}
	got := Apply(s, filepath.Join(root, "legacy", "x.json"), []string{"unknown-key", "wrong-type", "unknown-function"}, func(c string) string { return c })
	if !slices.Equal(got, []string{"wrong-type"}) {
		t.Errorf("Apply = %v", got)
	}
	if got := Apply[string](nil, "/x", []string{"a"}, func(c string) string { return c }); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Apply(nil) = %v", got)
	}
}

func TestFindNone(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte("[tool.ruff]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	// Directories above the temporary one are not ours; only check ours added nothing.
	if s != nil && strings.HasPrefix(s.File, root) {
		t.Errorf("Find = %+v, want none from %s", s, root)
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":   "[tool.chalice-lsp\n",
		"shape":    "[tool.chalice-lsp]\nignore = \"unknown-key\"\n",
		"unknown":  "[tool.chalice-lsp]\nignores = [\"x\"]\n",
		"bad-glob": "[tool.chalice-lsp]\nper-file-ignores = { \"[\" = [\"x\"] }\n",
	} {
		f := filepath.Join(t.TempDir(), "pyproject.toml")
		if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(f)
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: Load error = %v, want one naming %s", name, err, f)
		}
	}
}
