package server

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/lsp/configfeatures"
	"github.com/chalice-lsp/chalice-lsp/lsp/logicalid"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Diagnostic codes of CDK code.
const (
	CodeUnknownLogicalID    = "unknown-logical-id"
	CodeWrongResourceKind   = "wrong-resource-kind"
	CodeIgnoredLambdaFns    = "stage-config-lambda-functions-ignored"
	CodeSourceDirNotProject = "source-dir-not-a-project"
	CodeSourceDirUnresolved = "source-dir-unresolved"
)

// cdkFile is the analysis of a Python or Go CDK source file plus what each
// construct call resolves to.
type cdkFile struct {
	doc        *overlay.Document
	file       *cdkcode.File
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

// analyzeCDK analyses d as CDK code; nil when it has no construct call and no
// logical-ID call site.
func (s *Server) analyzeCDK(d *overlay.Document) *cdkFile {
	f := cdkcode.Analyze(d.Path, d.Content)
	if f == nil || len(f.Constructs) == 0 && len(f.IDRefs) == 0 {
		return nil
	}
	cf := &cdkFile{doc: d, file: f}
	appDir := s.cdkAppDirFor(d.Path)
	for i := range f.Constructs {
		c := &f.Constructs[i]
		cc := cdkConstruct{c: c, dir: c.Dir(appDir)}
		var ps *projectState
		switch {
		case cc.dir != "":
			if p := s.ws.EnsureProject(cc.dir); p != nil {
				ps = s.project(p)
			} else {
				cc.note = fmt.Sprintf("source_dir is %s, which is not a Chalice project (it needs .chalice/config.json and app.py)", cc.dir)
			}
		default:
			if ps = s.onlyProject(); ps == nil {
				cc.note = "source_dir cannot be resolved statically and the workspace does not hold exactly one Chalice project, so logical IDs and stage_config cannot be checked against the app"
			}
		}
		if ps != nil {
			stage, from := s.constructStage(c, appDir)
			cc.target = pkgTarget{ps: ps, stage: stage, stageFrom: from, stageConfig: packagingStageConfig(c),
				overlay: effective.Overlay{Node: c.StageConfig, Mode: overlayMode(c.Flavour)}, cdkDoc: d}
		}
		cf.constructs = append(cf.constructs, cc)
	}
	return cf
}

// onlyProject returns the workspace's single Chalice project, or nil.
func (s *Server) onlyProject() *projectState {
	ps := s.ws.Projects()
	if len(ps) != 1 {
		return nil
	}
	return s.project(ps[0])
}

// cdkAppDirFor returns the innermost CDK app directory (holding cdk.json) that
// contains path, else the file's directory (relative source dirs are resolved
// against where `cdk` runs).
func (s *Server) cdkAppDirFor(path string) string {
	best := ""
	for _, a := range s.ws.CDKApps() {
		rel, err := filepath.Rel(a.Dir, path)
		if err == nil && !strings.HasPrefix(rel, "..") && len(a.Dir) > len(best) {
			best = a.Dir
		}
	}
	if best == "" {
		for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
			if fileExists(filepath.Join(dir, "cdk.json")) {
				return dir
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
		return filepath.Dir(path)
	}
	return best
}

// overlayMode is how a construct flavour applies its stage_config to config.json.
func overlayMode(f cdkcode.Flavour) effective.OverlayMode {
	switch f {
	case cdkcode.GoConstruct:
		return effective.MergeIntoStage
	case cdkcode.CDKChalice:
		return effective.ReplaceStage
	}
	return effective.UserParams
}

// packagingStageConfig turns a stage_config literal into what the packager merges
// into the stage: CDK tokens (opaque expressions) become placeholder strings, and
// for chalice.cdk.Chalice lambda_functions is dropped because that construct
// ignores it (aws/chalice#1998), so the preview matches what deploys.
func packagingStageConfig(c *cdkcode.Construct) map[string]any {
	if c.StageConfig == nil || c.StageConfig.Kind != jsonpos.Object {
		return nil
	}
	m, ok := plain(c.StageConfig.Value()).(map[string]any)
	if !ok {
		return nil
	}
	if !c.Flavour.HonoursLambdaFunctions() {
		delete(m, "lambda_functions")
	}
	return m
}

// packagerStageConfig is the stage config handed to the packager for t. The
// packager deep-merges it into stages.<stage>; cdk_chalice.Chalice instead replaces
// that stage, so for it every setting of the file's stage that the stage_config
// lacks is set to null, which Chalice reads as absent (its lookups skip None and its
// environment_variables/tags merge skips non-dicts). lambda_functions and its
// function objects stay objects (Chalice calls .get on them) with their settings
// nulled. A limit remains: entries of an object the stage_config also sets (say an
// environment variable only the file's stage has) survive the merge.
func (s *Server) packagerStageConfig(t pkgTarget) map[string]any {
	if t.overlay.Mode != effective.ReplaceStage || t.stageConfig == nil {
		return t.stageConfig
	}
	fileStage, _ := s.configOf(t.ps).Get("stages").Get(t.stage).Value().(map[string]any)
	return replacing(fileStage, t.stageConfig, 0)
}

// replacing returns over plus a null for every key of base it lacks; see
// packagerStageConfig. depth 0 is the stage, 1 lambda_functions, 2 a function.
func replacing(base, over map[string]any, depth int) map[string]any {
	out := make(map[string]any, len(over)+len(base))
	for k, v := range over {
		out[k] = v
	}
	for k, bv := range base {
		bm, isMap := bv.(map[string]any)
		keepObject := isMap && (depth == 0 && k == "lambda_functions" || depth == 1)
		ov, present := over[k]
		switch {
		case keepObject:
			om, _ := ov.(map[string]any)
			if present && om == nil {
				continue // the stage_config's own non-object value replaces it
			}
			out[k] = replacing(bm, om, depth+1)
		case !present:
			out[k] = nil
		}
	}
	return out
}

func plain(v any) any {
	switch v := v.(type) {
	case jsonpos.OpaqueValue:
		return "${Token[" + v.Source + "]}"
	case map[string]any:
		for k, x := range v {
			v[k] = plain(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = plain(x)
		}
		return v
	}
	return v
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

// targetForRef picks the construct a logical-ID call site refers to: the
// construct assigned to the call's receiver (`self.chalice = Chalice(...)` ...
// `self.chalice.get_role(...)`, `api := construct.NewChalice(...)` ...
// `api.GetRole(...)`); when the receiver links to none, the closest construct call
// before it in the file (the usual `app = Chalice(...)` followed by
// `app.get_resource(...)`), else the first one, else the workspace's only project.
func (s *Server) targetForRef(f *cdkFile, ref *cdkcode.IDRef) (pkgTarget, bool) {
	var best *cdkConstruct
	if ref.Receiver != "" {
		for i := range f.constructs {
			c := &f.constructs[i]
			if c.target.ps != nil && c.c.Var == ref.Receiver && (best == nil || c.c.CallStart <= ref.Start) {
				best = c
			}
		}
		if best != nil {
			return best.target, true
		}
	}
	for i := range f.constructs {
		c := &f.constructs[i]
		if c.target.ps == nil {
			continue
		}
		if c.c.CallStart <= ref.Start && (best == nil || c.c.CallStart > best.c.CallStart) {
			best = c
		}
	}
	if best == nil {
		for i := range f.constructs {
			if f.constructs[i].target.ps != nil {
				best = &f.constructs[i]
				break
			}
		}
	}
	if best != nil {
		return best.target, true
	}
	if ps := s.onlyProject(); ps != nil {
		return pkgTarget{ps: ps, stage: s.currentSettings().EffectiveStage()}, true
	}
	return pkgTarget{}, false
}

func (s *Server) constructAt(f *cdkFile, c *cdkcode.Construct) *cdkConstruct {
	for i := range f.constructs {
		if f.constructs[i].c.CallStart == c.CallStart {
			return &f.constructs[i]
		}
	}
	return nil
}

// idIndex returns the logical IDs for t: the packaged template of exactly this
// target if any, else the newest template of the project (treated as stale),
// completed by prediction from app.py. Cached per project generation, so the
// completion hot path only builds it once per change.
func (s *Server) idIndex(t pkgTarget) *logicalid.Index {
	ps := t.ps
	key := t.key()
	ps.mu.Lock()
	gen := ps.gen
	if c, ok := ps.ixCache[key]; ok && c.gen == gen {
		ps.mu.Unlock()
		return c.ix
	}
	ps.mu.Unlock()

	st := s.pkgStateOf(t)
	stale, foreign := false, false
	if st == nil || st.Result == nil {
		st, _ = s.latestResult(ps, "")
		stale, foreign = true, true
	}
	var pred []predict.Resource
	if app, err := s.appOf(ps); err == nil && app != nil {
		pred = predict.Resources(app, s.configOf(ps), predict.Options{Stage: t.stage, StageConfig: t.overlay.Node, StageConfigMode: t.overlay.Mode})
	}
	var ix *logicalid.Index
	if st != nil && st.Result != nil {
		ix = logicalid.Build(st.Result.Template, stale || st.Stale, pred)
		ix.Foreign = foreign
	} else {
		ix = logicalid.Build(nil, false, pred)
	}
	ps.mu.Lock()
	if ps.gen == gen {
		ps.ixCache[key] = ixCached{gen: gen, ix: ix}
	}
	ps.mu.Unlock()
	return ix
}

type ixCached struct {
	gen uint64
	ix  *logicalid.Index
}

func toKind(k cdkcode.IDKind) logicalid.Kind {
	switch k {
	case cdkcode.Role:
		return logicalid.Role
	case cdkcode.Function:
		return logicalid.Function
	}
	return logicalid.Any
}

func kindNoun(k logicalid.Kind) string {
	switch k {
	case logicalid.Role:
		return "an AWS::IAM::Role"
	case logicalid.Function:
		return "an AWS::Serverless::Function"
	}
	return "a resource"
}

// cdkDiagnostics checks the stage_config literals and logical-ID call sites.
func (s *Server) cdkDiagnostics(f *cdkFile) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, cc := range f.constructs {
		c := cc.c
		if cc.target.ps == nil && cc.note != "" {
			sev, code := diag.Warning, CodeSourceDirNotProject
			start, end := c.SourceDirStart, c.SourceDirEnd
			if cc.dir == "" {
				sev, code = diag.Information, CodeSourceDirUnresolved
			}
			if start == end {
				start, end = c.CallStart, c.CallEnd
			}
			ds = append(ds, diag.Diagnostic{Start: start, End: end, Severity: sev, Code: code, Message: cc.note})
		}
		if c.StageConfig == nil {
			continue
		}
		ds = append(ds, schema.Validate(c.StageConfig, schema.StageConfig)...)
		if cc.target.ps != nil {
			ds = append(ds, s.overlayRules(cc.target)...)
		}
		if !c.Flavour.HonoursLambdaFunctions() && c.StageConfig.Kind == jsonpos.Object {
			if m := c.StageConfig.Member("lambda_functions"); m != nil {
				ds = append(ds, diag.Diagnostic{Start: m.KeyStart, End: m.KeyEnd, Severity: diag.Warning, Code: CodeIgnoredLambdaFns,
					Message: "chalice.cdk.Chalice ignores lambda_functions inside stage_config (aws/chalice#1998): these per-function settings never reach the template. Put them in .chalice/config.json under stages.<stage>.lambda_functions, or use top-level keys in stage_config."})
			}
		}
	}
	for i := range f.file.IDRefs {
		ref := &f.file.IDRefs[i]
		if !ref.Quoted || !ref.Terminated || ref.Text == "" {
			continue
		}
		t, ok := s.targetForRef(f, ref)
		if !ok {
			continue
		}
		ix := s.idIndex(t)
		if ix.Len() == 0 {
			continue
		}
		want := toKind(ref.Want)
		where := "predicted from app.py (not packaged yet)"
		sev := diag.Warning
		if ix.Template != nil {
			where = "in the packaged template"
			if !ix.Stale {
				sev = diag.Error
			} else {
				where += " (stale: inputs changed since packaging)"
			}
		}
		e := ix.Lookup(ref.Text)
		switch {
		case e == nil:
			sugg := ix.Suggest(ref.Text, want)
			msg := fmt.Sprintf("%q is not a logical ID of %s (stage %s), %s", ref.Text, filepath.Base(t.ps.proj.Dir), t.stage, where)
			if len(sugg) > 0 {
				msg += fmt.Sprintf("; did you mean %q?", sugg[0])
			}
			if ix.Template != nil {
				msg += " CDK fails the synth with ResourceNotFoundInTemplate."
			}
			ds = append(ds, diag.Diagnostic{Start: ref.Start, End: ref.End, Severity: sev, Code: CodeUnknownLogicalID, Message: msg, Suggestions: sugg})
		case !e.Matches(want):
			sugg := ix.Suggest(ref.Text, want)
			ds = append(ds, diag.Diagnostic{Start: ref.Start, End: ref.End, Severity: sev, Code: CodeWrongResourceKind, Suggestions: sugg,
				Message: fmt.Sprintf("%s needs %s, but %q is a %s", ref.Method, kindNoun(want), ref.Text, e.Type)})
		}
	}
	diag.Sort(ds)
	return ds
}

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
		c.Mode = overlayMode(cc.c.Flavour)
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
