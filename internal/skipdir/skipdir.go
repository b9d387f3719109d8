// Package skipdir holds the one rule for which directories a walk over a user's
// tree leaves out: the server's project discovery (internal/workspace), its
// scan for construct calls (internal/cdkcode) and `chalice-lsp check`
// (internal/discover) all use it, so the editor and CI look at the same files.
package skipdir

import (
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
