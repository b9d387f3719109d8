package server

import (
	"context"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"go.lsp.dev/protocol"
)

// Hover implements protocol.Server.
func (s *Server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	start := time.Now()
	defer func() { s.lat.record("hover", time.Since(start)) }()
	d := s.docs.Get(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	a := s.analysis(d)
	m := d.Mapper()
	off := s.toOffset(m, p.Position)
	switch classify(d.Path) {
	case kindConfig:
		ps := s.projectForPath(d.Path)
		c := configfeatures.Context{Kind: schema.ConfigFile, Syntax: configfeatures.JSON, Functions: s.functionsOf(ps), FunctionsUnknown: s.functionsUnknownOf(ps), Stage: s.currentSettings().Stage}
		h, ok := configfeatures.HoverAt(a.cfgRoot, off, c)
		if !ok {
			return nil, nil
		}
		r := s.toRange(m, h.Start, h.End)
		return &protocol.Hover{Contents: s.markup(h.Markdown), Range: &r}, nil
	case kindPython, kindGo:
		if a.cdk != nil {
			if h := s.cdkHover(d, a.cdk, off); h != nil {
				return h, nil
			}
		}
		if classify(d.Path) == kindPython {
			return s.appHover(d, off), nil
		}
	}
	return nil, nil
}
