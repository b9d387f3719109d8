package skipdir

import (
	"os"
	"path/filepath"
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
