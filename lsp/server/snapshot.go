package server

import (
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// The server's view of the workspace is one analysis.Snapshot at a time. Every
// event that changes an analysis input (an edit, a save, a file changed on disk,
// new settings, workspace folders, a finished packaging run) goes through
// modify, which computes the next snapshot and re-analyses the open documents it
// invalidates. A request handler takes one snapshot at entry (view, or
// snapshot for requests about no document) and passes it down.

// snapshot returns the current snapshot (immutable; safe to use without locks).
func (s *Server) snapshot() *analysis.Snapshot {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	return s.snap
}

// view returns the open document u (nil when it is not open) and a snapshot
// holding exactly that version of it: the one a request about u works on.
func (s *Server) view(u uri.URI) (*analysis.Snapshot, *overlay.Document) {
	d := s.docs.Get(u)
	return s.snapshotFor(d), d
}

// snapshotFor is the current snapshot, plus document d when the snapshot holds
// another version of it (a request saw this version before its didChange reached
// the snapshot, or a newer one arrived meanwhile).
func (s *Server) snapshotFor(d *overlay.Document) *analysis.Snapshot {
	snap := s.snapshot()
	if d == nil {
		return snap
	}
	if sd := snap.Document(d.Path); sd == nil || sd.Version != d.Version || len(sd.Content) != len(d.Content) {
		snap, _ = snap.Modify(docChange(d))
	}
	return snap
}

// modify applies ch, queues the invalidated open documents for analysis and
// returns the new snapshot.
func (s *Server) modify(ch analysis.Changes) *analysis.Snapshot {
	next, _ := s.modifyFrom(ch)
	return next
}

// modifyFrom is modify that also returns the snapshot ch was applied to.
func (s *Server) modifyFrom(ch analysis.Changes) (next, prev *analysis.Snapshot) {
	s.snapMu.Lock()
	prev = s.snap
	next, inv := prev.Modify(ch)
	s.snap = next
	s.snapMu.Unlock()
	if inv.All {
		s.reanalyzeOpen()
		return next, prev
	}
	for _, p := range inv.Files {
		if d := s.docs.ByPath(p); d != nil {
			s.wakeAnalyzer(d.URI)
		}
	}
	return next, prev
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
