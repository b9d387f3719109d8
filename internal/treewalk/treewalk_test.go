package treewalk

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSkip(t *testing.T) {
	root := t.TempDir()
	mk := func(rel string) string {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := mk("py311") // a virtualenv named like nothing on the list
	if err := os.WriteFile(filepath.Join(env, "pyvenv.cfg"), []byte("home = /usr/bin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rel  string
		want bool
	}{
		{".git", true}, {".venv", true}, {".aws-sam", true}, {"node_modules", true},
		{"cdk.out", true}, {"chalice.out", true}, {"build", true}, {"vendor", true},
		{"py311", true},
		{".chalice", false}, {"chalicelib", false}, {"infra", false}, {"..x", true},
	} {
		if got := Skip(mk(c.rel), c.rel); got != c.want {
			t.Errorf("Skip(%q) = %v, want %v", c.rel, got, c.want)
		}
	}
	// pyvenv.cfg that is a directory does not make a virtualenv.
	mk("app/pyvenv.cfg")
	if Skip(filepath.Join(root, "app"), "app") {
		t.Error("a directory named pyvenv.cfg made app a virtualenv")
	}
}

func TestWalk(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{"a/x.py", "a/.venv/lib/y.py", "node_modules/z/z.py", ".chalice/config.json", "env/pyvenv.cfg", "env/lib/e.py", "b.py"} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	err := Walk(root, func(path string, d fs.DirEntry) error {
		rel, _ := filepath.Rel(root, path)
		seen = append(seen, filepath.ToSlash(rel))
		return nil
	})
	if want := ". .chalice .chalice/config.json a a/x.py b.py"; err != nil || strings.Join(seen, " ") != want {
		t.Errorf("Walk saw %q (%v), want %q", strings.Join(seen, " "), err, want)
	}
	// visit's SkipAll ends the walk without an error; a root that cannot be read is one.
	n := 0
	if err := Walk(root, func(string, fs.DirEntry) error { n++; return filepath.SkipAll }); err != nil || n != 1 {
		t.Errorf("SkipAll: %d visits, %v", n, err)
	}
	if err := Walk(filepath.Join(root, "missing"), func(string, fs.DirEntry) error { return nil }); err == nil {
		t.Error("a missing root gave no error")
	}
}
