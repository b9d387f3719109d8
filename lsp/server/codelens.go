package server

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"go.lsp.dev/protocol"
)

// CodeLens implements protocol.Server: on every Chalice construct call in CDK
// code, what it creates (project, stage, resource count, predicted / packaged Ns
// ago / stale, lsp/cdkfeatures.Lenses) and the two preview commands. The commands
// are the same as the code actions' (commands.go): packaging from a lens in an
// untrusted workspace still asks the user first (trust.go confirmPackaging),
// because a lens never carries CommandArgs.Confirmed.
//
// Only advertised to clients that declared textDocument.codeLens; Helix and eglot,
// which have none, get the same information in the code actions' titles.
func (s *Server) CodeLens(ctx context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	out := []protocol.CodeLens{}
	snap, d := s.view(p.TextDocument.URI)
	if d == nil {
		return out, nil
	}
	if k := classify(d.Path); k != kindPython && k != kindGo {
		return out, nil
	}
	// app.py: the logical IDs of each handler (for clients without inlay hints,
	// or when chalice.codeLens.appIds says so).
	out = append(out, s.appIDLenses(snap, d)...)
	f := cdkOf(snap, d)
	if f == nil {
		return out, nil
	}
	m := d.Mapper()
	for _, l := range cdkfeatures.Lenses(snap, f.an, time.Now()) {
		off := l.Start
		raw, err := json.Marshal(CommandArgs{URI: string(d.URI), Offset: &off})
		if err != nil {
			continue
		}
		// A lens shows on the call's first line; its range is the call.
		r := s.toRange(m, l.Start, l.End)
		args := []protocol.LSPAny{raw}
		out = append(out,
			// The information lens runs nothing: an empty command is shown as text.
			protocol.CodeLens{Range: r, Command: protocol.Command{Title: l.Title}},
			protocol.CodeLens{Range: r, Command: protocol.Command{Title: "Package & preview template", Command: CmdPackagePreview, Arguments: args}},
			protocol.CodeLens{Range: r, Command: protocol.Command{Title: "Preview effective config", Command: CmdEffectiveConfig, Arguments: args}},
		)
	}
	return out, nil
}

// refreshDependents asks the client to re-request what depends on a packaging
// result (code lenses, inlay hints, pulled diagnostics), each only when the client
// declared refreshSupport for it.
func (s *Server) refreshDependents() {
	if s.caps.codeLensRefresh {
		go func() { _ = s.client.CodeLensRefresh(s.ctx) }()
	}
	if s.caps.inlayHintRefresh {
		go func() { _ = s.client.InlayHintRefresh(s.ctx) }()
	}
	s.refreshPulled()
}
