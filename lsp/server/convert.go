package server

import (
	"encoding/json"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
)

// Conversions between byte offsets (what every analysis uses) and LSP positions in
// the negotiated encoding. They happen only here, at the edge.

func (s *Server) toPos(m *text.Mapper, off int) protocol.Position {
	p := m.Position(off, s.enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Character)}
}

func (s *Server) toRange(m *text.Mapper, start, end int) protocol.Range {
	return protocol.Range{Start: s.toPos(m, start), End: s.toPos(m, end)}
}

func (s *Server) toOffset(m *text.Mapper, p protocol.Position) int {
	return m.Offset(text.Position{Line: int(p.Line), Character: int(p.Character)}, s.enc)
}

func fromProtoRange(r protocol.Range) text.Range {
	return text.Range{
		Start: text.Position{Line: int(r.Start.Line), Character: int(r.Start.Character)},
		End:   text.Position{Line: int(r.End.Line), Character: int(r.End.Character)},
	}
}

// diagData rides in Diagnostic.data (for clients that declared dataSupport) and in
// the server's own copy of each diagnostic, which quick fixes use.
type diagData struct {
	Suggestions []string `json:"suggestions,omitempty"`
}

func (s *Server) toDiagnostic(m *text.Mapper, d diag.Diagnostic, source string) protocol.Diagnostic {
	pd := protocol.Diagnostic{
		Range:    s.toRange(m, d.Start, d.End),
		Severity: protocol.DiagnosticSeverity(d.Severity),
		Source:   protocol.NewOptional(source),
		Message:  protocol.String(d.Message),
	}
	if d.Code != "" {
		pd.Code = protocol.String(d.Code)
	}
	if len(d.Suggestions) > 0 {
		if raw, err := json.Marshal(diagData{Suggestions: d.Suggestions}); err == nil {
			pd.Data = raw
		}
	}
	return pd
}

func (s *Server) toDiagnostics(m *text.Mapper, ds []diag.Diagnostic, source string) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(ds))
	for _, d := range ds {
		out = append(out, s.toDiagnostic(m, d, source))
	}
	return out
}

// forClient prepares diagnostics for the wire: Diagnostic.data (the suggestions
// quick fixes use) only goes to clients that declared dataSupport. The server keeps
// its own copy with data, so quick fixes never depend on what the client echoes.
func (s *Server) forClient(ds []protocol.Diagnostic) []protocol.Diagnostic {
	if s.caps.diagnosticData {
		return ds
	}
	out := make([]protocol.Diagnostic, len(ds))
	for i, d := range ds {
		d.Data = nil
		out[i] = d
	}
	return out
}
