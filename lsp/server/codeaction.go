package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// kindPreview is the code action kind of the preview commands.
const kindPreview = protocol.CodeActionKind("source.chalice")

// CodeAction implements protocol.Server: did-you-mean quick fixes for diagnostics
// that carry suggestions, and the preview commands in config.json and on CDK
// construct calls.
//
// What reaches the client is only what it declared (issue #11 D8): clients without
// codeActionLiteralSupport get Command[] (the preview commands; an edit cannot be
// a bare command), isPreferred only with isPreferredSupport.
func (s *Server) CodeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	snap, d := s.view(p.TextDocument.URI)
	out := []protocol.CommandOrCodeAction{}
	want := func(k protocol.CodeActionKind) bool {
		if len(p.Context.Only) == 0 {
			return true
		}
		for _, o := range p.Context.Only {
			if o == k || len(k) > len(o) && k[:len(o)] == o && k[len(o)] == '.' {
				return true
			}
		}
		return false
	}
	if want(protocol.CodeActionKindQuickFix) && s.caps.codeActionLiterals {
		// Quick fixes come from our own diagnostics: make sure they are those of the
		// version the client sees (the analyzer may not have caught up with an edit).
		if d != nil && s.diags.version(d.URI) != d.Version {
			s.analyzeNow(snap, d)
		}
		out = append(out, s.quickFixes(p)...)
	}
	if d == nil || !want(kindPreview) {
		return out, nil
	}
	m := d.Mapper()
	start, end := s.toOffset(m, p.Range.Start), s.toOffset(m, p.Range.End)
	if end < start {
		start, end = end, start
	}
	switch classify(d.Path) {
	case kindConfig:
		if snap.ProjectFor(d.Path) == nil {
			break
		}
		stage := snap.Settings().EffectiveStage()
		if loc := jsonpos.Locate(s.analysis(snap, d).cfgRoot, start); len(loc.Path) >= 2 && loc.Path[0] == "stages" {
			stage = loc.Path[1]
		} else if loc.Member != nil && len(loc.Path) == 1 && loc.Path[0] == "stages" {
			stage = loc.Member.Key
		}
		out = append(out, s.previewActions(snap, p, CommandArgs{URI: string(d.URI), Stage: stage}, "stage "+stage)...)
	case kindPython, kindGo:
		f := cdkOf(snap, d)
		if f == nil {
			break
		}
		// An explicit source request (VS Code "Source Action…") is about the whole
		// file: offer every construct in it.
		whole := len(p.Context.Only) > 0
		// The titles carry what the code lens shows (project, stage, resource
		// count, freshness): Helix and eglot have no code lenses.
		info := map[int]string{}
		for _, l := range cdkfeatures.Lenses(snap, f.an, time.Now()) {
			info[l.Start] = l.Title
		}
		for _, c := range constructsTouching(snap, f.an, d.Content, start, end, whole) {
			o := c.C.CallStart
			what := info[o]
			if what == "" {
				what = fmt.Sprintf("%s, stage %s", c.Target.Project.Dir, c.Target.Stage)
			}
			out = append(out, s.previewActions(snap, p, CommandArgs{URI: string(d.URI), Offset: &o}, what)...)
		}
	}
	return out, nil
}

// quickFixes offers the did-you-mean suggestions of the diagnostics in the request.
// Each client diagnostic is matched to the server's own copy (by code and message,
// on the same line), whose range and suggestions are used: clients echo ranges in
// their own units (Neovim up to 0.9 echoes byte columns), and Diagnostic.data only
// survives in clients that declared dataSupport (issue #11 D6).
func (s *Server) quickFixes(p *protocol.CodeActionParams) []protocol.CommandOrCodeAction {
	own := s.diags.merged(p.TextDocument.URI)
	echoed := p.Context.Diagnostics
	if len(echoed) == 0 {
		// Some clients send no context diagnostics; use ours on the requested lines.
		for _, dg := range own {
			if dg.Range.Start.Line <= p.Range.End.Line && p.Range.Start.Line <= dg.Range.End.Line {
				echoed = append(echoed, dg)
			}
		}
	}
	var out []protocol.CommandOrCodeAction
	for _, dg := range echoed {
		mine, ok := matchDiagnostic(own, dg)
		if !ok {
			continue
		}
		var data diagData
		if len(mine.Data) == 0 || json.Unmarshal(mine.Data, &data) != nil {
			continue
		}
		for i, sug := range data.Suggestions {
			kind := protocol.CodeActionKindQuickFix
			ca := &protocol.CodeAction{
				Title:       fmt.Sprintf("Change to %s", sug),
				Kind:        &kind,
				Diagnostics: []protocol.Diagnostic{dg},
				Edit: &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{
					p.TextDocument.URI: {{Range: mine.Range, NewText: sug}},
				}},
			}
			if s.caps.isPreferred {
				pref := i == 0
				ca.IsPreferred = &pref
			}
			out = append(out, ca)
		}
	}
	return out
}

// matchDiagnostic finds the server's diagnostic a client echoed: same code and
// message, the exact range if one matches, else the same start line.
func matchDiagnostic(own []protocol.Diagnostic, dg protocol.Diagnostic) (protocol.Diagnostic, bool) {
	var sameLine *protocol.Diagnostic
	for i := range own {
		o := &own[i]
		if codeString(o.Code) != codeString(dg.Code) || messageString(o.Message) != messageString(dg.Message) {
			continue
		}
		if o.Range == dg.Range {
			return *o, true
		}
		if sameLine == nil && o.Range.Start.Line == dg.Range.Start.Line {
			sameLine = o
		}
	}
	if sameLine != nil {
		return *sameLine, true
	}
	return protocol.Diagnostic{}, false
}

// messageString is a diagnostic message's text (LSP 3.18 also allows markup).
func messageString(m any) string {
	switch m := m.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		if m != nil {
			return m.Value
		}
	}
	return ""
}

func codeString(c any) string {
	if c == nil {
		return ""
	}
	return fmt.Sprint(c)
}

// constructsTouching returns the constructs (with a project) whose statement the
// range [start, end] touches: the lines of the call that creates it (cursor at the
// line start, on `self.chalice`, Helix's `= Chalice(` selection, a linewise
// selection), or a line that uses it (its variable, or a logical-ID call that
// refers to it). all returns every construct.
func constructsTouching(snap *analysis.Snapshot, f *analysis.CDKFile, src []byte, start, end int, all bool) []*analysis.Construct {
	lineStart := func(o int) int { return bytes.LastIndexByte(src[:min(o, len(src))], '\n') + 1 }
	lineEnd := func(o int) int {
		o = min(o, len(src))
		if i := bytes.IndexByte(src[o:], '\n'); i >= 0 {
			return o + i
		}
		return len(src)
	}
	rs, re := lineStart(start), lineEnd(end)
	// A linewise selection ends at the start of the next line: that line is not in it.
	if end > start && end > 0 && end <= len(src) && src[end-1] == '\n' {
		re = end - 1
	}
	touches := func(a, b int) bool { return lineStart(a) <= re && rs <= lineEnd(b) }
	var out []*analysis.Construct
	seen := map[*analysis.Construct]bool{}
	add := func(c *analysis.Construct) {
		if c != nil && c.Target.Project != nil && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	selected := string(src[rs:max(rs, re)])
	for i := range f.Constructs {
		c := &f.Constructs[i]
		if all || touches(c.C.CallStart, c.C.CallEnd) || c.C.Var != "" && mentions(selected, c.C.Var) {
			add(c)
		}
	}
	for i := range f.File.IDRefs {
		ref := &f.File.IDRefs[i]
		if !touches(ref.Start, ref.End) {
			continue
		}
		t, ok := snap.TargetForRef(f, ref)
		if !ok {
			continue
		}
		for i := range f.Constructs {
			if c := &f.Constructs[i]; c.Target.Project != nil && c.Target.Project.Dir == t.Project.Dir && c.Target.Stage == t.Stage {
				add(c)
			}
		}
	}
	return out
}

// mentions reports whether text uses the variable v as a whole name.
func mentions(text, v string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], v)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isIdentByte(text[j-1])
		k := j + len(v)
		after := k >= len(text) || !isIdentByte(text[k])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// previewActions are the preview commands as code actions (or bare commands). In
// an untrusted workspace, automatic requests (code actions on save that a
// repository's settings ask for) get none: packaging runs the project's code, and
// the effective-config preview would open a document on every save (see trust.go).
func (s *Server) previewActions(snap *analysis.Snapshot, p *protocol.CodeActionParams, args CommandArgs, what string) []protocol.CommandOrCodeAction {
	raw, err := json.Marshal(args)
	if err != nil || !trusted(snap.Settings()) && automaticCodeAction(p) {
		return nil
	}
	pkg := protocol.Command{Title: "Package & preview template", Command: CmdPackagePreview, Arguments: []protocol.LSPAny{raw}}
	eff := protocol.Command{Title: "Preview effective config", Command: CmdEffectiveConfig, Arguments: []protocol.LSPAny{raw}}
	if !s.caps.codeActionLiterals {
		pkg.Title += " (" + what + ")"
		eff.Title += " (" + what + ")"
		return []protocol.CommandOrCodeAction{&pkg, &eff}
	}
	kind := kindPreview
	return []protocol.CommandOrCodeAction{
		&protocol.CodeAction{Title: "Package & preview template (" + what + ")", Kind: &kind, Command: pkg},
		&protocol.CodeAction{Title: "Preview effective config (" + what + ")", Kind: &kind, Command: eff},
	}
}
