package servertest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
)

func (d *Doc) at(marker string) protocol.TextDocumentPositionParams {
	d.s.T.Helper()
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.URI}, Position: d.Pos(marker)}
}

// Completion is a completion answer.
type Completion struct {
	Items []protocol.CompletionItem
	// Defaults are the list's itemDefaults (nil for a bare array).
	Defaults *protocol.CompletionItemDefaults
}

// Labels returns the items' labels in the server's order.
func (c Completion) Labels() []string {
	out := make([]string, len(c.Items))
	for i, it := range c.Items {
		out[i] = it.Label
	}
	return out
}

// Item returns the item labelled label, or nil.
func (c Completion) Item(label string) *protocol.CompletionItem {
	for i := range c.Items {
		if c.Items[i].Label == label {
			return &c.Items[i]
		}
	}
	return nil
}

// Completion asks for completion at a marker.
func (d *Doc) Completion(marker string) Completion {
	d.s.T.Helper()
	res, err := d.s.Server.Completion(d.s.ctx(), &protocol.CompletionParams{TextDocumentPositionParams: d.at(marker)})
	if err != nil {
		d.s.T.Fatalf("completion at ⟨%s⟩ in %s: %v", marker, d.Name, err)
	}
	switch r := res.(type) {
	case *protocol.CompletionList:
		return Completion{Items: r.Items, Defaults: r.ItemDefaults}
	case protocol.CompletionItemSlice:
		return Completion{Items: r}
	}
	return Completion{}
}

// WantCompletion requires that completion at a marker offers every label of
// want and none of lack.
func (d *Doc) WantCompletion(marker string, want, lack []string) Completion {
	d.s.T.Helper()
	c := d.Completion(marker)
	got := c.Labels()
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, l := range lack {
		if slices.Contains(got, l) {
			extra = append(extra, l)
		}
	}
	if len(missing)+len(extra) > 0 {
		d.s.T.Errorf("completion at ⟨%s⟩ in %s: missing %q, unwanted %q; got %q", marker, d.Name, missing, extra, got)
	}
	return c
}

// Hover returns the hover text at a marker ("" when there is none).
func (d *Doc) Hover(marker string) string {
	d.s.T.Helper()
	res, err := d.s.Server.Hover(d.s.ctx(), &protocol.HoverParams{TextDocumentPositionParams: d.at(marker)})
	if err != nil {
		d.s.T.Fatalf("hover at ⟨%s⟩ in %s: %v", marker, d.Name, err)
	}
	if res == nil {
		return ""
	}
	switch c := res.Contents.(type) {
	case *protocol.MarkupContent:
		return c.Value
	case protocol.String:
		return string(c)
	}
	return fmt.Sprint(res.Contents)
}

// WantHover requires that the hover at a marker contains every fragment.
func (d *Doc) WantHover(marker string, fragments ...string) string {
	d.s.T.Helper()
	h := d.Hover(marker)
	for _, f := range fragments {
		if !strings.Contains(h, f) {
			d.s.T.Errorf("hover at ⟨%s⟩ in %s lacks %q:\n%s", marker, d.Name, f, h)
		}
	}
	return h
}

// Definition returns the definition locations at a marker.
func (d *Doc) Definition(marker string) []protocol.Location {
	d.s.T.Helper()
	res, err := d.s.Server.Definition(d.s.ctx(), &protocol.DefinitionParams{TextDocumentPositionParams: d.at(marker)})
	if err != nil {
		d.s.T.Fatalf("definition at ⟨%s⟩ in %s: %v", marker, d.Name, err)
	}
	switch r := res.(type) {
	case *protocol.Location:
		return []protocol.Location{*r}
	case protocol.LocationSlice:
		return r
	}
	return nil
}

// WantDefinition requires the definition at a marker to be exactly the given
// targets, each "file#name" naming a marker in an archive file (Session.Location).
func (d *Doc) WantDefinition(marker string, targets ...string) {
	d.s.T.Helper()
	var want []protocol.Location
	for _, t := range targets {
		file, name, ok := strings.Cut(t, "#")
		if !ok {
			d.s.T.Fatalf("definition target %q: want file#name", t)
		}
		want = append(want, d.s.Location(file, name))
	}
	got := d.Definition(marker)
	if g, w := d.s.locString(got), d.s.locString(want); g != w {
		d.s.T.Errorf("definition at ⟨%s⟩ in %s:\n got %s\nwant %s", marker, d.Name, g, w)
	}
}

// locString shows locations as sorted "path:line:col-line:col" (0-based),
// paths relative to the workspace root when they are below it.
func (s *Session) locString(ls []protocol.Location) string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s:%d:%d-%d:%d", s.Rel(l.URI), l.Range.Start.Line, l.Range.Start.Character, l.Range.End.Line, l.Range.End.Character))
	}
	sort.Strings(out)
	return "[" + strings.Join(out, " ") + "]"
}

// CodeActions returns the code actions for a range marker with the given
// diagnostics in the context.
func (d *Doc) CodeActions(rangeName string, diags ...protocol.Diagnostic) []*protocol.CodeAction {
	d.s.T.Helper()
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	r := d.Range(rangeName)
	res, err := d.s.Server.CodeAction(d.s.ctx(), &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.URI}, Range: r, Context: protocol.CodeActionContext{Diagnostics: diags}})
	if err != nil {
		d.s.T.Fatalf("codeAction at ⟦%s⟧ in %s: %v", rangeName, d.Name, err)
	}
	var out []*protocol.CodeAction
	for _, a := range res {
		if ca, ok := a.(*protocol.CodeAction); ok {
			out = append(out, ca)
		}
	}
	return out
}

// InlayHints returns the document's inlay hints as "label @ line text before
// the hint", in the server's order.
func (d *Doc) InlayHints() []string {
	d.s.T.Helper()
	end := protocol.Position{Line: uint32(strings.Count(d.Text, "\n") + 1)}
	hs, err := d.s.Server.InlayHint(d.s.ctx(), &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: d.URI}, Range: protocol.Range{End: end}})
	if err != nil {
		d.s.T.Fatalf("inlayHint in %s: %v", d.Name, err)
	}
	var out []string
	for _, h := range hs {
		off := d.s.spanOf(d.Text, protocol.Range{Start: h.Position, End: h.Position}).Start
		line := d.Text[strings.LastIndex(d.Text[:off], "\n")+1 : off]
		label := fmt.Sprint(h.Label)
		if s, ok := h.Label.(protocol.String); ok {
			label = string(s)
		}
		out = append(out, label+" @ "+line)
	}
	return out
}

// ExecuteCommand runs a command and decodes its result into out (may be nil).
func (s *Session) ExecuteCommand(cmd protocol.Command, out any) {
	s.T.Helper()
	res, err := s.Server.ExecuteCommand(s.ctx(), &protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments})
	if err != nil {
		s.T.Fatalf("%s: %v", cmd.Command, err)
	}
	if out != nil {
		if err := json.Unmarshal(res, out); err != nil {
			s.T.Fatalf("%s result %s: %v", cmd.Command, res, err)
		}
	}
}
