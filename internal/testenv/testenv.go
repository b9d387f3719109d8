// Package testenv finds what the project's tests run against: the repository root
// and the Python virtualenv that holds Chalice.
//
// Tests that compare with real Chalice must fail, never skip, when the virtualenv is
// missing (the team's rule, and CI=true must catch it), and every such test used to
// carry its own copy of the lookup with a slightly different message. One place keeps
// the lookup and the "run make setup" instruction the same everywhere.
package testenv

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// RepoRoot returns the directory holding go.mod, searching upwards from the test's
// working directory (its package directory). It fails the test if there is none.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("cannot find the repository root (go.mod) above the test directory")
		}
		dir = parent
	}
}

// Venv returns the Python virtualenv with Chalice: $CHALICE_LSP_VENV, or
// <repo>/.venv when it is unset. It fails the test, saying to run `make setup`, when
// the virtualenv has no python.
func Venv(tb testing.TB) string {
	tb.Helper()
	venv := os.Getenv("CHALICE_LSP_VENV")
	if venv == "" {
		venv = filepath.Join(RepoRoot(tb), ".venv")
	}
	if abs, err := filepath.Abs(venv); err == nil {
		venv = abs
	}
	requireFile(tb, venv, filepath.Join(venv, "bin", "python"))
	return venv
}

// Python returns the virtualenv's interpreter (see Venv).
func Python(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Venv(tb), "bin", "python")
}

// Chalice returns the virtualenv's chalice command (see Venv).
func Chalice(tb testing.TB) string {
	tb.Helper()
	venv := Venv(tb)
	bin := filepath.Join(venv, "bin", "chalice")
	requireFile(tb, venv, bin)
	return bin
}

func requireFile(tb testing.TB, venv, path string) {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		tb.Fatalf("the Python virtualenv with Chalice is incomplete or missing: %v; run `make setup` (or set CHALICE_LSP_VENV to a virtualenv with chalice 1.33.0; now %q)", err, venv)
	}
}

// CopyTree copies the project at src to dst (created as needed) so that a test can run
// chalice or cdk on it without writing into the repository. Generated folders
// (.chalice/deployments, __pycache__, cdk.out, chalice.out) are left out: they are
// caches of earlier runs, not part of the project.
func CopyTree(tb testing.TB, src, dst string) {
	tb.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			switch d.Name() {
			case "deployments", "__pycache__", "cdk.out", "chalice.out":
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		tb.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

// ChaliceProjects returns every Chalice project under root (a directory holding both
// app.py and .chalice/config.json), as slash-separated paths relative to root, sorted.
// It does not look inside generated or tool folders (the ones CopyTree leaves out,
// node_modules, and hidden folders such as .venv or .git): cdk.out in particular
// holds asset copies of the projects it deployed. Projects may nest (a CDK app's
// runtime/ folder). It fails the test if root cannot be read.
func ChaliceProjects(tb testing.TB, root string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root {
			switch name := d.Name(); {
			case name == "deployments", name == "__pycache__", name == "cdk.out", name == "chalice.out",
				name == "node_modules", strings.HasPrefix(name, "."):
				return filepath.SkipDir
			}
		}
		if isFile(filepath.Join(p, "app.py")) && isFile(filepath.Join(p, ".chalice", "config.json")) {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("looking for Chalice projects under %s: %v", root, err)
	}
	sort.Strings(out)
	return out
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
