// Package treewalk is the one walk over a user's tree and its rule for which
// directories it leaves out: the server's project discovery
// (internal/workspace), its scan for construct calls (internal/cdkcode) and
// `chalice-lsp check` (internal/discover) all use it, so the editor and CI look
// at the same files.
package treewalk

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// names are directories that never hold a project's own code: dependencies,
// build and synth output (cdk.out and chalice.out hold copies of the project),
// caches. Hidden directories are covered by Skip's dot rule (.git, .venv, .tox,
// .aws-sam, .mypy_cache, .idea and the like).
var names = map[string]bool{
	"node_modules": true, "venv": true, "site-packages": true, "vendor": true, "__pycache__": true,
	"cdk.out": true, "chalice.out": true, "build": true, "dist": true,
}

// Skip reports whether the walk leaves out the directory path, whose base name
// is name: a hidden directory other than .chalice (Chalice's own config lives
// there; the Go tool and Pyright leave dot directories out too), a name from
// the list above, or a virtualenv under any name (it holds pyvenv.cfg, on
// Windows as on Unix). The walk's root itself is the caller's choice: call
// Skip only below it.
func Skip(path, name string) bool {
	if strings.HasPrefix(name, ".") && name != ".chalice" || names[name] {
		return true
	}
	st, err := os.Lstat(filepath.Join(path, "pyvenv.cfg"))
	return err == nil && st.Mode().IsRegular()
}

// Walk walks the tree at root in lexical order, like filepath.WalkDir, and calls
// visit for root and for every directory and file below it, except the
// directories Skip leaves out and those that cannot be read (a walk over a
// user's tree goes on past a folder it may not open). visit may return
// filepath.SkipDir or filepath.SkipAll; any other error ends the walk and is
// returned, as is an error reading root itself.
func Walk(root string, visit func(path string, d fs.DirEntry) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() && path != root && Skip(path, d.Name()) {
			return filepath.SkipDir
		}
		return visit(path, d)
	})
}
