package server

import (
	"context"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/logicalid"
	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
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

// idIndex returns the logical IDs for t (analysis.Snapshot.IDIndex, memoised
// per snapshot).
func (s *Server) idIndex(t pkgTarget) *logicalid.Index { return s.snapshot().IDIndex(t.core()) }

// cdkCompletion completes logical IDs and stage_config keys/values
// (lsp/cdkfeatures, configfeatures). Logical-ID lists are built once per (index,
// call site) and reused while neither changes, and the shared edit range goes
// into itemDefaults when the client supports it, which halves the payload for
// big templates.
func (s *Server) cdkCompletion(ctx context.Context, d *overlay.Document, f *cdkFile, off int) *protocol.CompletionList {
	snap := s.snapshot()
	at := f.file.At(off)
	m := d.Mapper()
	switch at.Kind {
	case cdkcode.InLogicalID:
		ref := at.IDRef
		t, ok := snap.TargetForRef(f.an, ref)
		if !ok {
			return nil
		}
		ix := snap.IDIndex(t)
		key := fmt.Sprintf("%p|%s|%v|%d|%d", ix, analysis.ToKind(ref.Want), ref.Quoted, ref.Start, ref.End)
		f.mu.Lock()
		if f.compKey == key {
			list := f.compList
			f.mu.Unlock()
			return list
		}
		f.mu.Unlock()
		c, ok := cdkfeatures.CompleteID(snap, f.an, ref)
		if !ok {
			return nil
		}
		rng := s.toRange(m, ref.Start, ref.End)
		list := &protocol.CompletionList{Items: make([]protocol.CompletionItem, 0, len(c.Items))}
		if s.caps.editRangeDefault {
			list.ItemDefaults = &protocol.CompletionItemDefaults{EditRange: &rng}
		}
		for _, e := range c.Items {
			it := protocol.CompletionItem{
				Label:  e.Label,
				Kind:   protocol.CompletionItemKindReference,
				Detail: protocol.NewOptional(e.Detail),
			}
			switch {
			case !s.caps.editRangeDefault:
				it.TextEdit = &protocol.TextEdit{Range: rng, NewText: e.Text}
			case e.Text != e.Label:
				it.TextEditText = protocol.NewOptional(e.Text)
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
		cc := cdkfeatures.ConstructAt(f.an, at.Construct)
		c := cdkfeatures.StageConfigContext(snap, f.an, cc, s.caps.snippets)
		return &protocol.CompletionList{Items: s.toCompletionItems(m, configfeatures.Complete(d.Content, at.Construct.StageConfig, off, c))}
	}
	return nil
}

// cdkHover describes a logical ID or a stage_config key (lsp/cdkfeatures).
func (s *Server) cdkHover(d *overlay.Document, f *cdkFile, off int) *protocol.Hover {
	h, ok := cdkfeatures.HoverAt(s.snapshot(), f.an, off)
	if !ok {
		return nil
	}
	r := s.toRange(d.Mapper(), h.Start, h.End)
	return &protocol.Hover{Contents: s.markup(h.Markdown), Range: &r}
}

// cdkDefinition jumps from a logical ID to the resource in the packaged template
// and to the handler(s) in app.py (lsp/cdkfeatures.DefinitionAt).
func (s *Server) cdkDefinition(d *overlay.Document, f *cdkFile, off int) []protocol.Location {
	def, ok := cdkfeatures.DefinitionAt(s.snapshot(), f.an, off)
	if !ok {
		return nil
	}
	if def.NoTemplate && s.noTemplateNoted.CompareAndSwap(false, true) {
		s.logf(protocol.MessageTypeInfo, "definition of %s: no packaged template yet for %s (stage %s), so definitions go to app.py and config.json; "+
			"packaging runs automatically only in a trusted workspace (initializationOptions.workspaceTrusted) or with chalice.packaging.automatic, or run \"Package & preview template\"",
			def.ID, def.Target.Project.Dir, def.Target.Stage)
	}
	var locs []protocol.Location
	for _, l := range def.Locations {
		m := (&overlay.Document{Content: l.Content}).Mapper()
		locs = append(locs, protocol.Location{URI: uri.File(l.Path), Range: s.toRange(m, l.Start, l.End)})
	}
	return locs
}
