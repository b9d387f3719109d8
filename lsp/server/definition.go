package server

import (
	"context"
	"slices"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Definition implements protocol.Server: from a logical ID in CDK code to the
// resource in the packaged template and to the handler in app.py; from a function
// name under lambda_functions in config.json to its handler(s).
func (s *Server) Definition(ctx context.Context, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	snap, d := s.view(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	off := s.toOffset(d.Mapper(), p.Position)
	var locs []protocol.Location
	if f := cdkOf(snap, d); f != nil {
		locs = s.cdkDefinition(snap, f, off)
	} else if classify(d.Path) == kindConfig {
		if a := s.analysis(snap, d); a.cfgRoot != nil {
			locs = s.functionDefinition(snap, d.Path, a.cfgRoot, off)
		}
	}
	if len(locs) == 0 {
		return nil, nil
	}
	return protocol.LocationSlice(locs), nil
}

// functionDefinition resolves a lambda_functions.<name> key of config.json file
// to its handlers.
func (s *Server) functionDefinition(snap *analysis.Snapshot, file string, root *jsonpos.Node, off int) []protocol.Location {
	loc := jsonpos.Locate(root, off)
	if loc.Container == nil || loc.Container.Kind != jsonpos.Object || len(loc.Path) == 0 || loc.Path[len(loc.Path)-1] != "lambda_functions" {
		return nil
	}
	var m *jsonpos.Member
	for i := range loc.Container.Members {
		if mm := &loc.Container.Members[i]; mm.KeyStart <= off && off <= mm.KeyEnd {
			m = mm
		}
	}
	proj := snap.ProjectFor(file)
	if m == nil || proj == nil {
		return nil
	}
	app, err := snap.App(proj)
	if err != nil || app == nil || !slices.Contains(app.FunctionNames(), m.Key) {
		return nil
	}
	var locs []protocol.Location
	for _, h := range app.HandlersNamed(m.Key) {
		src, err := snap.ReadFile(h.File)
		if err != nil {
			continue
		}
		m := text.NewMapper(src)
		locs = append(locs, protocol.Location{URI: uri.File(h.File), Range: s.toRange(m, h.NameStart, h.NameEnd)})
	}
	return locs
}
