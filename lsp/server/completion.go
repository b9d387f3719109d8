package server

import (
	"context"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
)

// Completion implements protocol.Server. It answers from the current document
// version and what is already known about the project; it never waits for
// packaging.
func (s *Server) Completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error) {
	start := time.Now()
	defer func() { s.lat.record("completion", time.Since(start)) }()
	snap, d := s.view(p.TextDocument.URI)
	if d == nil {
		return &protocol.CompletionList{Items: []protocol.CompletionItem{}}, nil
	}
	m := d.Mapper()
	off := s.toOffset(m, p.Position)
	var items []protocol.CompletionItem
	switch classify(d.Path) {
	case kindConfig:
		if !analyzable(d) {
			break
		}
		items = s.toCompletionItems(m, configfeatures.CompleteFile(snap, d.Path, off, s.caps.snippets))
	case kindPython, kindGo:
		if f := cdkOf(snap, d); f != nil {
			if list := s.cdkCompletion(snap, f, off); list != nil {
				return list, nil
			}
		}
	}
	if items == nil {
		items = []protocol.CompletionItem{}
	}
	return &protocol.CompletionList{Items: items}, nil
}

func (s *Server) toCompletionItems(m *text.Mapper, its []configfeatures.Item) []protocol.CompletionItem {
	out := make([]protocol.CompletionItem, 0, len(its))
	for _, it := range its {
		kind := protocol.CompletionItemKindProperty
		switch it.Kind {
		case configfeatures.ValueItem:
			kind = protocol.CompletionItemKindValue
		case configfeatures.StageItem:
			kind = protocol.CompletionItemKindModule
		case configfeatures.FunctionItem:
			kind = protocol.CompletionItemKindFunction
		}
		ci := protocol.CompletionItem{
			Label:    it.Label,
			Kind:     kind,
			TextEdit: &protocol.TextEdit{Range: s.toRange(m, it.Start, it.End), NewText: it.Text},
		}
		if it.Detail != "" {
			ci.Detail = protocol.NewOptional(it.Detail)
		}
		if it.Doc != "" {
			ci.Documentation = s.completionDoc(it.Doc)
		}
		if it.SortText != "" {
			ci.SortText = protocol.NewOptional(it.SortText)
		}
		// Keys filter on the bare key (what eglot and omnifunc see as the typed
		// word); values on the text as inserted, whose replaced span may start with
		// a quote the label lacks, so the client does not hide the item.
		if it.FilterText != "" {
			ci.FilterText = protocol.NewOptional(it.FilterText)
		} else {
			ci.FilterText = protocol.NewOptional(it.Text)
		}
		for _, e := range it.Extra {
			ci.AdditionalTextEdits = append(ci.AdditionalTextEdits, protocol.TextEdit{Range: s.toRange(m, e.Start, e.End), NewText: e.Text})
		}
		if it.Snippet {
			ci.InsertTextFormat = protocol.InsertTextFormatSnippet
		}
		out = append(out, ci)
	}
	return out
}
