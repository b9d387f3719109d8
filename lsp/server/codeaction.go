package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// kindPreview is the code action kind of the preview commands.
const kindPreview = protocol.CodeActionKind("source.chalice")

// CodeAction implements protocol.Server: did-you-mean quick fixes for diagnostics
// that carry suggestions, and the preview commands in config.json and on CDK
// construct calls.
func (s *Server) CodeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	d := s.docs.Get(p.TextDocument.URI)
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
	if want(protocol.CodeActionKindQuickFix) {
		for _, dg := range p.Context.Diagnostics {
			var data diagData
			if len(dg.Data) == 0 || json.Unmarshal(dg.Data, &data) != nil {
				continue
			}
			for i, sug := range data.Suggestions {
				kind := protocol.CodeActionKindQuickFix
				pref := i == 0
				out = append(out, &protocol.CodeAction{
					Title:       fmt.Sprintf("Change to %s", sug),
					Kind:        &kind,
					Diagnostics: []protocol.Diagnostic{dg},
					IsPreferred: &pref,
					Edit: &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{
						p.TextDocument.URI: {{Range: dg.Range, NewText: sug}},
					}},
				})
			}
		}
	}
	if d == nil || !want(kindPreview) {
		return out, nil
	}
	a := s.analysis(d)
	off := s.toOffset(d.Mapper(), p.Range.Start)
	switch classify(d.Path) {
	case kindConfig:
		if s.projectForPath(d.Path) == nil {
			break
		}
		stage := s.currentSettings().EffectiveStage()
		if loc := jsonpos.Locate(a.cfgRoot, off); len(loc.Path) >= 2 && loc.Path[0] == "stages" {
			stage = loc.Path[1]
		} else if loc.Member != nil && len(loc.Path) == 1 && loc.Path[0] == "stages" {
			stage = loc.Member.Key
		}
		out = append(out, s.previewActions(p, CommandArgs{URI: string(d.URI), Stage: stage}, "stage "+stage)...)
	case kindPython, kindGo:
		if a.cdk != nil {
			if t, ok := s.cdkTargetAtCall(a.cdk, off); ok {
				o := off
				out = append(out, s.previewActions(p, CommandArgs{URI: string(d.URI), Offset: &o}, fmt.Sprintf("%s, stage %s", t.ps.proj.Dir, t.stage))...)
			}
		}
	}
	return out, nil
}

// previewActions are the preview commands as code actions. Packaging runs the
// project's code, so an untrusted workspace gets it only when the user asked for
// code actions (see trust.go); the effective-config preview runs nothing.
func (s *Server) previewActions(p *protocol.CodeActionParams, args CommandArgs, what string) []protocol.CommandOrCodeAction {
	raw, err := json.Marshal(args)
	if err != nil {
		return nil
	}
	kind := kindPreview
	var out []protocol.CommandOrCodeAction
	if s.trusted() || !automaticCodeAction(p) {
		out = append(out, &protocol.CodeAction{Title: "Package & preview template (" + what + ")", Kind: &kind,
			Command: protocol.Command{Title: "Package & preview template", Command: CmdPackagePreview, Arguments: []protocol.LSPAny{raw}}})
	}
	return append(out, &protocol.CodeAction{Title: "Preview effective config (" + what + ")", Kind: &kind,
		Command: protocol.Command{Title: "Preview effective config", Command: CmdEffectiveConfig, Arguments: []protocol.LSPAny{raw}}})
}
