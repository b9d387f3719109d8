// Package appfeatures answers editor questions about a Chalice app's Python
// code and the logical IDs it produces, as pure functions of an analysis
// snapshot: the IDs each decorated handler creates (inlay hints, hover), the
// effective per-function settings for the current stage with where each value
// comes from, references to a logical ID across the workspace and workspace
// symbols. Results are byte offsets into the files as the snapshot has them;
// the language server converts them at its edge.
package appfeatures

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
)

// ProjectTarget is the project packaged for the session's stage from
// config.json alone: what app.py's IDs are shown for.
func ProjectTarget(s *analysis.Snapshot, p *workspace.Project) analysis.Target {
	return analysis.Target{Project: p, Stage: s.Settings().EffectiveStage()}
}

// HandlerIDs is one decorated handler and the logical IDs it produces.
type HandlerIDs struct {
	Handler appmodel.Handler
	// IDs are the entries of the project's ID index that belong to the
	// handler, the Lambda function first.
	IDs []logicalid.Entry
	// Stale: the IDs come from a template whose inputs changed since.
	Stale bool
}

// Handlers returns the handlers defined in file (app.py or a blueprint module)
// with the IDs each produces, in source order; nil when file belongs to no
// project or its app cannot be parsed.
func Handlers(s *analysis.Snapshot, file string) []HandlerIDs {
	p := s.ProjectFor(file)
	if p == nil {
		return nil
	}
	app, err := s.App(p)
	if err != nil || app == nil {
		return nil
	}
	ix := s.IDIndex(ProjectTarget(s, p))
	var out []HandlerIDs
	for _, h := range app.Handlers {
		if h.File != file {
			continue
		}
		out = append(out, HandlerIDs{Handler: h, IDs: idsOf(ix, h), Stale: ix.Stale})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Handler.DecoStart < out[j].Handler.DecoStart })
	return out
}

// idsOf returns the entries of ix created for handler h: those of its
// config-level function that name h among their handlers (or name none, as
// the resources of a function packaged before the handler moved do).
func idsOf(ix *logicalid.Index, h appmodel.Handler) []logicalid.Entry {
	var fn, rest []logicalid.Entry
	for _, e := range ix.Entries {
		if e.Function != h.Name || !hasHandler(e, h) {
			continue
		}
		if e.Type == predict.TypeFunction {
			fn = append(fn, e)
		} else {
			rest = append(rest, e)
		}
	}
	return append(fn, rest...)
}

func hasHandler(e logicalid.Entry, h appmodel.Handler) bool {
	if len(e.Handlers) == 0 {
		return true
	}
	for _, x := range e.Handlers {
		if x.File == h.File && x.PyFunc == h.PyFunc {
			return true
		}
	}
	return false
}

// Hint is one inlay hint: Label shown at Offset (the end of the decorator),
// Tooltip the IDs with their types in Markdown.
type Hint struct {
	Offset  int
	Label   string
	Tooltip string
}

// InlayHints returns the hints of file whose offset lies in [start, end]:
// after each decorator, `APIHandler · AWS::Serverless::Function` for the
// function and the IDs of its other resources (`EveryHourEvent`).
func InlayHints(s *analysis.Snapshot, file string, start, end int) []Hint {
	var out []Hint
	for _, h := range Handlers(s, file) {
		if len(h.IDs) == 0 || h.Handler.DecoEnd < start || h.Handler.DecoEnd > end {
			continue
		}
		out = append(out, Hint{Offset: h.Handler.DecoEnd, Label: Label(h), Tooltip: idList(h)})
	}
	return out
}

// Label is the one-line summary of h's IDs: the first with its type, the
// others by ID, and "(stale)" when the template they come from is.
func Label(h HandlerIDs) string {
	if len(h.IDs) == 0 {
		return ""
	}
	parts := []string{h.IDs[0].ID + " · " + h.IDs[0].Type}
	parts = append(parts, Events(h)...)
	for _, e := range h.IDs[1:] {
		parts = append(parts, e.ID)
	}
	l := strings.Join(parts, ", ")
	if h.Stale {
		l += " (stale)"
	}
	return l
}

// Events are the SAM event names of h's function (`EveryHourEvent`), known
// from the packaged template only: the prediction models top-level resources,
// not the Events map inside a function.
func Events(h HandlerIDs) []string {
	if len(h.IDs) == 0 || h.IDs[0].Resource == nil || h.IDs[0].Resource.Function == nil {
		return nil
	}
	var out []string
	for _, ev := range h.IDs[0].Resource.Function.Events {
		out = append(out, ev.Key)
	}
	return out
}

// idList lists h's IDs with type and provenance, one Markdown bullet each.
func idList(h HandlerIDs) string {
	var b strings.Builder
	for _, e := range h.IDs {
		src := "packaged"
		switch {
		case e.Predicted:
			src = "predicted"
		case h.Stale:
			src = "stale template"
		}
		fmt.Fprintf(&b, "- `%s` — `%s` (%s)\n", e.ID, e.Type, src)
		if e.Resource != nil && e.Resource.Function != nil {
			for _, ev := range e.Resource.Function.Events {
				fmt.Fprintf(&b, "  - event `%s` — `%s`\n", ev.Key, ev.Type)
			}
		}
	}
	return b.String()
}

// Hover is a hover's Markdown over [Start, End).
type Hover struct {
	Start, End int
	Markdown   string
}

// settingKeys are the per-function settings hover explains, in order.
var settingKeys = []struct{ key, label, unit string }{
	{"lambda_memory_size", "Memory", " MB"},
	{"lambda_timeout", "Timeout", " s"},
	{"manage_iam_role", "Manage IAM role", ""},
	{"iam_role_arn", "IAM role ARN", ""},
	{"iam_policy_file", "IAM policy file", ""},
	{"autogen_policy", "Generated policy", ""},
	{"environment_variables", "Environment", ""},
}

// HoverAt describes the handler whose decorator or function name contains
// off: its config name, the IDs it produces and its effective settings for
// the session's stage, each with the config level it comes from.
func HoverAt(s *analysis.Snapshot, file string, off int) (Hover, bool) {
	for _, h := range Handlers(s, file) {
		hd := h.Handler
		if off < hd.DecoStart || off > hd.NameEnd {
			continue
		}
		p := s.ProjectFor(file)
		stage := s.Settings().EffectiveStage()
		var b strings.Builder
		fmt.Fprintf(&b, "**Chalice %s** `%s` — config name `%s`\n\n", hd.Kind, hd.PyFunc, hd.Name)
		if len(h.IDs) > 0 {
			b.WriteString("Logical IDs (for `get_resource`, `get_function`, `get_role`):\n\n")
			b.WriteString(idList(h))
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Effective for stage `%s`:\n\n", stage)
		root := s.Config(p)
		for _, k := range settingKeys {
			v := effective.Resolve(root, stage, hd.Name, k.key, nil)
			if !v.Found {
				continue
			}
			if len(v.Entries) > 0 || k.key == "environment_variables" {
				fmt.Fprintf(&b, "- %s:%s\n", k.label, map[bool]string{true: " (none)", false: ""}[len(v.Entries) == 0])
				for _, e := range v.Entries {
					fmt.Fprintf(&b, "  - `%s` = `%v` — from %s\n", e.Name, e.Value, e.Level)
				}
				continue
			}
			fmt.Fprintf(&b, "- %s: `%v`%s — from %s\n", k.label, v.Value, k.unit, v.Level)
		}
		return Hover{Start: hd.NameStart, End: hd.NameEnd, Markdown: b.String()}, true
	}
	return Hover{}, false
}

// Lens is a code lens over a handler's decorator [Start, End) showing Title,
// the same summary as the inlay hint, for clients without inlay hints.
type Lens struct {
	Start, End int
	Title      string
}

// Lenses returns one lens per handler of file that produces logical IDs.
func Lenses(s *analysis.Snapshot, file string) []Lens {
	var out []Lens
	for _, h := range Handlers(s, file) {
		if len(h.IDs) > 0 {
			out = append(out, Lens{Start: h.Handler.DecoStart, End: h.Handler.DecoEnd, Title: Label(h)})
		}
	}
	return out
}

// ShowLenses decides whether app.py gets the logical-ID lenses for setting
// (settings.Settings.AppIDLenses) and a client with or without inlay hints.
func ShowLenses(setting string, clientHasInlayHints bool) bool {
	switch setting {
	case "always":
		return true
	case "never":
		return false
	}
	return !clientHasInlayHints
}
