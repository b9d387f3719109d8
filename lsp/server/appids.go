package server

import (
	"context"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/lsp/appfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Logical IDs where users write code (issue #13): inlay hints after each
// Chalice decorator, hover on handlers, references to an ID across CDK code,
// app.py, config.json and the packaged template, and workspace symbols. The
// answers are lsp/appfeatures' pure functions of the current snapshot; this
// file only converts offsets and builds protocol values.

// appIDCaps are the optional client capabilities these features depend on.
type appIDCaps struct {
	inlayHints bool
}

func appIDCapsOf(c protocol.ClientCapabilities) appIDCaps {
	return appIDCaps{inlayHints: c.TextDocument != nil && c.TextDocument.InlayHint != nil}
}

// advertiseAppIDs adds the providers; inlay hints only to clients that declared
// them (a client without the capability must not receive the provider).
func (s *Server) advertiseAppIDs(caps *protocol.ServerCapabilities) {
	caps.ReferencesProvider = protocol.Boolean(true)
	caps.WorkspaceSymbolProvider = protocol.Boolean(true)
	if s.icaps.inlayHints {
		caps.InlayHintProvider = protocol.Boolean(true)
	}
}

// InlayHint implements protocol.Server: the IDs each decorator in the range creates.
func (s *Server) InlayHint(ctx context.Context, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	start := time.Now()
	defer func() { s.lat.record("inlayHint", time.Since(start)) }()
	snap, d := s.view(p.TextDocument.URI)
	if d == nil || classify(d.Path) != kindPython {
		return nil, nil
	}
	m := d.Mapper()
	from, to := s.toOffset(m, p.Range.Start), s.toOffset(m, p.Range.End)
	hints := appfeatures.InlayHints(snap, d.Path, from, to)
	yes := true
	out := make([]protocol.InlayHint, 0, len(hints))
	for _, h := range hints {
		out = append(out, protocol.InlayHint{
			Position:    s.toRange(m, h.Offset, h.Offset).Start,
			Label:       protocol.String(h.Label),
			PaddingLeft: &yes,
			Tooltip:     s.completionDoc(h.Tooltip),
		})
	}
	return out, nil
}

// References implements protocol.Server for logical IDs.
func (s *Server) References(ctx context.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	snap, d := s.view(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	off := s.toOffset(d.Mapper(), p.Position)
	r, ok := appfeatures.References(snap, d.Path, off, p.Context.IncludeDeclaration)
	if !ok {
		return nil, nil
	}
	return s.locations(r.Locations), nil
}

// Symbols implements protocol.Server (workspace/symbol): every logical ID of
// every project, matched by ID, handler or function name.
func (s *Server) Symbols(ctx context.Context, p *protocol.WorkspaceSymbolParams) (protocol.WorkspaceSymbolResult, error) {
	syms := appfeatures.WorkspaceSymbols(s.snapshot(), p.Query)
	out := make(protocol.SymbolInformationSlice, 0, len(syms))
	mappers := map[string]*text.Mapper{}
	for _, sy := range syms {
		l := s.location(mappers, sy.Location)
		container := sy.Container + " · " + sy.Type
		out = append(out, protocol.SymbolInformation{
			BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sy.ID, Kind: protocol.SymbolKindConstant,
				ContainerName: &container},
			Location: l,
		})
	}
	return out, nil
}

// locations converts feature locations to the protocol's.
func (s *Server) locations(ls []cdkfeatures.Location) []protocol.Location {
	out := make([]protocol.Location, 0, len(ls))
	mappers := map[string]*text.Mapper{}
	for _, l := range ls {
		out = append(out, s.location(mappers, l))
	}
	return out
}

// location converts l, with one line index per file for the whole answer
// (mappers: by path; a file's content is the same throughout one snapshot):
// references and workspace symbols return many hits in the same app.py.
func (s *Server) location(mappers map[string]*text.Mapper, l cdkfeatures.Location) protocol.Location {
	m := mappers[l.Path]
	if m == nil {
		m = text.NewMapper(l.Content)
		mappers[l.Path] = m
	}
	return protocol.Location{URI: uri.File(l.Path), Range: s.toRange(m, l.Start, l.End)}
}

// appIDLenses are the logical-ID lenses of app.py (or a blueprint module) d:
// by default only for clients without inlay hints, as setting
// chalice.codeLens.appIds says. CodeLens (codelens.go) appends them for Python
// files that are not CDK code.
func (s *Server) appIDLenses(snap *analysis.Snapshot, d *overlay.Document) []protocol.CodeLens {
	if classify(d.Path) != kindPython || !appfeatures.ShowLenses(snap.Settings().AppIDLenses, s.icaps.inlayHints) {
		return nil
	}
	m := d.Mapper()
	var out []protocol.CodeLens
	for _, l := range appfeatures.Lenses(snap, d.Path) {
		// Informational: an empty command is shown as text and runs nothing.
		out = append(out, protocol.CodeLens{Range: s.toRange(m, l.Start, l.End), Command: protocol.Command{Title: l.Title}})
	}
	return out
}
