package packager

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Symlink loops in chalicelib/ used to be walked exponentially (4 self-links took
// 27 s and listed every file 4^8 times); each real directory is walked once, and
// an outward link contributes its files once.
func TestSymlinkLoopsWalkedOnce(t *testing.T) {
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, ".chalice"), 0o755)
	os.WriteFile(filepath.Join(src, ".chalice", "config.json"), []byte(`{"app_name": "x"}`), 0o644)
	os.WriteFile(filepath.Join(src, "app.py"), []byte("from chalice import Chalice\napp = Chalice(app_name='x')\n"), 0o644)
	lib := filepath.Join(src, "chalicelib")
	os.MkdirAll(filepath.Join(lib, "sub"), 0o755)
	os.WriteFile(filepath.Join(lib, "__init__.py"), nil, 0o644)
	os.WriteFile(filepath.Join(lib, "sub", "m.py"), nil, 0o644)
	for _, name := range []string{"a", "b", "c", "d"} {
		if err := os.Symlink(".", filepath.Join(lib, name)); err != nil {
			t.Fatal(err)
		}
	}
	os.Symlink("..", filepath.Join(lib, "sub", "up"))
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "shared.py"), nil, 0o644)
	os.MkdirAll(filepath.Join(src, "vendor"), 0o755)
	os.Symlink(outside, filepath.Join(src, "vendor", "shared"))
	os.Symlink(outside, filepath.Join(src, "vendor", "again"))

	files, err := listInputs(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, f := range files {
		rels = append(rels, f.Rel)
	}
	want := []string{".chalice/config.json", "app.py", "chalicelib/__init__.py", "chalicelib/sub/m.py", "vendor/again/shared.py"}
	if len(rels) != len(want) {
		t.Fatalf("listed %d files, want %v: %v", len(rels), want, rels[:min(len(rels), 20)])
	}
	for i := range want {
		if rels[i] != want[i] {
			t.Fatalf("listed %v, want %v", rels, want)
		}
	}
	// A cancelled listing (the packaging timeout) stops.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := listInputs(ctx, src); err == nil {
		t.Fatal("a cancelled listing went on")
	}
}
