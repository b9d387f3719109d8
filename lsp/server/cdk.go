package server

import (
	"context"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/logicalid"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Diagnostic codes of CDK code (defined by the analysis core).
const (
	CodeUnknownLogicalID    = analysis.CodeUnknownLogicalID
	CodeWrongResourceKind   = analysis.CodeWrongResourceKind
	CodeIgnoredLambdaFns    = analysis.CodeIgnoredLambdaFns
	CodeSourceDirNotProject = analysis.CodeSourceDirNotProject
	CodeSourceDirUnresolved = analysis.CodeSourceDirUnresolved
)

// cdkFile is the analysis of a Python or Go CDK source file plus what each
// construct call resolves to.
type cdkFile struct {
	doc        *overlay.Document
	file       *cdkcode.File
	an         *analysis.CDKFile
	constructs []cdkConstruct

	// The last logical-ID completion list and its key (see cdkCompletion).
	mu       sync.Mutex
	compKey  string
	compList *protocol.CompletionList
}

type cdkConstruct struct {
	c      *cdkcode.Construct
	dir    string    // resolved source dir ("" unknown)
	target pkgTarget // target.ps nil when no project was found
	note   string    // why no project was found
}

// cdkFileOf wraps the core's CDK analysis of d with the server's packaging
// targets.
func (s *Server) cdkFileOf(d *overlay.Document, an *analysis.CDKFile) *cdkFile {
	cf := &cdkFile{doc: d, file: an.File, an: an}
	for _, c := range an.Constructs {
		cc := cdkConstruct{c: c.C, dir: c.Dir, note: c.Note}
		if c.Target.Project != nil {
			cc.target = s.pkgTargetOf(c.Target, d)
		}
		cf.constructs = append(cf.constructs, cc)
	}
	return cf
}

// pkgTargetOf is the server's packaging target for a core target.
func (s *Server) pkgTargetOf(t analysis.Target, cdkDoc *overlay.Document) pkgTarget {
	return pkgTarget{ps: s.project(t.Project), stage: t.Stage, stageFrom: t.StageFrom, stageConfig: t.StageConfig,
		overlay: t.Overlay, partial: t.Partial, cdkDoc: cdkDoc}
}

// core is t as the analysis core sees it.
func (t pkgTarget) core() analysis.Target {
	return analysis.Target{Project: t.ps.proj, Stage: t.stage, StageFrom: t.stageFrom, StageConfig: t.stageConfig, Overlay: t.overlay, Partial: t.partial}
}

// onlyProject returns the workspace's single Chalice project, or nil.
func (s *Server) onlyProject() *projectState {
	ps := s.ws.Projects()
	if len(ps) != 1 {
		return nil
	}
	return s.project(ps[0])
}

// packagerStageConfig is the stage config handed to the packager for t
// (analysis.Snapshot.PackagerStageConfig).
func (s *Server) packagerStageConfig(t pkgTarget) map[string]any {
	return s.snapshot().PackagerStageConfig(t.core())
}

func (s *Server) cdkTargets(f *cdkFile) []pkgTarget {
	var ts []pkgTarget
	for _, c := range f.constructs {
		if c.target.ps != nil {
			ts = append(ts, c.target)
		}
	}
	return ts
}

// cdkTargetAt returns the target of the construct call holding off, else the first
// construct with a project (off < 0: the first).
func (s *Server) cdkTargetAt(f *cdkFile, off int) (pkgTarget, bool) {
	if t, ok := s.cdkTargetAtCall(f, off); ok {
		return t, true
	}
	for _, c := range f.constructs {
		if c.target.ps != nil {
			return c.target, true
		}
	}
	if ps := s.onlyProject(); ps != nil && len(f.constructs) == 0 {
		return pkgTarget{ps: ps, stage: s.currentSettings().EffectiveStage()}, true
	}
	return pkgTarget{}, false
}

// cdkTargetAtCall returns the target of the construct call whose span holds off.
func (s *Server) cdkTargetAtCall(f *cdkFile, off int) (pkgTarget, bool) {
	for _, c := range f.constructs {
		if c.target.ps != nil && c.c.CallStart <= off && off <= c.c.CallEnd {
			return c.target, true
		}
	}
	return pkgTarget{}, false
}

// targetForRef picks the construct a logical-ID call site refers to
// (analysis.Snapshot.TargetForRef).
func (s *Server) targetForRef(f *cdkFile, ref *cdkcode.IDRef) (pkgTarget, bool) {
	t, ok := s.snapshot().TargetForRef(f.an, ref)
	if !ok {
		return pkgTarget{}, false
	}
	var doc *overlay.Document
	if t.Overlay.Node != nil {
		doc = f.doc
	}
	return s.pkgTargetOf(t, doc), true
}

func (s *Server) constructAt(f *cdkFile, c *cdkcode.Construct) *cdkConstruct {
	for i := range f.constructs {
		if f.constructs[i].c.CallStart == c.CallStart {
			return &f.constructs[i]
		}
	}
	return nil
}

// idIndex returns the logical IDs for t (analysis.Snapshot.IDIndex, memoised
// per snapshot).
func (s *Server) idIndex(t pkgTarget) *logicalid.Index { return s.snapshot().IDIndex(t.core()) }

func toKind(k cdkcode.IDKind) logicalid.Kind { return analysis.ToKind(k) }

func kindNoun(k logicalid.Kind) string { return analysis.KindNoun(k) }

// cdkCompletion completes logical IDs and stage_config keys/values. Logical-ID
// lists are built once per (index, call site) and reused while neither changes,
// and the shared edit range goes into itemDefaults when the client supports it,
// which halves the payload for big templates.
func (s *Server) cdkCompletion(ctx context.Context, d *overlay.Document, f *cdkFile, off int) *protocol.CompletionList {
	at := f.file.At(off)
	m := d.Mapper()
	switch at.Kind {
	case cdkcode.InLogicalID:
		ref := at.IDRef
		t, ok := s.targetForRef(f, ref)
		if !ok {
			return nil
		}
		ix := s.idIndex(t)
		want := toKind(ref.Want)
		key := fmt.Sprintf("%p|%s|%v|%d|%d", ix, want, ref.Quoted, ref.Start, ref.End)
		f.mu.Lock()
		if f.compKey == key {
			list := f.compList
			f.mu.Unlock()
			return list
		}
		f.mu.Unlock()
		rng := s.toRange(m, ref.Start, ref.End)
		list := &protocol.CompletionList{Items: make([]protocol.CompletionItem, 0, ix.Len())}
		if s.caps.editRangeDefault {
			list.ItemDefaults = &protocol.CompletionItemDefaults{EditRange: &rng}
		}
		for i := range ix.Entries {
			e := &ix.Entries[i]
			if !e.Matches(want) {
				continue
			}
			text := e.ID
			if !ref.Quoted {
				text = quoteID(f.file.Lang, e.ID)
			}
			detail := e.Type
			switch {
			case e.Predicted:
				detail += " (predicted)"
			case ix.Stale:
				detail += " (stale template)"
			}
			it := protocol.CompletionItem{
				Label:  e.ID,
				Kind:   protocol.CompletionItemKindReference,
				Detail: protocol.NewOptional(detail),
			}
			switch {
			case !s.caps.editRangeDefault:
				it.TextEdit = &protocol.TextEdit{Range: rng, NewText: text}
			case text != e.ID:
				it.TextEditText = protocol.NewOptional(text)
			}
			if e.Function != "" && s.caps.labelDetails {
				it.LabelDetails = &protocol.CompletionItemLabelDetails{Description: ptr(e.Function)}
			}
			list.Items = append(list.Items, it)
		}
		f.mu.Lock()
		f.compKey, f.compList = key, list
		f.mu.Unlock()
		return list
	case cdkcode.InStageConfig:
		cc := s.constructAt(f, at.Construct)
		c := s.stageConfigContext(f, cc)
		return &protocol.CompletionList{Items: s.toCompletionItems(m, configfeatures.Complete(d.Content, at.Construct.StageConfig, off, c))}
	}
	return nil
}

func quoteID(lang cdkcode.Lang, id string) string {
	if lang == cdkcode.Go {
		return `jsii.String("` + id + `")`
	}
	return `"` + id + `"`
}

func (s *Server) stageConfigContext(f *cdkFile, cc *cdkConstruct) configfeatures.Context {
	syn := configfeatures.Python
	if f.file.Lang == cdkcode.Go {
		syn = configfeatures.Go
	}
	c := configfeatures.Context{Kind: schema.StageConfig, Syntax: syn, Stage: s.currentSettings().Stage, Snippets: s.caps.snippets}
	if cc != nil && cc.target.ps != nil {
		c.Functions = s.functionsOf(cc.target.ps)
		c.Config = s.configOf(cc.target.ps)
		c.Stage = cc.target.stage
		c.StageFrom = cc.target.stageFrom
	}
	if cc != nil {
		c.Mode = analysis.OverlayMode(cc.c.Flavour)
	}
	return c
}

// cdkHover describes a logical ID (type, key properties, handler) or a
// stage_config key.
func (s *Server) cdkHover(d *overlay.Document, f *cdkFile, off int) *protocol.Hover {
	at := f.file.At(off)
	m := d.Mapper()
	switch at.Kind {
	case cdkcode.InLogicalID:
		ref := at.IDRef
		t, ok := s.targetForRef(f, ref)
		if !ok || ref.Text == "" {
			return nil
		}
		ix := s.idIndex(t)
		e := ix.Lookup(ref.Text)
		if e == nil {
			return nil
		}
		r := s.toRange(m, ref.Start, ref.End)
		return &protocol.Hover{Contents: s.markup(s.entryMarkdown(t, ix, e)), Range: &r}
	case cdkcode.InStageConfig:
		cc := s.constructAt(f, at.Construct)
		h, ok := configfeatures.HoverAt(at.Construct.StageConfig, off, s.stageConfigContext(f, cc))
		if !ok {
			return nil
		}
		r := s.toRange(m, h.Start, h.End)
		return &protocol.Hover{Contents: s.markup(h.Markdown), Range: &r}
	}
	return nil
}

func (s *Server) entryMarkdown(t pkgTarget, ix *logicalid.Index, e *logicalid.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**`%s`** — `%s`\n\n", e.ID, e.Type)
	switch {
	case e.Predicted:
		b.WriteString("_Predicted from app.py; not in a packaged template yet._\n\n")
	case ix.Foreign:
		b.WriteString("_From a template packaged for another stage or stage_config of this app; settings below are resolved for this construct._\n\n")
	case ix.Stale:
		b.WriteString("_From the last packaged template; inputs changed since (stale)._\n\n")
	default:
		if st := s.pkgStateOf(t); st != nil && st.Result != nil {
			fmt.Fprintf(&b, "_From the packaged template (stage %s, %s ago)._\n\n", t.stage, time.Since(st.At).Round(time.Second))
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
		root := s.configOf(t.ps)
		for _, k := range []struct{ key, label, unit string }{{"lambda_memory_size", "Memory", " MB"}, {"lambda_timeout", "Timeout", " s"}} {
			v := effective.ResolveOverlay(root, t.stage, e.Function, k.key, t.overlay)
			if v.Found {
				fmt.Fprintf(&b, "- %s: %v%s (from %s)\n", k.label, v.Value, k.unit, v.Level)
			}
		}
	}
	if t.stageFrom != "" {
		fmt.Fprintf(&b, "- Chalice stage: `%s` (%s)\n", t.stage, t.stageFrom)
	}
	if e.Function != "" {
		fmt.Fprintf(&b, "- Config name: `%s` (`lambda_functions.%s` in config.json)\n", e.Function, e.Function)
	}
	for i, h := range e.Handlers {
		if i == 5 {
			fmt.Fprintf(&b, "- … %d more handlers\n", len(e.Handlers)-5)
			break
		}
		rel, err := filepath.Rel(t.ps.proj.Dir, h.File)
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

// cdkDefinition jumps from a logical ID to the resource in the packaged template
// and to the handler(s) in app.py.
func (s *Server) cdkDefinition(d *overlay.Document, f *cdkFile, off int) []protocol.Location {
	at := f.file.At(off)
	if at.Kind != cdkcode.InLogicalID || at.IDRef.Text == "" {
		return nil
	}
	t, ok := s.targetForRef(f, at.IDRef)
	if !ok {
		return nil
	}
	ix := s.idIndex(t)
	e := ix.Lookup(at.IDRef.Text)
	if e == nil {
		return nil
	}
	var locs []protocol.Location
	if e.Resource != nil && ix.Template != nil && ix.Template.Path != "" {
		m := (&overlay.Document{Content: ix.Template.Source}).Mapper()
		locs = append(locs, protocol.Location{URI: uri.File(ix.Template.Path), Range: s.toRange(m, e.Resource.KeyStart, e.Resource.KeyEnd)})
	} else {
		if s.noTemplateNoted.CompareAndSwap(false, true) {
			s.logf(protocol.MessageTypeInfo, "definition of %s: no packaged template yet for %s (stage %s), so definitions go to app.py and config.json; "+
				"packaging runs automatically only in a trusted workspace (initializationOptions.workspaceTrusted) or with chalice.packaging.automatic, or run \"Package & preview template\"",
				e.ID, t.ps.proj.Dir, t.stage)
		}
		if len(e.Handlers) == 0 {
			locs = s.staticDefinition(t, e)
		}
	}
	return s.handlerLocations(locs, e.Handlers)
}

func dirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
