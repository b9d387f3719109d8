package servertest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

// ArchiveDir returns a directory's files as an archive (paths relative to it),
// for tests that start from a shared fixture; dir is relative to the repository
// root unless absolute. Generated folders are left out as testenv.CopyTree leaves
// them out. A file not ending in a line break gets one (as in txtar). Markers
// can be added with strings.Replace before Start.
func ArchiveDir(tb testing.TB, dir string) string {
	tb.Helper()
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(testenv.RepoRoot(tb), dir)
	}
	copyDir := filepath.Join(tb.TempDir(), "copy")
	testenv.CopyTree(tb, dir, copyDir)
	var b strings.Builder
	err := filepath.WalkDir(copyDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(copyDir, p)
		if err != nil {
			return err
		}
		if strings.ContainsAny(string(content), pointOpen+pointClose+rangeOpen+rangeClose) {
			tb.Fatalf("%s holds marker characters; an archive cannot carry it", filepath.Join(dir, rel))
		}
		b.WriteString("-- " + filepath.ToSlash(rel) + " --\n")
		b.Write(content)
		if len(content) > 0 && content[len(content)-1] != '\n' {
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("archive of %s: %v", dir, err)
	}
	return b.String()
}
