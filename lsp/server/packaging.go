package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// A packaging target: one project packaged for one stage with one stage config
// (config.json alone, or a CDK construct's stage_config overlay).
type pkgTarget struct {
	ps    *projectState
	stage string
	// stageFrom says where stage comes from, for hover ("the stack id in app.py").
	stageFrom string
	// stageConfig is what the packager deep-merges into stages.<stage> (see
	// packagingStageConfig); nil for none.
	stageConfig map[string]any
	// overlay is the construct's stage_config as the construct applies it (Node nil:
	// none); effective values, rules and prediction use it.
	overlay effective.Overlay
	// cdkDoc is the version of the CDK source the construct (and the overlay's
	// offsets) came from; nil for config.json targets.
	cdkDoc *overlay.Document
	// partial: the construct's stage_config is only partly known statically
	// (cdkcode.Construct.StageConfigPartial).
	partial bool
}

func (t pkgTarget) key() string {
	h := sha256.New()
	b, _ := json.Marshal(t.stageConfig)
	h.Write(b)
	return t.ps.proj.Dir + "\x00" + t.stage + "\x00" + t.overlay.Mode.String() + "\x00" + hex.EncodeToString(h.Sum(nil))[:16]
}

// packageOnOpen schedules packaging for the project(s) a freshly opened document
// belongs to, when automatic packaging is allowed.
func (s *Server) packageOnOpen(path string) { s.packageFor(path, 50*time.Millisecond) }

// packageOnSave schedules packaging after a save of an input (debounced).
func (s *Server) packageOnSave(path string) { s.packageFor(path, s.opts.Debounce) }

func (s *Server) packageFor(path string, delay time.Duration) {
	if path == "" {
		return
	}
	if st := s.currentSettings(); !st.AutomaticPackaging() {
		if classify(path) != kindOther {
			// An untrusted workspace is the reason whatever the setting says (the
			// VS Code extension sends automatic false in Restricted Mode).
			why := "packaging.automatic is false"
			if !st.Trusted {
				why = "the workspace is not trusted"
			}
			s.logf(protocol.MessageTypeLog, "automatic packaging is off (%s): not packaging for %s", why, path)
		}
		return
	}
	for _, t := range s.targetsFor(path) {
		t := t
		s.jobs.Schedule(t.key(), delay, func(ctx context.Context) {
			_, _ = s.runPackage(ctx, t, nil, false)
		})
	}
}

// targetsFor lists what to package when path is opened or saved: its project for
// the configured stage, and for CDK code every construct call's project, stage and
// stage_config.
func (s *Server) targetsFor(path string) []pkgTarget {
	var ts []pkgTarget
	if ps := s.projectForPathNoCreate(path); ps != nil && (classify(path) == kindConfig || isProjectInput(ps, path)) {
		ts = append(ts, pkgTarget{ps: ps, stage: s.currentSettings().EffectiveStage()})
	}
	if k := classify(path); k == kindPython || k == kindGo {
		if d := s.docs.ByPath(path); d != nil {
			if a := s.analysis(d); a.cdk != nil {
				ts = append(ts, s.cdkTargets(a.cdk)...)
			}
		}
	}
	return ts
}

// pkgStateOf returns the packaging state of t (nil if never packaged).
func (s *Server) pkgStateOf(t pkgTarget) *pkgState {
	t.ps.mu.Lock()
	defer t.ps.mu.Unlock()
	if st := t.ps.packages[t.key()]; st != nil {
		cp := *st
		return &cp
	}
	return nil
}

// runPackage packages t now, reporting progress, and records the outcome. token is
// the client's workDoneToken for explicit commands. explicit runs report failures
// to the caller instead of only as diagnostics.
func (s *Server) runPackage(ctx context.Context, t pkgTarget, token protocol.ProgressToken, explicit bool) (*packager.Result, error) {
	st := s.currentSettings()
	key := t.key()
	t.ps.mu.Lock()
	state := t.ps.packages[key]
	if state == nil {
		state = &pkgState{Stage: t.stage}
		t.ps.packages[key] = state
	}
	state.Running = true
	t.ps.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	name := filepath.Base(t.ps.proj.Dir)
	wd := s.track.Start(ctx, "chalice package", fmt.Sprintf("%s (stage %s)", name, t.stage), token, cancel)

	python := st.Python // "" = the packager's order (packager.findInterpreter), $CHALICE_LSP_VENV first
	env := map[string]string{}
	for k, v := range s.opts.Env {
		env[k] = v
	}
	// No region set: the packager uses packager.DefaultRegion.
	req := packager.Request{
		SourceDir:   t.ps.proj.Dir,
		Stage:       t.stage,
		StageConfig: s.packagerStageConfig(t),
		Package:     packager.PackageConfig{UseContainer: st.UseContainer, Image: st.ContainerImage, Env: env},
		Python:      python,
		Timeout:     st.PackageTimeout,
		Supersede:   key,
	}
	s.logf(protocol.MessageTypeLog, "packaging %s for stage %s", t.ps.proj.Dir, t.stage)
	res, err := s.pkgr.Package(ctx, req)

	t.ps.mu.Lock()
	prevErr := ""
	if state.Err != nil {
		prevErr = state.Err.Error()
	}
	state.Running = false
	var perr *packager.Error
	cancelled := ctx.Err() != nil || errors.As(err, &perr) && (perr.Class == packager.ClassCancelled || perr.Class == packager.ClassSuperseded)
	switch {
	case err == nil:
		state.Result, state.Stale, state.Err, state.At = res, false, nil, time.Now()
	case cancelled:
	default:
		state.Err = err
		if state.Result != nil {
			state.Stale = true
		}
	}
	recorded := *state
	t.ps.mu.Unlock()
	if !cancelled {
		// The snapshot owns what analysis sees of packaging: the result enters
		// as a change, which re-analyses the files that depend on it.
		s.recordPackaging(t, recorded)
	}

	switch {
	case err == nil:
		how := "packaged"
		if res.Cached {
			how = "unchanged (cached)"
		}
		wd.End(ctx, fmt.Sprintf("%s: %s, %d resources", name, how, len(res.Template.Resources)))
		s.logf(protocol.MessageTypeInfo, "%s (stage %s): %s in %s; %d resources; template %s", name, t.stage, how, res.Duration.Round(time.Millisecond), len(res.Template.Resources), res.TemplatePath)
		for _, f := range res.Fixups {
			s.logf(protocol.MessageTypeInfo, "%s: fixed chalice output: %s", name, f)
		}
		s.publishPackageError(t, nil)
	case cancelled:
		wd.End(ctx, "cancelled")
		return nil, err
	default:
		wd.End(ctx, "failed: "+firstLine(err.Error()))
		s.logf(protocol.MessageTypeError, "packaging %s (stage %s) failed: %v", t.ps.proj.Dir, t.stage, err)
		if perr != nil && len(perr.Output) > 0 {
			s.logf(protocol.MessageTypeLog, "chalice output:\n%s", perr.Output)
		}
		if !explicit && err.Error() != prevErr {
			// Shown once per distinct failure: saving again with the same problem
			// only updates the diagnostics.
			s.showf(protocol.MessageTypeError, "chalice package failed for %s (stage %s): %s", name, t.stage, firstLine(err.Error()))
		}
		s.publishPackageError(t, err)
	}
	s.refreshDependents()
	return res, err
}

// publishPackageError puts a packaging failure of t where it points, or clears the
// project's packaging diagnostics when err is nil. A config error lands on the key
// responsible (in config.json, or in the CDK stage_config literal that set it; see
// configErrorSpan); other errors with a line (an import error in app.py) on that
// line; the rest on config.json's first line.
func (s *Server) publishPackageError(t pkgTarget, err error) {
	ps := t.ps
	ps.mu.Lock()
	elsewhere := ps.pkgDiagURIs
	ps.pkgDiagURIs = nil
	ps.mu.Unlock()
	within := func(u uri.URI) bool {
		if elsewhere[u] {
			return true
		}
		return pathutil.Within(pathOf(u), ps.proj.Dir)
	}
	s.diags.clearSource(srcPackage, within)
	if err == nil {
		return
	}
	file, line := ps.proj.ConfigPath, 0
	msg := err.Error()
	var perr *packager.Error
	if errors.As(err, &perr) {
		msg = perr.Message
		if perr.Hint != "" {
			msg += "\nhint: " + perr.Hint
		}
		if perr.File != "" {
			file, line = perr.File, perr.Line
		}
	}
	var src []byte
	start, end := -1, -1
	if perr != nil && perr.Class == packager.ClassInvalidConfig {
		if f, b, st, en, ok := s.configErrorSpan(t, perr); ok {
			file, src, start, end = f, b, st, en
		}
	}
	if start < 0 {
		var rerr error
		src, rerr = s.readFile(file)
		if rerr != nil {
			file, line = ps.proj.ConfigPath, 0
			src, _ = s.readFile(file)
		}
		start, end = lineSpan(src, file, line)
	}
	m := (&overlay.Document{Content: src}).Mapper()
	code := "package-failed"
	if perr != nil {
		code = "package-" + string(perr.Class)
	}
	d := diag.Diagnostic{Start: start, End: end, Severity: diag.Error, Code: code, Message: "chalice package: " + msg}
	u := uri.File(file)
	if !within(u) {
		ps.mu.Lock()
		ps.pkgDiagURIs = map[uri.URI]bool{u: true}
		ps.mu.Unlock()
	}
	s.diags.set(u, 0, srcPackage, []protocol.Diagnostic{s.toDiagnostic(m, d, "chalice package")})
}

// lineSpan is the span of line (1-based; 0 = the first) of src without its
// indentation and line break; in config.json, the first key on that line.
func lineSpan(src []byte, file string, line int) (int, int) {
	m := (&overlay.Document{Content: src}).Mapper()
	l := max(line-1, 0)
	start := m.LineStart(l)
	end := m.LineStart(l + 1)
	for end > start && (src[end-1] == '\n' || src[end-1] == '\r') {
		end--
	}
	if line > 0 && classify(file) == kindConfig {
		// Only in valid JSON: on a syntax error's line the key may be unrelated.
		if root, errs := jsonpos.Parse(src); len(errs) == 0 {
			if mem := firstKeyIn(root, start, end); mem != nil {
				return mem.KeyStart, mem.KeyEnd
			}
		}
	}
	for start < end && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	return start, end
}

// firstKeyIn returns the first member (depth first, in source order) whose key
// starts in [start, end).
func firstKeyIn(n *jsonpos.Node, start, end int) *jsonpos.Member {
	if n == nil || n.End <= start || n.Start >= end {
		return nil
	}
	for i := range n.Members {
		mem := &n.Members[i]
		if mem.KeyStart >= start && mem.KeyStart < end {
			return mem
		}
		if found := firstKeyIn(mem.Value, start, end); found != nil {
			return found
		}
	}
	for _, e := range n.Elems {
		if found := firstKeyIn(e, start, end); found != nil {
			return found
		}
	}
	return nil
}

var reVPCFunction = regexp.MustCompile(`Invalid VPC params for function '([^']+)'`)

// configErrorSpan finds the config key behind a config error chalice reported
// (usually without a place), the way Chalice resolves settings for t's stage and
// the construct's stage_config: the one of subnet_ids/security_group_ids that is
// set, iam_policy_file or the autogen_policy false that made chalice read a
// missing policy file, an incomplete custom domain, an environment variable value
// that is not a string, version. It returns the file holding it (config.json or
// the CDK file of the stage_config), that file's content and the span.
func (s *Server) configErrorSpan(t pkgTarget, perr *packager.Error) (string, []byte, int, int, bool) {
	cfgPath := t.ps.proj.ConfigPath
	cfgSrc, err := s.readFile(cfgPath)
	if err != nil {
		return "", nil, 0, 0, false
	}
	root, _ := jsonpos.Parse(cfgSrc)
	ov := t.overlay
	if t.cdkDoc == nil {
		ov = effective.Overlay{}
	}
	resolve := func(fn, key string) effective.Value {
		return effective.ResolveOverlay(root, t.stage, fn, key, ov)
	}
	fns := append([]string{""}, s.functionsOf(t.ps)...)
	fns = append(fns, effective.APIHandler)
	at := func(node *jsonpos.Node, member *jsonpos.Member, inOverlay bool) (string, []byte, int, int, bool) {
		start, end := node.Start, node.End
		if member != nil {
			start, end = member.KeyStart, member.KeyEnd
		}
		if inOverlay {
			return t.cdkDoc.Path, t.cdkDoc.Content, start, end, true
		}
		return cfgPath, cfgSrc, start, end, true
	}
	set := func(v effective.Value) bool {
		return v.Node != nil && v.Member != nil && v.Origin != effective.OriginBuildDefault
	}
	text := string(perr.Output)
	switch {
	case reVPCFunction.MatchString(text):
		fn := reVPCFunction.FindStringSubmatch(text)[1]
		for _, key := range []string{"subnet_ids", "security_group_ids"} {
			if v := resolve(fn, key); set(v) && v.Truthy() {
				return at(v.Node, v.Member, v.InOverlay)
			}
		}
	case strings.Contains(text, "IAM policy file"):
		for _, fn := range fns {
			auto := resolve(fn, "autogen_policy")
			if !auto.Found || auto.Truthy() {
				continue
			}
			if v := resolve(fn, "iam_policy_file"); set(v) {
				return at(v.Node, v.Member, v.InOverlay)
			}
			if set(auto) {
				return at(auto.Node, auto.Member, auto.InOverlay)
			}
		}
	case strings.Contains(text, "_create_domain_name_model"):
		for _, key := range []string{"api_gateway_custom_domain", "websocket_api_custom_domain"} {
			if v := resolve("", key); set(v) {
				return at(v.Node, v.Member, v.InOverlay)
			}
		}
	case strings.Contains(text, "_environ.update(environment_variables)"):
		for _, fn := range fns {
			for _, e := range resolve(fn, "environment_variables").Entries {
				if e.Node != nil && e.Node.Kind != jsonpos.String && e.Node.Kind != jsonpos.Opaque {
					return at(e.Node, nil, e.InOverlay)
				}
			}
		}
	case strings.Contains(text, "Unknown version") || strings.Contains(text, "UnknownConfigFileVersion"):
		if v := resolve("", "version"); set(v) {
			return at(v.Node, v.Member, v.InOverlay)
		}
	}
	return "", nil, 0, 0, false
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
