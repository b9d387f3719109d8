package server

import (
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"go.lsp.dev/protocol"
)

// The server's view of the workspace is one analysis.Snapshot at a time. Every
// event that changes an analysis input (an edit, a save, a file changed on disk,
// new settings, workspace folders, a finished packaging run) goes through
// modify, which computes the next snapshot and re-analyses the open documents it
// invalidates. Features read s.snapshot() once per request and call the core.

// snapshot returns the current snapshot (immutable; safe to use without locks).
func (s *Server) snapshot() *analysis.Snapshot {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	return s.snap
}

// modify applies ch and queues the invalidated open documents for analysis.
func (s *Server) modify(ch analysis.Changes) analysis.Invalidation {
	s.snapMu.Lock()
	next, inv := s.snap.Modify(ch)
	s.snap = next
	s.snapMu.Unlock()
	if inv.All {
		s.reanalyzeOpen()
		return inv
	}
	for _, p := range inv.Files {
		if d := s.docs.ByPath(p); d != nil {
			s.dropAnalysis(d.URI)
			s.wakeAnalyzer(d.URI)
		}
	}
	return inv
}

// workspaceChanged hands the workspace's current projects and CDK apps to the
// snapshot (folders added or removed, a project appeared on disk, a file of a
// project outside the folders opened).
func (s *Server) workspaceChanged() {
	s.modify(analysis.Changes{Projects: nonNil(s.ws.Projects()), CDKApps: nonNilApps(s.ws.CDKApps())})
}

// docChange is the snapshot change for an opened or edited document.
func docChange(d *overlay.Document) analysis.Changes {
	return analysis.Changes{Open: []*analysis.Document{{Path: d.Path, Version: d.Version, Content: d.Content}}}
}

// readDisk is how snapshots read files that are not open: bounded and never
// blocking on a FIFO (safefile), a skipped file logged once.
func (s *Server) readDisk(path string) ([]byte, error) {
	b, err := safefile.Read(path)
	if safefile.IsSkipped(err) {
		if _, seen := s.skipped.LoadOrStore(err.Error(), true); !seen {
			s.logf(protocol.MessageTypeWarning, "%v", err)
		}
	}
	return b, err
}

// nonNil: a nil list in analysis.Changes means "unchanged", an empty one "none".
func nonNil(ps []*workspace.Project) []*workspace.Project {
	if ps == nil {
		return []*workspace.Project{}
	}
	return ps
}

func nonNilApps(cs []*workspace.CDKApp) []*workspace.CDKApp {
	if cs == nil {
		return []*workspace.CDKApp{}
	}
	return cs
}

// recordPackaging hands a packaging outcome of t to the snapshot.
func (s *Server) recordPackaging(t pkgTarget, st pkgState) {
	s.modify(analysis.Changes{Packaging: []*analysis.Packaging{{Key: t.key(), Dir: t.ps.proj.Dir, Stage: st.Stage, CDKPath: t.cdkPath(), Result: st.Result, Stale: st.Stale, Err: st.Err, At: st.At}}})
}
