package server

import (
	"bytes"
	"path/filepath"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
)

// packagedCache remembers which Chalice projects a CDK construct in the
// workspace packages, so that what only `chalice package` rejects (S3 event
// handlers) is an error there and information for projects deployed with
// `chalice deploy`. Rebuilt lazily after a Python or Go file outside the
// projects changes.
type packagedCache struct {
	mu    sync.Mutex
	valid bool
	dirs  map[string]bool // project dirs a construct's source_dir names
	// unresolved is set when some construct's source_dir cannot be resolved
	// statically: it packages the workspace's only project, if there is one.
	unresolved bool
}

// isPackaged reports whether ps is packaged: a construct in the workspace
// points at it, or automatic packaging runs it.
func (s *Server) isPackaged(ps *projectState) bool {
	if s.currentSettings().AutomaticPackaging() {
		return true
	}
	c := &s.packaged
	c.mu.Lock()
	if !c.valid {
		c.dirs, c.unresolved = map[string]bool{}, false
		for _, app := range s.ws.CDKApps() {
			for _, f := range cdkcode.ScanTree(app.Dir, s.docs.ReadFile) {
				if f.Dir == "" {
					c.unresolved = true
				} else {
					c.dirs[filepath.Clean(f.Dir)] = true
				}
			}
		}
		c.valid = true
	}
	dirs, unresolved := c.dirs, c.unresolved
	c.mu.Unlock()
	if dirs[filepath.Clean(ps.proj.Dir)] {
		return true
	}
	return unresolved && len(s.ws.Projects()) == 1
}

// inCDKApp reports whether path lies in a CDK app directory of the workspace.
func (s *Server) inCDKApp(path string) bool {
	for _, a := range s.ws.CDKApps() {
		if rel, err := filepath.Rel(a.Dir, path); err == nil && filepath.IsLocal(rel) {
			return true
		}
	}
	return false
}

// packagedInputChanged drops the cache when path may be CDK code, and has
// the open config files re-checked (their app.py findings depend on it).
func (s *Server) packagedInputChanged(path string) {
	if filepath.Base(path) != "cdk.json" {
		if k := classify(path); k != kindPython && k != kindGo || !s.inCDKApp(path) {
			return
		}
		// Edits to a project's own modules (app.py, chalicelib) are frequent and
		// rarely CDK code: only a file that names a source directory counts.
		if s.ws.ProjectFor(path) != nil {
			if src, err := s.docs.ReadFile(path); err == nil && !bytes.Contains(src, []byte("source_dir")) && !bytes.Contains(src, []byte("SourceDir")) {
				return
			}
		}
	}
	c := &s.packaged
	c.mu.Lock()
	was := c.valid
	c.valid = false
	c.mu.Unlock()
	if !was {
		return
	}
	for _, d := range s.docs.All() {
		if k := classify(d.Path); k == kindPython && s.ws.ProjectFor(d.Path) != nil {
			s.dropAnalysis(d.URI)
			s.wakeAnalyzer(d.URI)
		}
	}
}
