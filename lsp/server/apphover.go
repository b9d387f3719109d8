package server

import (
	"fmt"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"go.lsp.dev/protocol"
)

// appHover answers hover on a Chalice decorator or handler name in app.py (or a
// blueprint): the config name, the logical IDs CDK code must use for it (the
// mapping Chalice itself offers no lookup for, aws/chalice#1734) and its
// effective memory and timeout for the configured stage.
func (s *Server) appHover(d *overlay.Document, off int) *protocol.Hover {
	ps := s.projectForPathNoCreate(d.Path)
	if ps == nil {
		return nil
	}
	app, err := s.appOf(ps)
	if err != nil || app == nil {
		return nil
	}
	for _, h := range app.Handlers {
		if h.File != d.Path || off < h.DecoStart || off > h.NameEnd {
			continue
		}
		stage := s.currentSettings().EffectiveStage()
		var b strings.Builder
		fmt.Fprintf(&b, "**Chalice %s** `%s` — config name `%s`\n\n", h.Kind, h.PyFunc, h.Name)
		var ids []string
		for _, r := range predict.Resources(app, s.configOf(ps), predict.Options{Stage: stage}) {
			if r.Function == h.Name {
				ids = append(ids, fmt.Sprintf("`%s` (%s)", r.LogicalID, r.Type))
			}
		}
		if len(ids) > 0 {
			fmt.Fprintf(&b, "Logical IDs (for `get_resource`): %s\n\n", strings.Join(ids, ", "))
		}
		root := s.configOf(ps)
		for _, k := range []struct{ key, label, unit string }{{"lambda_memory_size", "Memory", " MB"}, {"lambda_timeout", "Timeout", " s"}} {
			if v := effective.Resolve(root, stage, h.Name, k.key, nil); v.Found {
				fmt.Fprintf(&b, "- %s (stage %s): %v%s from %s\n", k.label, stage, v.Value, k.unit, v.Level)
			}
		}
		r := s.toRange(d.Mapper(), h.NameStart, h.NameEnd)
		return &protocol.Hover{Contents: s.markup(b.String()), Range: &r}
	}
	return nil
}
