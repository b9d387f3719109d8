// Package cdkfeatures answers editor questions about CDK code (Python and Go
// Chalice constructs) as pure functions of an analysis snapshot: logical-ID
// completion items, hovers on logical IDs and stage_config keys. Results are in
// byte offsets; the language server converts positions and builds protocol
// values at its edge (like lsp/configfeatures for config.json).
package cdkfeatures

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
)

// ConstructAt returns the resolved construct of f for the call c, or nil.
func ConstructAt(f *analysis.CDKFile, c *cdkcode.Construct) *analysis.Construct {
	for i := range f.Constructs {
		if f.Constructs[i].C.CallStart == c.CallStart {
			return &f.Constructs[i]
		}
	}
	return nil
}

// StageConfigContext is what configfeatures needs to complete or describe a
// stage_config literal of construct cc (nil: not resolved) in f.
func StageConfigContext(s *analysis.Snapshot, f *analysis.CDKFile, cc *analysis.Construct, snippets bool) configfeatures.Context {
	syn := configfeatures.Python
	if f.File.Lang == cdkcode.Go {
		syn = configfeatures.Go
	}
	c := configfeatures.Context{Kind: schema.StageConfig, Syntax: syn, Stage: s.Settings().Stage, Snippets: snippets}
	if cc != nil && cc.Target.Project != nil {
		c.Functions = s.Functions(cc.Target.Project)
		c.Config = s.Config(cc.Target.Project)
		c.Stage = cc.Target.Stage
		c.StageFrom = cc.Target.StageFrom
	}
	if cc != nil {
		c.Mode = cc.C.Flavour.Mode()
	}
	return c
}

// IDItem is one logical-ID completion candidate.
type IDItem struct {
	Label string // the logical ID
	// Text replaces the call's argument: the ID itself inside quotes, a quoted
	// literal (Python) or jsii.String("...") (Go) when the cursor is not in quotes.
	Text     string
	Detail   string // resource type, " (predicted)" or ", stale (packaged 12s ago)"
	Function string // the Chalice function name, if any
}

// IDCompletion is the logical-ID completion at a call site.
type IDCompletion struct {
	Ref   *cdkcode.IDRef
	Index *logicalid.Index
	Items []IDItem
	// Incomplete: entries were left out (logicalid.MaxCompletions); the list goes
	// out with isIncomplete so the client asks again as the user types.
	Incomplete bool
}

// CompleteID returns the logical IDs that fit the call site ref in f (the kind
// the method wants), or false when the site refers to no project.
func CompleteID(s *analysis.Snapshot, f *analysis.CDKFile, ref *cdkcode.IDRef) (IDCompletion, bool) {
	t, ok := s.TargetForRef(f, ref)
	if !ok {
		return IDCompletion{}, false
	}
	ix := s.IDIndex(t)
	want := analysis.ToKind(ref.Want)
	entries, incomplete := ix.Complete(ref.Text, want, logicalid.MaxCompletions)
	out := IDCompletion{Ref: ref, Index: ix, Items: make([]IDItem, 0, len(entries)), Incomplete: incomplete}
	// "stale (packaged 12s ago)": the list is cached per index (one snapshot), so
	// the age is that of the first request after the last change.
	fresh := Freshness(s, t, ix, time.Now())
	for _, e := range entries {
		text := e.ID
		if !ref.Quoted {
			text = quoteID(f.File.Lang, e.ID)
		}
		detail := e.Type
		switch {
		case e.Predicted:
			detail += " (predicted)"
		case ix.Stale:
			detail += ", " + fresh
		}
		out.Items = append(out.Items, IDItem{Label: e.ID, Text: text, Detail: detail, Function: e.Function})
	}
	return out, true
}

func quoteID(lang cdkcode.Lang, id string) string {
	if lang == cdkcode.Go {
		return `jsii.String("` + id + `")`
	}
	return `"` + id + `"`
}

// Hover is a hover text for the span Start..End.
type Hover struct {
	Markdown   string
	Start, End int
}

// HoverAt describes the logical ID (type, key properties, handlers) or the
// stage_config key at off in f.
func HoverAt(s *analysis.Snapshot, f *analysis.CDKFile, off int) (Hover, bool) {
	at := f.File.At(off)
	switch at.Kind {
	case cdkcode.InLogicalID:
		ref := at.IDRef
		t, ok := s.TargetForRef(f, ref)
		if !ok || ref.Text == "" {
			return Hover{}, false
		}
		ix := s.IDIndex(t)
		e := ix.Lookup(ref.Text)
		if e == nil {
			return Hover{}, false
		}
		return Hover{Markdown: EntryMarkdown(s, t, ix, e), Start: ref.Start, End: ref.End}, true
	case cdkcode.InStageConfig:
		cc := ConstructAt(f, at.Construct)
		h, ok := configfeatures.HoverAt(at.Construct.StageConfig, off, StageConfigContext(s, f, cc, false))
		if !ok {
			return Hover{}, false
		}
		return Hover{Markdown: h.Markdown, Start: h.Start, End: h.End}, true
	}
	return Hover{}, false
}

// EntryMarkdown describes logical ID e of target t.
func EntryMarkdown(s *analysis.Snapshot, t analysis.Target, ix *logicalid.Index, e *logicalid.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**`%s`** — `%s`\n\n", e.ID, e.Type)
	switch {
	case e.Predicted:
		b.WriteString("_Predicted from app.py; not in a packaged template yet._\n\n")
	case ix.Foreign:
		b.WriteString("_From a template packaged for another stage or stage_config of this app; settings below are resolved for this construct._\n\n")
	case ix.Stale:
		fmt.Fprintf(&b, "_From the last packaged template; inputs changed since: %s._\n\n", Freshness(s, t, ix, time.Now()))
	default:
		if st := s.Packaging(t.Key()); st != nil && st.Result != nil {
			fmt.Fprintf(&b, "_From the packaged template (stage %s, %s ago)._\n\n", t.Stage, time.Since(st.At).Round(time.Second))
		}
	}
	var fn *template.Function
	if e.Resource != nil {
		fn = e.Resource.Function
	}
	if fn != nil {
		fmt.Fprintf(&b, "- Handler: `%s`\n- Runtime: `%s`\n", fn.Handler, fn.Runtime)
		if !ix.Foreign {
			if fn.MemorySize != nil {
				fmt.Fprintf(&b, "- Memory: %d MB\n", *fn.MemorySize)
			}
			if fn.Timeout != nil {
				fmt.Fprintf(&b, "- Timeout: %d s\n", *fn.Timeout)
			}
		}
		for _, ev := range fn.Events {
			fmt.Fprintf(&b, "- Event: `%s` (%s)\n", ev.Key, ev.Type)
		}
		if fn.Role != "" {
			fmt.Fprintf(&b, "- Role: `%s`\n", fn.Role)
		}
		if len(fn.Layers) > 0 {
			fmt.Fprintf(&b, "- Layers: `%s`\n", strings.Join(fn.Layers, "`, `"))
		}
	}
	if e.Function != "" && (fn == nil || ix.Foreign) {
		// No template of this target: show what the config resolves to.
		root := s.Config(t.Project)
		for _, k := range []struct{ key, label, unit string }{{"lambda_memory_size", "Memory", " MB"}, {"lambda_timeout", "Timeout", " s"}} {
			v := effective.ResolveOverlay(root, t.Stage, e.Function, k.key, t.Overlay)
			if v.Found {
				fmt.Fprintf(&b, "- %s: %v%s (from %s)\n", k.label, v.Value, k.unit, v.Level)
			}
		}
	}
	if t.StageFrom != "" {
		fmt.Fprintf(&b, "- Chalice stage: `%s` (%s)\n", t.Stage, t.StageFrom)
	}
	if e.Function != "" {
		fmt.Fprintf(&b, "- Config name: `%s` (`lambda_functions.%s` in config.json)\n", e.Function, e.Function)
	}
	for i, h := range e.Handlers {
		if i == 5 {
			fmt.Fprintf(&b, "- … %d more handlers\n", len(e.Handlers)-5)
			break
		}
		rel, err := filepath.Rel(t.Project.Dir, h.File)
		if err != nil {
			rel = h.File
		}
		what := string(h.Kind)
		if h.Route != "" {
			what += " " + h.Route
		}
		fmt.Fprintf(&b, "- %s: `def %s` — %s\n", rel, h.PyFunc, what)
	}
	return b.String()
}
