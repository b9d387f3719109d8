package lsptest

import (
	"path/filepath"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// CopyTree copies the directory src (e.g. testdata/lsp/webapp, relative to the repo
// root) into a fresh temporary directory and returns the copy's path, so tests can
// edit and save files without touching testdata. Generated folders (cdk.out,
// chalice.out, __pycache__, .chalice/deployments) are left out.
func CopyTree(tb testing.TB, src string) string {
	tb.Helper()
	if !filepath.IsAbs(src) {
		src = filepath.Join(testenv.RepoRoot(tb), src)
	}
	dst := filepath.Join(tb.TempDir(), filepath.Base(src))
	testenv.CopyTree(tb, src, dst)
	return dst
}
