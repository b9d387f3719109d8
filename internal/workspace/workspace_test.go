package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDiscoverAndChanges(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "infra", "cdk.json"), "{}")
	write(t, filepath.Join(root, "runtime", "app.py"), "")
	write(t, filepath.Join(root, "runtime", ".chalice", "config.json"), "{}")
	// Copies inside output folders must be ignored.
	write(t, filepath.Join(root, "infra", "cdk.out", "x", "app.py"), "")
	write(t, filepath.Join(root, "infra", "cdk.out", "x", ".chalice", "config.json"), "{}")
	write(t, filepath.Join(root, "node_modules", "cdk.json"), "{}")

	w := New()
	w.AddFolder(root)
	ps := w.Projects()
	if len(ps) != 1 || ps[0].Dir != filepath.Join(root, "runtime") {
		t.Fatalf("projects: %+v", ps)
	}
	if cs := w.CDKApps(); len(cs) != 1 || cs[0].Dir != filepath.Join(root, "infra") {
		t.Fatalf("cdk apps: %+v", cs)
	}
	if p := w.ProjectFor(filepath.Join(root, "runtime", "chalicelib", "db.py")); p == nil || p != ps[0] {
		t.Fatal("chalicelib file should map to its project")
	}
	if w.ProjectFor(filepath.Join(root, "runtime2", "app.py")) != nil {
		t.Fatal("runtime2 is not inside runtime")
	}

	second := filepath.Join(root, "second")
	write(t, filepath.Join(second, "app.py"), "")
	write(t, filepath.Join(second, ".chalice", "config.json"), "{}")
	if !w.FileChanged(filepath.Join(second, ".chalice", "config.json")) {
		t.Fatal("a new project should be reported")
	}
	os.Remove(filepath.Join(second, "app.py"))
	if !w.FileChanged(filepath.Join(second, "app.py")) || w.Project(second) != nil {
		t.Fatal("deleting app.py removes the project")
	}
	w.RemoveFolder(root)
	if len(w.Projects()) != 0 || len(w.CDKApps()) != 0 {
		t.Fatal("removing the folder forgets its projects")
	}
}
