package cdkfeatures

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
)

// Lens is what one construct call creates, for a code lens (or a code action's
// title in clients without code lenses): project, stage, resource count and how
// fresh the IDs are.
type Lens struct {
	Start, End int // the construct call
	Construct  *analysis.Construct
	Title      string // e.g. "web · stage dev · 7 resources · packaged 12s ago"
}

// Lenses describes every construct call of f that resolves to a project. now is
// the reference time for "packaged Ns ago" (a parameter so results are a pure
// function of the snapshot).
func Lenses(s *analysis.Snapshot, f *analysis.CDKFile, now time.Time) []Lens {
	var out []Lens
	for i := range f.Constructs {
		c := &f.Constructs[i]
		if c.Target.Project == nil {
			continue
		}
		ix := s.IDIndex(c.Target)
		n := ix.Len()
		noun := "resources"
		if n == 1 {
			noun = "resource"
		}
		title := fmt.Sprintf("%s · stage %s · %d %s · %s", filepath.Base(c.Target.Project.Dir), c.Target.Stage, n, noun, Freshness(s, c.Target, ix, now))
		out = append(out, Lens{Start: c.C.CallStart, End: c.C.CallEnd, Construct: c, Title: title})
	}
	return out
}

// Freshness says where the IDs of ix (for target t) come from, so that stale
// results never pass as fresh: "predicted" (no packaged template), "packaged 12s
// ago", "stale (packaged 12s ago)" after an input changed, or "stale (packaged for
// another stage)" when the template stands in from another target.
func Freshness(s *analysis.Snapshot, t analysis.Target, ix *logicalid.Index, now time.Time) string {
	if ix.Template == nil {
		return "predicted"
	}
	if ix.Foreign {
		return "stale (packaged for another stage or stage_config)"
	}
	st := s.Packaging(t.Key())
	if st == nil || st.At.IsZero() {
		if ix.Stale {
			return "stale"
		}
		return "packaged"
	}
	ago := Ago(now.Sub(st.At))
	if ix.Stale {
		return "stale (packaged " + ago + ")"
	}
	return "packaged " + ago
}

// Ago renders a duration as people read it in a lens: "12s ago", "5m ago", "3h ago".
func Ago(d time.Duration) string {
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}
