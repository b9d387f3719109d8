package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fatalTB records the first Fatal and stops the calling goroutine like testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// call runs fn with a recording TB and returns its result and the Fatal message.
func call(fn func(testing.TB) string) (got, fatal string) {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = fn(tb)
	}()
	<-done
	return got, tb.msg
}

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("RepoRoot = %s, which has no go.mod", root)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testenv", "testenv.go")); err != nil {
		t.Fatalf("RepoRoot = %s is not this repository", root)
	}
}

func TestMissingVenvFailsWithSetupHint(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("CHALICE_LSP_VENV", empty)
	for name, fn := range map[string]func(testing.TB) string{"Venv": Venv, "Python": Python, "Chalice": Chalice} {
		got, fatal := call(fn)
		if got != "" || !strings.Contains(fatal, "make setup") || !strings.Contains(fatal, empty) {
			t.Errorf("%s with an empty virtualenv: returned %q, fatal %q; want a failure naming %s and `make setup`", name, got, fatal, empty)
		}
	}
}

func TestVenvFromEnvironment(t *testing.T) {
	venv := t.TempDir()
	if err := os.MkdirAll(filepath.Join(venv, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(venv, "bin", "python"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHALICE_LSP_VENV", venv)
	if got, fatal := call(Python); got != filepath.Join(venv, "bin", "python") || fatal != "" {
		t.Errorf("Python = %q (fatal %q)", got, fatal)
	}
	// python without chalice: Chalice must fail rather than hand out a missing path.
	if got, fatal := call(Chalice); got != "" || !strings.Contains(fatal, "make setup") {
		t.Errorf("Chalice without bin/chalice = %q (fatal %q)", got, fatal)
	}
}

func TestCopyTree(t *testing.T) {
	src := t.TempDir()
	for _, f := range []string{"app.py", ".chalice/config.json", "chalicelib/x.py", ".chalice/deployments/old.zip", "__pycache__/app.pyc"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(src, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy")
	CopyTree(t, src, dst)
	for _, f := range []string{"app.py", ".chalice/config.json", "chalicelib/x.py"} {
		if b, err := os.ReadFile(filepath.Join(dst, f)); err != nil || string(b) != f {
			t.Errorf("%s not copied: %q %v", f, b, err)
		}
	}
	for _, f := range []string{".chalice/deployments", "__pycache__"} {
		if _, err := os.Stat(filepath.Join(dst, f)); err == nil {
			t.Errorf("%s copied; generated folders must be left out", f)
		}
	}
}

func TestChaliceProjects(t *testing.T) {
	root := t.TempDir()
	files := []string{
		// Projects, one nested in the other (a CDK app's runtime/ folder).
		"a/app.py", "a/.chalice/config.json",
		"a/runtime/app.py", "a/runtime/.chalice/config.json",
		// Not projects: app.py without a config, a config without app.py.
		"b/app.py",
		"c/.chalice/config.json",
		// Copies inside generated and tool folders.
		"d/cdk.out/asset.1/app.py", "d/cdk.out/asset.1/.chalice/config.json",
		"e/node_modules/x/app.py", "e/node_modules/x/.chalice/config.json",
		".venv/lib/app.py", ".venv/lib/.chalice/config.json",
	}
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// app.py as a directory is not a project either.
	if err := os.MkdirAll(filepath.Join(root, "f", "app.py"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "f", ".chalice", "config.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(ChaliceProjects(t, root), " ")
	if want := "a a/runtime"; got != want {
		t.Errorf("ChaliceProjects = %q, want %q", got, want)
	}
	if _, fatal := call(func(tb testing.TB) string {
		return strings.Join(ChaliceProjects(tb, filepath.Join(root, "missing")), " ")
	}); !strings.Contains(fatal, "missing") {
		t.Errorf("a missing root must fail the test naming it; fatal = %q", fatal)
	}
}

func TestBigAppHasTheLinesAsked(t *testing.T) {
	for _, n := range []int{50, 500} {
		src := string(BigApp(n))
		lines := strings.Count(src, "\n")
		if lines < n || lines > n+5 {
			t.Errorf("BigApp(%d) has %d lines", n, lines)
		}
		if got := strings.Count(src, "\n@app."); got < n/6 {
			t.Errorf("BigApp(%d) has %d handlers", n, got)
		}
	}
}

func TestWriteTree(t *testing.T) {
	root := WriteTree(t, t.TempDir(), map[string]string{"a/b/c.txt": "x", "d.txt": "y"})
	for name, want := range map[string]string{"a/b/c.txt": "x", "d.txt": "y"} {
		if b, err := os.ReadFile(filepath.Join(root, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
}
