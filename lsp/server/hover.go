package server

import (
	"context"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/appfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
)

// Hover implements protocol.Server: config.json keys and values
// (configfeatures.HoverFile), logical IDs and stage_config keys in CDK code
// (cdkfeatures.HoverAt), Chalice decorators and handlers (appfeatures.HoverAt).
func (s *Server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	start := time.Now()
	defer func() { s.lat.record("hover", time.Since(start)) }()
	snap, d := s.view(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	m := d.Mapper()
	off := s.toOffset(m, p.Position)
	switch classify(d.Path) {
	case kindConfig:
		if !analyzable(d) {
			break
		}
		if h, ok := configfeatures.HoverFile(snap, d.Path, off); ok {
			return s.hover(m, h.Markdown, h.Start, h.End), nil
		}
	case kindPython, kindGo:
		if f := cdkOf(snap, d); f != nil {
			if h, ok := cdkfeatures.HoverAt(snap, f.an, off); ok {
				return s.hover(m, h.Markdown, h.Start, h.End), nil
			}
		}
		if classify(d.Path) == kindPython {
			if h, ok := appfeatures.HoverAt(snap, d.Path, off); ok {
				return s.hover(m, h.Markdown, h.Start, h.End), nil
			}
		}
	}
	return nil, nil
}

// hover is markdown md about the bytes [start, end) of the document m maps.
func (s *Server) hover(m *text.Mapper, md string, start, end int) *protocol.Hover {
	r := s.toRange(m, start, end)
	return &protocol.Hover{Contents: s.markup(md), Range: &r}
}
