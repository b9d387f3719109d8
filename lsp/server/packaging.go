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
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/pathutil"
	"github.com/chalice-lsp/chalice-lsp/lsp/overlay"
	"github.com/chalice-lsp/chalice-lsp/packager"
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
		StageConfig: t.stageConfig,
		Package:     packager.PackageConfig{UseContainer: st.UseContainer, Image: st.ContainerImage, Env: env},
		Python:      python,
		Timeout:     st.PackageTimeout,
		Supersede:   key,
	}
	req.StageConfigMode = t.overlay.Mode
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

// publishPackageError puts the packaging failure of t where it points
// (analysis.Snapshot.PackagingFailure, the one locator), or clears the project's
// packaging diagnostics when err is nil.
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
	snap := s.snapshot()
	rec := snap.Packaging(t.key())
	if rec == nil || rec.Err == nil {
		rec = &analysis.Packaging{Key: t.key(), Dir: ps.proj.Dir, Stage: t.stage, CDKPath: t.cdkPath(), Err: err}
	}
	file, d, ok := snap.PackagingFailure(rec)
	if !ok {
		return
	}
	src, _ := snap.ReadFile(file)
	m := (&overlay.Document{Content: src}).Mapper()
	u := uri.File(file)
	if !within(u) {
		ps.mu.Lock()
		ps.pkgDiagURIs = map[uri.URI]bool{u: true}
		ps.mu.Unlock()
	}
	s.diags.set(u, 0, srcPackage, []protocol.Diagnostic{s.toDiagnostic(m, d, "chalice package")})
}

// cdkPath is the CDK file whose stage_config t packages, "" for none.
func (t pkgTarget) cdkPath() string {
	if t.cdkDoc == nil {
		return ""
	}
	return t.cdkDoc.Path
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
