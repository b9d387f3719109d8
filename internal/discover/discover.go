// Package discover finds what `chalice-lsp check` analyses below a directory:
// every Chalice project (a directory holding .chalice/config.json), every CDK app
// (a directory holding cdk.json) and every Python or Go file that uses a Chalice
// construct (chalice.cdk, cdk_chalice, construct.NewChalice) or names one of its
// logical IDs. It skips what never holds a project's own code (treewalk.Skip,
// the rule the server's walks use too: hidden directories such as .git and
// .venv, node_modules, virtualenvs under any name, cdk.out, chalice.out, build
// folders, caches) and what .gitignore ignores.
package discover

import (
	"bytes"
	"io/fs"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/internal/treewalk"
)

// Tree is what Walk found, all paths absolute and sorted.
type Tree struct {
	// Projects are Chalice project directories.
	Projects []string
	// CDKApps are directories holding cdk.json.
	CDKApps []string
	// Files are the files an editor would report on: each project's
	// .chalice/config.json and Python files, and every CDK source file (Python
	// or Go) with a construct call or a logical-ID call site.
	Files []string
}

// Walk discovers below root (a directory). Files whose names .gitignore ignores
// are left out when root is inside a git work tree (see ignored).
func Walk(root string) (*Tree, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	var dirs, files []string // candidates, filtered by .gitignore below
	err = treewalk.Walk(root, func(path string, d fs.DirEntry) error {
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		switch ext := filepath.Ext(path); {
		case ext == ".py", ext == ".go" && !strings.HasSuffix(path, "_test.go"),
			d.Name() == "config.json" && filepath.Base(filepath.Dir(path)) == ".chalice",
			d.Name() == "cdk.json":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ign := ignored(root, append(append([]string{}, dirs...), files...))
	t := &Tree{}
	isProject := map[string]bool{}
	for _, f := range files {
		if ign.covers(f) {
			continue
		}
		switch {
		case filepath.Base(f) == "config.json":
			dir := filepath.Dir(filepath.Dir(f))
			isProject[dir] = true
			t.Projects = append(t.Projects, dir)
			t.Files = append(t.Files, f)
		case filepath.Base(f) == "cdk.json":
			t.CDKApps = append(t.CDKApps, filepath.Dir(f))
		}
	}
	for _, f := range files {
		if ign.covers(f) || filepath.Base(f) == "config.json" || filepath.Base(f) == "cdk.json" {
			continue
		}
		if filepath.Ext(f) == ".py" && inProject(f, isProject) {
			t.Files = append(t.Files, f)
			continue
		}
		if usesChalice(f) {
			t.Files = append(t.Files, f)
		}
	}
	sort.Strings(t.Projects)
	sort.Strings(t.CDKApps)
	sort.Strings(t.Files)
	return t, nil
}

// inProject reports whether f lies in a Chalice project directory (the server
// analyses app.py and chalicelib for the project's rules).
func inProject(f string, isProject map[string]bool) bool {
	for dir := filepath.Dir(f); ; dir = filepath.Dir(dir) {
		if isProject[dir] {
			return true
		}
		if filepath.Dir(dir) == dir {
			return false
		}
	}
}

// usesChalice reports whether a Python or Go file has a Chalice construct call or a
// logical-ID call site, by the same analysis the editor runs on it.
func usesChalice(path string) bool {
	src, err := safefile.Read(path)
	if err != nil || !bytes.Contains(src, []byte("halice")) {
		return false // every construct and logical-ID call site names Chalice/chalice
	}
	f := cdkcode.Analyze(path, src)
	return f != nil && (len(f.Constructs) > 0 || len(f.IDRefs) > 0)
}

// ignoreSet is the set of paths git ignores; a path is covered when it or a
// directory above it is in the set.
type ignoreSet map[string]bool

func (s ignoreSet) covers(path string) bool {
	for p := path; ; p = filepath.Dir(p) {
		if s[p] {
			return true
		}
		if filepath.Dir(p) == p {
			return false
		}
	}
}

// ignored asks git which of paths are ignored. git's own matcher is the one that
// is correct by definition: nested .gitignore files, negations, anchoring,
// directory-only patterns, .git/info/exclude and core.excludesFile all apply,
// and one `git check-ignore --stdin` run answers for the whole tree. Outside a
// git work tree (or without git) .gitignore decides nothing, so nothing is
// ignored.
func ignored(root string, paths []string) ignoreSet {
	set := ignoreSet{}
	if len(paths) == 0 {
		return set
	}
	if _, err := exec.LookPath("git"); err != nil {
		return set
	}
	var in bytes.Buffer
	for _, p := range paths {
		in.WriteString(p)
		in.WriteByte(0)
	}
	cmd := exec.Command("git", "-C", root, "check-ignore", "--stdin", "-z")
	cmd.Stdin = &in
	out, err := cmd.Output()
	// Exit status 1 means "nothing ignored"; 128 means not a git work tree.
	if err != nil && len(out) == 0 {
		return set
	}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			set[filepath.Clean(string(p))] = true
		}
	}
	return set
}
