package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
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
	if path == "" || !s.currentSettings().AutomaticPackaging() {
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

// markStale flags the templates of path's project as stale after an edit to one
// of its inputs; they stay in use until a new packaging replaces them.
func (s *Server) markStale(path string) {
	ps := s.projectForPathNoCreate(path)
	if ps == nil || !(classify(path) == kindConfig || isProjectInput(ps, path)) {
		return
	}
	ps.mu.Lock()
	for _, st := range ps.packages {
		if st.Result != nil {
			st.Stale = true
		}
	}
	ps.gen++
	ps.mu.Unlock()
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

// latestResult returns the newest successful packaging of the project for stage,
// preferring one without a stage config overlay; nil if none.
func (s *Server) latestResult(ps *projectState, stage string) (*pkgState, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	var best *pkgState
	for _, st := range ps.packages {
		if st.Result == nil || (stage != "" && st.Stage != stage) {
			continue
		}
		if best == nil || st.At.After(best.At) {
			best = st
		}
	}
	if best == nil {
		return nil, false
	}
	cp := *best
	return &cp, true
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

	python := st.Python
	if python == "" {
		python = os.Getenv("CHALICE_LSP_VENV")
	}
	env := map[string]string{}
	for k, v := range s.opts.Env {
		env[k] = v
	}
	if os.Getenv("AWS_DEFAULT_REGION") == "" && os.Getenv("AWS_REGION") == "" && env["AWS_DEFAULT_REGION"] == "" {
		// chalice package needs a region, never credentials.
		env["AWS_DEFAULT_REGION"] = "us-east-1"
	}
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
	t.ps.gen++
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
	t.ps.mu.Unlock()

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
		s.publishPackageError(t.ps, nil)
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
		s.publishPackageError(t.ps, err)
	}
	// Logical-ID diagnostics and completion depend on the template.
	s.reanalyzeOpen()
	s.refreshPulled()
	return res, err
}

// publishPackageError puts a packaging failure where it points (the app.py line of
// an import error, the config.json line of a config error; otherwise config.json's
// first line), or clears the project's packaging diagnostics when err is nil.
func (s *Server) publishPackageError(ps *projectState, err error) {
	within := func(u uri.URI) bool {
		p := pathOf(u)
		rel, e := filepath.Rel(ps.proj.Dir, p)
		return e == nil && rel != ".." && !bytes.HasPrefix([]byte(rel), []byte("../"))
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
	src, rerr := s.docs.ReadFile(file)
	if rerr != nil {
		file, line = ps.proj.ConfigPath, 0
		src, _ = s.docs.ReadFile(file)
	}
	m := (&overlay.Document{Content: src}).Mapper()
	l := max(line-1, 0)
	start := m.LineStart(l)
	end := m.LineStart(l + 1)
	for end > start && (src[end-1] == '\n' || src[end-1] == '\r') {
		end--
	}
	code := "package-failed"
	if perr != nil {
		code = "package-" + string(perr.Class)
	}
	d := diag.Diagnostic{Start: start, End: end, Severity: diag.Error, Code: code, Message: "chalice package: " + msg}
	s.diags.set(uri.File(file), 0, srcPackage, []protocol.Diagnostic{s.toDiagnostic(m, d, "chalice package")})
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
