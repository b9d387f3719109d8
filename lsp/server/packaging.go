package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Packaging runs in the background (lsp/jobs, one run per analysis.Target.Key at
// a time) or for a command. Its outcome enters the snapshot as a change
// (analysis.Changes.Packaging), the only record of it; the chalice-package
// diagnostics are derived from the snapshot (analysis.PackagingFailures).

// packageOnOpen schedules packaging for the project(s) a freshly opened document
// belongs to, when automatic packaging is allowed.
func (s *Server) packageOnOpen(snap *analysis.Snapshot, path string) {
	s.packageFor(snap, path, 50*time.Millisecond)
}

// packageOnSave schedules packaging after a save of an input (debounced).
func (s *Server) packageOnSave(snap *analysis.Snapshot, path string) {
	s.packageFor(snap, path, s.opts.Debounce)
}

func (s *Server) packageFor(snap *analysis.Snapshot, path string, delay time.Duration) {
	if path == "" {
		return
	}
	if st := snap.Settings(); !st.AutomaticPackaging() {
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
	for _, t := range s.targetsFor(snap, path) {
		s.jobs.Schedule(t.Key(), delay, func(ctx context.Context) {
			_, _ = s.runPackage(ctx, s.snapshot(), t, nil, false)
		})
	}
}

// targetsFor lists what to package when path is opened or saved: its project for
// the configured stage, and for CDK code every construct call's project, stage and
// stage_config.
func (s *Server) targetsFor(snap *analysis.Snapshot, path string) []analysis.Target {
	var ts []analysis.Target
	if p := snap.ProjectFor(path); p != nil && (classify(path) == kindConfig || analysis.IsProjectInput(p, path)) {
		ts = append(ts, analysis.Target{Project: p, Stage: snap.Settings().EffectiveStage()})
	}
	if k := classify(path); k == kindPython || k == kindGo {
		if d := s.docs.ByPath(path); d != nil {
			if f := cdkOf(snap, d); f != nil {
				ts = append(ts, targets(f.an)...)
			}
		}
	}
	return ts
}

// runPackage packages t now with the settings and stage config of snap,
// reporting progress, and records the outcome. token is the client's
// workDoneToken for explicit commands. explicit runs report failures to the
// caller instead of only as diagnostics.
func (s *Server) runPackage(ctx context.Context, snap *analysis.Snapshot, t analysis.Target, token protocol.ProgressToken, explicit bool) (*packager.Result, error) {
	st := snap.Settings()
	dir := t.Project.Dir
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	name := filepath.Base(dir)
	wd := s.track.Start(ctx, "chalice package", fmt.Sprintf("%s (stage %s)", name, t.Stage), token, cancel)

	python := st.Python // "" = the packager's order (packager.findInterpreter), $CHALICE_LSP_VENV first
	env := map[string]string{}
	for k, v := range s.opts.Env {
		env[k] = v
	}
	// No region set: the packager uses packager.DefaultRegion.
	req := t.Request() // the project, stage and stage_config as its construct applies them
	req.Package = packager.PackageConfig{UseContainer: st.UseContainer, Image: st.ContainerImage, Env: env}
	req.Python = python
	req.Timeout = st.PackageTimeout
	req.Supersede = t.Key()
	s.logf(protocol.MessageTypeLog, "packaging %s for stage %s", dir, t.Stage)
	res, err := s.pkgr.Package(ctx, req)

	var perr *packager.Error
	if ctx.Err() != nil || errors.As(err, &perr) && (perr.Class == packager.ClassCancelled || perr.Class == packager.ClassSuperseded) {
		wd.End(ctx, "cancelled")
		return nil, err
	}
	// The snapshot owns the outcome: it enters as a change, which re-analyses
	// the files that depend on it (a failure keeps the last good template).
	rec := &analysis.Packaging{Key: t.Key(), Dir: dir, Stage: t.Stage, CDKPath: t.CDKPath, Err: err}
	if err == nil {
		rec.Result, rec.At = res, time.Now()
	}
	_, prev := s.modifyFrom(analysis.Changes{Packaging: []*analysis.Packaging{rec}})

	if err == nil {
		how := "packaged"
		if res.Cached {
			how = "unchanged (cached)"
		}
		wd.End(ctx, fmt.Sprintf("%s: %s, %d resources", name, how, len(res.Template.Resources)))
		s.logf(protocol.MessageTypeInfo, "%s (stage %s): %s in %s; %d resources; template %s", name, t.Stage, how, res.Duration.Round(time.Millisecond), len(res.Template.Resources), res.TemplatePath)
		for _, f := range res.Fixups {
			s.logf(protocol.MessageTypeInfo, "%s: fixed chalice output: %s", name, f)
		}
	} else {
		wd.End(ctx, "failed: "+firstLine(err.Error()))
		s.logf(protocol.MessageTypeError, "packaging %s (stage %s) failed: %v", dir, t.Stage, err)
		if perr != nil && len(perr.Output) > 0 {
			s.logf(protocol.MessageTypeLog, "chalice output:\n%s", perr.Output)
		}
		if last := prev.Packaging(rec.Key); !explicit && (last == nil || last.Err == nil || last.Err.Error() != err.Error()) {
			// Shown once per distinct failure: saving again with the same problem
			// only updates the diagnostics.
			s.showf(protocol.MessageTypeError, "chalice package failed for %s (stage %s): %s", name, t.Stage, firstLine(err.Error()))
		}
	}
	s.publishPackaging()
	s.refreshDependents()
	return res, err
}

// publishPackaging publishes the current snapshot's packaging failures where
// they point (analysis.PackagingFailures) and clears the chalice-package
// diagnostics of files they no longer point into.
func (s *Server) publishPackaging() {
	s.pkgPubMu.Lock()
	defer s.pkgPubMu.Unlock()
	snap := s.snapshot()
	now := map[uri.URI][]protocol.Diagnostic{}
	for file, ds := range analysis.PackagingFailures(snap) {
		src, _ := snap.ReadFile(file)
		m := text.NewMapper(src)
		for _, d := range ds {
			now[uri.File(file)] = append(now[uri.File(file)], s.toDiagnostic(m, d, "chalice package"))
		}
	}
	for _, u := range s.diags.urisWith(srcPackage) {
		if _, ok := now[u]; !ok {
			s.diags.set(u, 0, srcPackage, nil)
		}
	}
	for u, ds := range now {
		s.diags.set(u, 0, srcPackage, ds)
	}
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
