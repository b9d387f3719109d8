// Package workspace finds the Chalice projects (a directory with .chalice/config.json
// and app.py) and CDK apps (a directory with cdk.json) inside the client's workspace
// folders, and maps any file to the project it belongs to. It knows nothing about
// LSP; the server feeds it folder and file-change events.
package workspace

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"github.com/chalice-lsp/chalice-lsp/internal/treewalk"
)

// MaxDepth bounds the discovery walk below a workspace folder.
const MaxDepth = 6

// Project is a Chalice project directory.
type Project struct {
	Dir        string
	ConfigPath string // Dir/.chalice/config.json
	AppPath    string // Dir/app.py
}

// CDKApp is a directory holding cdk.json.
type CDKApp struct {
	Dir string
}

// Workspace is the set of folders and what was found in them. Safe for concurrent use.
type Workspace struct {
	mu       sync.RWMutex
	folders  []string
	projects map[string]*Project // by Dir
	cdkApps  map[string]*CDKApp  // by Dir
}

// New returns an empty workspace.
func New() *Workspace {
	return &Workspace{projects: map[string]*Project{}, cdkApps: map[string]*CDKApp{}}
}

// AddFolder adds a workspace folder and discovers what is inside it.
func (w *Workspace) AddFolder(dir string) {
	dir = filepath.Clean(dir)
	ps, cs := Discover(dir)
	w.mu.Lock()
	defer w.mu.Unlock()
	if !slices.Contains(w.folders, dir) {
		w.folders = append(w.folders, dir)
	}
	for _, p := range ps {
		w.projects[p.Dir] = p
	}
	for _, c := range cs {
		w.cdkApps[c.Dir] = c
	}
}

// RemoveFolder forgets a folder and everything found only below it.
func (w *Workspace) RemoveFolder(dir string) {
	dir = filepath.Clean(dir)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.folders = slices.DeleteFunc(w.folders, func(f string) bool { return f == dir })
	for d := range w.projects {
		if Within(d, dir) && !w.coveredLocked(d) {
			delete(w.projects, d)
		}
	}
	for d := range w.cdkApps {
		if Within(d, dir) && !w.coveredLocked(d) {
			delete(w.cdkApps, d)
		}
	}
}

func (w *Workspace) coveredLocked(d string) bool {
	for _, f := range w.folders {
		if Within(d, f) {
			return true
		}
	}
	return false
}

// Folders returns the workspace folders.
func (w *Workspace) Folders() []string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return slices.Clone(w.folders)
}

// FileChanged updates discovery after a file was created, changed or deleted. It
// reports whether the set of projects or CDK apps changed.
func (w *Workspace) FileChanged(path string) bool {
	path = filepath.Clean(path)
	base := filepath.Base(path)
	var dir string
	switch {
	case base == "config.json" && filepath.Base(filepath.Dir(path)) == ".chalice":
		dir = filepath.Dir(filepath.Dir(path))
	case base == "app.py":
		dir = filepath.Dir(path)
	case base == "cdk.json":
		d := filepath.Dir(path)
		w.mu.Lock()
		defer w.mu.Unlock()
		_, had := w.cdkApps[d]
		if isFile(path) {
			w.cdkApps[d] = &CDKApp{Dir: d}
			return !had
		}
		delete(w.cdkApps, d)
		return had
	default:
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	_, had := w.projects[dir]
	if p := ProjectAt(dir); p != nil {
		w.projects[dir] = p
		return !had
	}
	delete(w.projects, dir)
	return had
}

// Projects returns the Chalice projects, sorted by directory.
func (w *Workspace) Projects() []*Project {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]*Project, 0, len(w.projects))
	for _, p := range w.projects {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// CDKApps returns the CDK apps, sorted by directory.
func (w *Workspace) CDKApps() []*CDKApp {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]*CDKApp, 0, len(w.cdkApps))
	for _, c := range w.cdkApps {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// Project returns the project with directory dir, or nil.
func (w *Workspace) Project(dir string) *Project {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.projects[filepath.Clean(dir)]
}

// ProjectFor returns the innermost project containing path (config.json, app.py,
// chalicelib/..., requirements.txt), or nil.
func (w *Workspace) ProjectFor(path string) *Project {
	w.mu.RLock()
	defer w.mu.RUnlock()
	// The innermost containing project is the first of path's ancestors (path
	// itself included) that is a project directory: O(depth) map lookups, not a
	// path comparison per project (the server asks this for every open file on
	// every open, which was quadratic in a monorepo). Keys are clean (EnsureProject,
	// Discover), so a clean path finds them.
	for d := filepath.Clean(path); ; d = filepath.Dir(d) {
		if p, ok := w.projects[d]; ok {
			return p
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// EnsureProject registers the project at dir if it looks like one (used when a
// file outside every workspace folder is opened). It returns the project or nil.
func (w *Workspace) EnsureProject(dir string) *Project {
	dir = filepath.Clean(dir)
	if p := w.Project(dir); p != nil {
		return p
	}
	p := ProjectAt(dir)
	if p == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.projects[dir] = p
	return p
}

// Discover walks root (bounded depth, skipping what treewalk.Skip skips) for
// Chalice projects and CDK apps.
func Discover(root string) ([]*Project, []*CDKApp) {
	var ps []*Project
	var cs []*CDKApp
	_ = treewalk.Walk(root, func(path string, d fs.DirEntry) error {
		if !d.IsDir() {
			return nil
		}
		if rel, _ := filepath.Rel(root, path); path != root && strings.Count(rel, string(filepath.Separator)) >= MaxDepth {
			return fs.SkipDir
		}
		if d.Name() == ".chalice" {
			return fs.SkipDir
		}
		if p := ProjectAt(path); p != nil {
			ps = append(ps, p)
		}
		if isFile(filepath.Join(path, "cdk.json")) {
			cs = append(cs, &CDKApp{Dir: path})
		}
		return nil
	})
	return ps, cs
}

// ProjectAt returns the Chalice project in dir (.chalice/config.json and app.py,
// both regular files), or nil.
func ProjectAt(dir string) *Project {
	cfg := filepath.Join(dir, ".chalice", "config.json")
	app := filepath.Join(dir, "app.py")
	if isFile(cfg) && isFile(app) {
		return &Project{Dir: dir, ConfigPath: cfg, AppPath: app}
	}
	return nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// Within reports whether path is dir or below it (pathutil.Within).
func Within(path, dir string) bool { return pathutil.Within(path, dir) }
