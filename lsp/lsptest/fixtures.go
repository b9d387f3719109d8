package lsptest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// CopyTree copies the directory src (e.g. testdata/lsp/webapp, relative to the repo
// root) into a fresh temporary directory and returns the copy's path, so tests can
// edit and save files without touching testdata.
func CopyTree(tb testing.TB, src string) string {
	tb.Helper()
	if !filepath.IsAbs(src) {
		src = filepath.Join(RepoRoot(), src)
	}
	dst := filepath.Join(tb.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() && (d.Name() == "cdk.out" || d.Name() == "chalice.out" || d.Name() == "__pycache__" || d.Name() == "deployments") {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		tb.Fatalf("copy %s: %v", src, err)
	}
	return dst
}
