package server

// Structural features of .chalice/config.json (outline, folding, selection ranges,
// formatting, policy file links): thin handlers over lsp/jsonfeatures, which works
// in byte offsets; positions are converted here, in the negotiated encoding.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/jsonfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/rules"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// structureCaps is what the client said about the structural features.
type structureCaps struct {
	hierarchicalSymbols bool
	lineFoldingOnly     bool
	foldingRangeLimit   int
	// dynamicFormatting: the client registers formatting providers dynamically,
	// so formatting is registered for config.json only (see registerFormatting).
	dynamicFormatting bool
	linkTooltips      bool
}

func structureCapsOf(c protocol.ClientCapabilities) structureCaps {
	var sc structureCaps
	td := c.TextDocument
	if td == nil {
		return sc
	}
	if ds := td.DocumentSymbol; ds != nil && ds.HierarchicalDocumentSymbolSupport != nil {
		sc.hierarchicalSymbols = *ds.HierarchicalDocumentSymbolSupport
	}
	if fr := td.FoldingRange; fr != nil {
		sc.lineFoldingOnly = fr.LineFoldingOnly != nil && *fr.LineFoldingOnly
		if fr.RangeLimit != nil {
			sc.foldingRangeLimit = int(*fr.RangeLimit)
		}
	}
	sc.linkTooltips = td.DocumentLink != nil && td.DocumentLink.TooltipSupport != nil && *td.DocumentLink.TooltipSupport
	sc.dynamicFormatting = td.Formatting != nil && td.Formatting.DynamicRegistration != nil && *td.Formatting.DynamicRegistration &&
		td.RangeFormatting != nil && td.RangeFormatting.DynamicRegistration != nil && *td.RangeFormatting.DynamicRegistration
	return sc
}

// advertiseStructure fills in the capabilities of the structural features.
// Formatting is advertised statically only to clients that cannot register it
// dynamically: a static formatting provider covers every document the client sends
// (in VS Code: Python and Go too), where chalice-lsp would compete with the user's
// Python formatter.
func (s *Server) advertiseStructure(c *protocol.ServerCapabilities) {
	c.DocumentSymbolProvider = &protocol.DocumentSymbolOptions{Label: ptr("Chalice config")}
	c.FoldingRangeProvider = protocol.Boolean(true)
	c.SelectionRangeProvider = protocol.Boolean(true)
	c.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
	if !s.scaps.dynamicFormatting {
		c.DocumentFormattingProvider = protocol.Boolean(true)
		c.DocumentRangeFormattingProvider = protocol.Boolean(true)
	}
}

// configSelector selects config.json, by the VS Code extension's language id or by
// path (for clients that call it json).
const configSelector = `[{"language":"chalice-config"},{"pattern":"**/.chalice/config.json"}]`

// registerFormatting registers formatting and range formatting for config.json.
func (s *Server) registerFormatting(ctx context.Context) {
	if !s.scaps.dynamicFormatting {
		return
	}
	opts := protocol.LSPAny(`{"documentSelector":` + configSelector + `}`)
	err := s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{
		{ID: "chalice-lsp-format", Method: protocol.MethodTextDocumentFormatting, RegisterOptions: opts},
		{ID: "chalice-lsp-range-format", Method: protocol.MethodTextDocumentRangeFormatting, RegisterOptions: opts},
	}})
	if err != nil && ctx.Err() == nil {
		s.logf(protocol.MessageTypeLog, "could not register formatting for config.json: %v", err)
	}
}

// configDoc returns the open config.json document and its (possibly partial) tree.
func (s *Server) configDoc(u uri.URI) (*overlay.Document, *jsonpos.Node) {
	snap, d := s.view(u)
	if d == nil || classify(d.Path) != kindConfig {
		return nil, nil
	}
	if a := s.analysis(snap, d); a.cfgRoot != nil {
		return d, a.cfgRoot
	}
	root, _ := jsonpos.Parse(d.Content)
	return d, root
}

// DocumentSymbol implements protocol.Server: the outline and breadcrumbs.
func (s *Server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	start := time.Now()
	defer func() { s.lat.record("documentSymbol", time.Since(start)) }()
	d, root := s.configDoc(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	syms, truncated := jsonfeatures.Symbols(root, jsonfeatures.DefaultSymbolLimit)
	if truncated {
		// Debug level: the outline is requested after every edit.
		s.logf(protocol.MessageTypeLog, "%s: the outline shows the first %d members (breadth first); the file has more", d.Path, jsonfeatures.DefaultSymbolLimit)
	}
	m := d.Mapper()
	if s.scaps.hierarchicalSymbols {
		return protocol.DocumentSymbolSlice(s.toDocumentSymbols(m, syms)), nil
	}
	var flat protocol.SymbolInformationSlice
	var walk func([]jsonfeatures.Symbol)
	walk = func(ss []jsonfeatures.Symbol) {
		for _, sy := range ss {
			si := protocol.SymbolInformation{Location: protocol.Location{URI: d.URI, Range: s.toRange(m, sy.Start, sy.End)}}
			si.Name, si.Kind = sy.Name, symbolKind(sy.Kind)
			if sy.Container != "" {
				si.ContainerName = ptr(sy.Container)
			}
			flat = append(flat, si)
			walk(sy.Children)
		}
	}
	walk(syms)
	if flat == nil {
		flat = protocol.SymbolInformationSlice{}
	}
	return flat, nil
}

func (s *Server) toDocumentSymbols(m *text.Mapper, syms []jsonfeatures.Symbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, len(syms))
	for i, sy := range syms {
		ds := protocol.DocumentSymbol{
			Name: sy.Name, Kind: symbolKind(sy.Kind),
			Range: s.toRange(m, sy.Start, sy.End), SelectionRange: s.toRange(m, sy.SelStart, sy.SelEnd),
		}
		if sy.Detail != "" {
			detail := sy.Detail
			ds.Detail = &detail
		}
		if len(sy.Children) > 0 {
			ds.Children = s.toDocumentSymbols(m, sy.Children)
		}
		out[i] = ds
	}
	return out
}

func symbolKind(k jsonfeatures.SymbolKind) protocol.SymbolKind {
	switch k {
	case jsonfeatures.ObjectSymbol:
		return protocol.SymbolKindObject
	case jsonfeatures.ArraySymbol:
		return protocol.SymbolKindArray
	case jsonfeatures.StringSymbol:
		return protocol.SymbolKindString
	case jsonfeatures.NumberSymbol:
		return protocol.SymbolKindNumber
	case jsonfeatures.BooleanSymbol:
		return protocol.SymbolKindBoolean
	case jsonfeatures.NullSymbol:
		return protocol.SymbolKindNull
	}
	return protocol.SymbolKindKey
}

// FoldingRanges implements protocol.Server (textDocument/foldingRange).
func (s *Server) FoldingRanges(ctx context.Context, p *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	start := time.Now()
	defer func() { s.lat.record("foldingRange", time.Since(start)) }()
	d, root := s.configDoc(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	m := d.Mapper()
	folds := jsonfeatures.Folds(d.Content, root, m, jsonfeatures.FoldOptions{LineFoldingOnly: s.scaps.lineFoldingOnly, RangeLimit: s.scaps.foldingRangeLimit})
	out := make([]protocol.FoldingRange, 0, len(folds))
	for _, f := range folds {
		fr := protocol.FoldingRange{StartLine: uint32(f.StartLine), EndLine: uint32(f.EndLine)}
		if !s.scaps.lineFoldingOnly {
			sc, ec := s.toPos(m, f.StartOffset).Character, s.toPos(m, f.EndOffset).Character
			fr.StartCharacter, fr.EndCharacter = &sc, &ec
		}
		out = append(out, fr)
	}
	return out, nil
}

// SelectionRange implements protocol.Server.
func (s *Server) SelectionRange(ctx context.Context, p *protocol.SelectionRangeParams) ([]protocol.SelectionRange, error) {
	d, root := s.configDoc(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	m := d.Mapper()
	out := make([]protocol.SelectionRange, len(p.Positions))
	for i, pos := range p.Positions {
		spans := jsonfeatures.Selection(d.Content, root, s.toOffset(m, pos))
		if len(spans) == 0 {
			out[i] = protocol.SelectionRange{Range: protocol.Range{Start: pos, End: pos}}
			continue
		}
		var parent *protocol.SelectionRange
		for j := len(spans) - 1; j > 0; j-- {
			parent = &protocol.SelectionRange{Range: s.toRange(m, spans[j].Start, spans[j].End), Parent: parent}
		}
		out[i] = protocol.SelectionRange{Range: s.toRange(m, spans[0].Start, spans[0].End), Parent: parent}
	}
	return out, nil
}

// Formatting implements protocol.Server.
func (s *Server) Formatting(ctx context.Context, p *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	return s.format(p.TextDocument.URI, p.Options, nil)
}

// RangeFormatting implements protocol.Server.
func (s *Server) RangeFormatting(ctx context.Context, p *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	return s.format(p.TextDocument.URI, p.Options, &p.Range)
}

// format formats config.json with VS Code's JSON formatter semantics (keepLines).
// A document with a syntax error is not formatted: the answer is "no edits" plus a
// window/showMessage saying where the error is. An error response would be wrong
// (the request did not fail), and clients show it poorly: vscode-languageclient
// logs it to the output channel, so Format Document would silently do nothing.
func (s *Server) format(u uri.URI, o protocol.FormattingOptions, r *protocol.Range) ([]protocol.TextEdit, error) {
	start := time.Now()
	defer func() { s.lat.record("formatting", time.Since(start)) }()
	d := s.docs.Get(u)
	if d == nil || classify(d.Path) != kindConfig {
		return nil, nil
	}
	_, errs := jsonpos.Parse(d.Content)
	m := d.Mapper()
	rs, re := -1, -1
	if r != nil {
		rs, re = s.toOffset(m, r.Start), s.toOffset(m, r.End)
	}
	fo := jsonfeatures.FormatOptions{TabSize: int(o.TabSize), InsertSpaces: o.InsertSpaces, KeepLines: true}
	if o.InsertFinalNewline != nil {
		fo.InsertFinalNewline = *o.InsertFinalNewline
	}
	edits, err := jsonfeatures.Format(d.Content, errs, rs, re, fo)
	if refusal, ok := err.(*jsonfeatures.SyntaxErrorRefusal); ok {
		pos := m.Position(refusal.Offset, text.UTF32)
		s.showf(protocol.MessageTypeWarning, "%s was not formatted: it has a syntax error at line %d, column %d (%s). Fix it, then format again.",
			displayPath(d.Path), pos.Line+1, pos.Character+1, refusal.Msg)
		return []protocol.TextEdit{}, nil
	}
	out := make([]protocol.TextEdit, len(edits))
	for i, e := range edits {
		out[i] = protocol.TextEdit{Range: s.toRange(m, e.Start, e.End), NewText: e.Text}
	}
	return out, nil
}

// displayPath names config.json with its project directory, as users know it.
func displayPath(path string) string {
	return filepath.Join(filepath.Base(filepath.Dir(filepath.Dir(path))), ".chalice", filepath.Base(path))
}

// DocumentLink implements protocol.Server: iam_policy_file and
// api_gateway_policy_file values link to the file in .chalice/ when it exists (a
// missing one has its diagnostic from schema/rules instead).
func (s *Server) DocumentLink(ctx context.Context, p *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	d, root := s.configDoc(p.TextDocument.URI)
	if d == nil || d.Path == "" {
		return nil, nil
	}
	projectDir := filepath.Dir(filepath.Dir(d.Path))
	m := d.Mapper()
	out := []protocol.DocumentLink{}
	for _, l := range jsonfeatures.Links(d.Content, root) {
		path := rules.PolicyFilePath(projectDir, l.File)
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			continue
		}
		target := uri.File(path)
		link := protocol.DocumentLink{Range: s.toRange(m, l.Start, l.End), Target: &target}
		if s.scaps.linkTooltips {
			link.Tooltip = ptr(fmt.Sprintf("Open the policy file %s reads (.chalice/%s)", l.Key, l.File))
		}
		out = append(out, link)
	}
	return out, nil
}
