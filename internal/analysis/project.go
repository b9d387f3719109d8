package analysis

import (
	"path/filepath"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

type appResult struct {
	app *appmodel.App
	err error
}

type configResult struct{ root *jsonpos.Node }

type packagedDirs struct {
	dirs       map[string]bool
	unresolved bool
}

// ProjectFor returns the project path belongs to: the innermost project of the
// snapshot containing it, else (a config.json or app.py opened from outside the
// workspace folders) the project next to the file. Nothing is registered.
func (s *Snapshot) ProjectFor(path string) *workspace.Project {
	if path == "" {
		return nil
	}
	if p := s.projectContaining(path); p != nil {
		return p
	}
	dir := filepath.Dir(path)
	if filepath.Base(dir) == ".chalice" {
		dir = filepath.Dir(dir)
	}
	return s.projectAt(dir)
}

// projectAt returns the project whose directory is dir: one of the snapshot's,
// else one the snapshot's files show to be there (.chalice/config.json and
// app.py), else nil.
func (s *Snapshot) projectAt(dir string) *workspace.Project {
	dir = filepath.Clean(dir)
	for _, p := range s.projects {
		if p.Dir == dir {
			return p
		}
	}
	p := &workspace.Project{Dir: dir, ConfigPath: filepath.Join(dir, ".chalice", "config.json"), AppPath: filepath.Join(dir, "app.py")}
	if _, err := s.ReadFile(p.ConfigPath); err != nil {
		return nil
	}
	if _, err := s.ReadFile(p.AppPath); err != nil {
		return nil
	}
	return p
}

// onlyProject returns the snapshot's single project, or nil.
func (s *Snapshot) onlyProject() *workspace.Project {
	if len(s.projects) != 1 {
		return nil
	}
	return s.projects[0]
}

// App returns the project's parsed app (app.py and blueprints, open buffers
// first). Never nil when err is nil.
func (s *Snapshot) App(p *workspace.Project) (*appmodel.App, error) {
	s.memo.mu.Lock()
	r, ok := s.memo.apps[p.Dir]
	s.memo.mu.Unlock()
	if ok {
		return r.app, r.err
	}
	app, err := appmodel.LoadFiles(p.Dir, s.ReadFile)
	s.memo.mu.Lock()
	s.memo.apps[p.Dir] = appResult{app, err}
	s.memo.mu.Unlock()
	return app, err
}

// Functions lists the config-level function names of the project's app.
func (s *Snapshot) Functions(p *workspace.Project) []string {
	if app, err := s.App(p); err == nil && app != nil {
		return app.FunctionNames()
	}
	return nil
}

// FunctionsUnknown says why the project's handler set cannot be known ("" when
// it can, or when app.py cannot be read).
func (s *Snapshot) FunctionsUnknown(p *workspace.Project) string {
	if app, err := s.App(p); err == nil && app != nil {
		return app.HandlersUnknown
	}
	return ""
}

// Config returns the project's config.json tree (nil when missing or empty).
func (s *Snapshot) Config(p *workspace.Project) *jsonpos.Node {
	s.memo.mu.Lock()
	r := s.memo.configs[p.Dir]
	s.memo.mu.Unlock()
	if r != nil {
		return r.root
	}
	r = &configResult{}
	if src, err := s.ReadFile(p.ConfigPath); err == nil {
		r.root, _ = jsonpos.Parse(src)
	}
	s.memo.mu.Lock()
	s.memo.configs[p.Dir] = r
	s.memo.mu.Unlock()
	return r.root
}

// IsPackaged reports whether p is packaged: a construct in a CDK app of the
// snapshot points at it, or automatic packaging runs it. What only `chalice
// package` rejects (S3 event handlers) is an error there, information for
// projects deployed with `chalice deploy`.
func (s *Snapshot) IsPackaged(p *workspace.Project) bool {
	if s.settings.AutomaticPackaging() {
		return true
	}
	s.memo.mu.Lock()
	pd := s.memo.packaged
	s.memo.mu.Unlock()
	if pd == nil {
		pd = &packagedDirs{dirs: map[string]bool{}}
		for _, app := range s.cdkApps {
			for _, f := range cdkcode.ScanTree(app.Dir, s.readThrough) {
				if f.Dir == "" {
					pd.unresolved = true
				} else {
					pd.dirs[filepath.Clean(f.Dir)] = true
				}
			}
		}
		s.memo.mu.Lock()
		s.memo.packaged = pd
		s.memo.mu.Unlock()
	}
	if pd.dirs[filepath.Clean(p.Dir)] {
		return true
	}
	return pd.unresolved && len(s.projects) == 1
}
