package cdkcode

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/internal/treewalk"
)

// Found is one construct call found by ScanTree.
type Found struct {
	// File is the CDK source file; AppDir the CDK app directory its
	// relative source_dir resolves against (the innermost cdk.json above
	// File, else File's directory).
	File, AppDir string
	Construct    Construct
	// Dir is the construct's source directory as an absolute path ("" when
	// it cannot be resolved statically).
	Dir string
}

// maxScanFiles bounds ScanTree on huge trees.
const maxScanFiles = 5000

// ScanTree finds the Chalice construct calls in the Python and Go files under
// root (skipping what treewalk.Skip leaves out: virtualenvs, node_modules, cdk.out
// and the like). read reads a
// file (nil: from disk); the language server passes one that prefers unsaved
// buffers. Only files that mention a source directory are parsed.
func ScanTree(root string, read func(string) ([]byte, error)) []Found {
	if read == nil {
		read = safefile.Read // a FIFO or /dev/zero named like a .py file must not block or fill memory
	}
	var out []Found
	files := 0
	_ = treewalk.Walk(root, func(path string, d fs.DirEntry) error {
		if d.IsDir() {
			return nil
		}
		ext := filepath.Ext(path)
		if ext != ".py" && ext != ".go" || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		if files > maxScanFiles {
			return filepath.SkipAll
		}
		src, err := read(path)
		if err != nil || !(bytes.Contains(src, []byte("source_dir")) || bytes.Contains(src, []byte("SourceDir"))) {
			return nil
		}
		f := Analyze(path, src)
		if f == nil {
			return nil
		}
		appDir := AppDirOf(path)
		for _, c := range f.Constructs {
			out = append(out, Found{File: path, AppDir: appDir, Construct: c, Dir: c.Dir(appDir)})
		}
		return nil
	})
	return out
}

// AppDirOf returns the innermost directory holding cdk.json above path, else
// path's directory: where `cdk` runs, so where relative source dirs start.
func AppDirOf(path string) string {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(filepath.Join(dir, "cdk.json")); err == nil && !st.IsDir() {
			return dir
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return filepath.Dir(path)
}
