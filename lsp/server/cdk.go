package server

import (
	"fmt"
	"sync"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"go.lsp.dev/protocol"
)

// Diagnostic codes of CDK code (defined by the analysis core).
const (
	CodeUnknownLogicalID    = analysis.CodeUnknownLogicalID
	CodeWrongResourceKind   = analysis.CodeWrongResourceKind
	CodeIgnoredLambdaFns    = analysis.CodeIgnoredLambdaFns
	CodeSourceDirNotProject = analysis.CodeSourceDirNotProject
	CodeSourceDirUnresolved = analysis.CodeSourceDirUnresolved
)

// cdkFile is the core's analysis of an open Python or Go CDK source file's
// version.
type cdkFile struct {
	doc *overlay.Document
	an  *analysis.CDKFile
}

// cdkOf returns the CDK analysis of d on snap (memoised in the snapshot), or nil
// when d is not CDK code or too big or binary to analyse. Requests use it
// instead of the document's findings, so a completion right after didOpen does
// not wait for the diagnostics (they run beside it, on the same memoised
// analysis).
func cdkOf(snap *analysis.Snapshot, d *overlay.Document) *cdkFile {
	if d == nil || !analyzable(d) {
		return nil
	}
	if k := classify(d.Path); k != kindPython && k != kindGo {
		return nil
	}
	if an := snap.CDK(d.Path); an != nil {
		return &cdkFile{doc: d, an: an}
	}
	return nil
}

// idCompletionCache holds the last logical-ID completion list and its key (see
// cdkCompletion).
type idCompletionCache struct {
	mu   sync.Mutex
	key  string
	list *protocol.CompletionList
}

// targets are the packaging targets of f's construct calls that name a project.
func targets(f *analysis.CDKFile) []analysis.Target {
	var ts []analysis.Target
	for _, c := range f.Constructs {
		if c.Target.Project != nil {
			ts = append(ts, c.Target)
		}
	}
	return ts
}

// cdkTargetAt returns the target of the construct call holding off, else the first
// construct with a project (off < 0: the first), else, in a file without
// construct calls, the snapshot's only project.
func cdkTargetAt(snap *analysis.Snapshot, f *analysis.CDKFile, off int) (analysis.Target, bool) {
	for _, c := range f.Constructs {
		if c.Target.Project != nil && c.C.CallStart <= off && off <= c.C.CallEnd {
			return c.Target, true
		}
	}
	if ts := targets(f); len(ts) > 0 {
		return ts[0], true
	}
	if ps := snap.Projects(); len(ps) == 1 && len(f.Constructs) == 0 {
		return analysis.Target{Project: ps[0], Stage: snap.Settings().EffectiveStage()}, true
	}
	return analysis.Target{}, false
}

// cdkCompletion completes logical IDs and stage_config keys/values
// (lsp/cdkfeatures, configfeatures). Logical-ID lists are built once per (index,
// call site) and reused while neither changes, and the shared edit range goes
// into itemDefaults when the client supports it, which halves the payload for
// big templates.
func (s *Server) cdkCompletion(snap *analysis.Snapshot, f *cdkFile, off int) *protocol.CompletionList {
	at := f.an.File.At(off)
	m := f.doc.Mapper()
	switch at.Kind {
	case cdkcode.InLogicalID:
		ref := at.IDRef
		t, ok := snap.TargetForRef(f.an, ref)
		if !ok {
			return nil
		}
		ix := snap.IDIndex(t)
		key := fmt.Sprintf("%s|%d|%p|%p|%s|%v|%d|%d|%s", f.doc.URI, f.doc.Version, f.an, ix, analysis.ToKind(ref.Want), ref.Quoted, ref.Start, ref.End, ref.Text)
		s.idComp.mu.Lock()
		if s.idComp.key == key {
			list := s.idComp.list
			s.idComp.mu.Unlock()
			return list
		}
		s.idComp.mu.Unlock()
		c, ok := cdkfeatures.CompleteID(snap, f.an, ref)
		if !ok {
			return nil
		}
		rng := s.toRange(m, ref.Start, ref.End)
		list := &protocol.CompletionList{IsIncomplete: c.Incomplete, Items: make([]protocol.CompletionItem, 0, len(c.Items))}
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
		s.idComp.mu.Lock()
		s.idComp.key, s.idComp.list = key, list
		s.idComp.mu.Unlock()
		return list
	case cdkcode.InStageConfig:
		cc := cdkfeatures.ConstructAt(f.an, at.Construct)
		c := cdkfeatures.StageConfigContext(snap, f.an, cc, s.caps.snippets)
		return &protocol.CompletionList{Items: s.toCompletionItems(m, configfeatures.Complete(f.doc.Content, at.Construct.StageConfig, off, c))}
	}
	return nil
}

// cdkDefinition jumps from a logical ID to the resource in the packaged template
// and to the handler(s) in app.py (lsp/cdkfeatures.DefinitionAt).
func (s *Server) cdkDefinition(snap *analysis.Snapshot, f *cdkFile, off int) []protocol.Location {
	def, ok := cdkfeatures.DefinitionAt(snap, f.an, off)
	if !ok {
		return nil
	}
	if def.NoTemplate && s.noTemplateNoted.CompareAndSwap(false, true) {
		s.logf(protocol.MessageTypeInfo, "definition of %s: no packaged template yet for %s (stage %s), so definitions go to app.py and config.json; "+
			"packaging runs automatically only in a trusted workspace (initializationOptions.workspaceTrusted) or with chalice.packaging.automatic, or run \"Package & preview template\"",
			def.ID, def.Target.Project.Dir, def.Target.Stage)
	}
	return s.locations(def.Locations)
}
