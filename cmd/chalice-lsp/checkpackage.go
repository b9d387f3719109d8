package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/discover"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/packager"
)

// checkPackaging runs the packager (with its cache) for every project below arg
// for stage (default dev), and for every Chalice construct call in the CDK code
// below it with that call's stage and stage_config, and reports each failure
// where it points: the outcomes enter the snapshot as the server's do, and
// analysis.PackagingFailures places them (the locator the editor and
// `chalice-lsp package` use). It imports the apps, hence opt-in.
func checkPackaging(ctx context.Context, p *packager.Packager, arg, stage string) ([]fileDiagnostic, error) {
	tree, err := discover.Walk(arg)
	if err != nil {
		return nil, fmt.Errorf("cannot search %s: %v", arg, err)
	}
	st := settings.Defaults()
	st.Stage = stage
	snap := analysis.New(safefile.Read, workspaceProjects(tree.Projects), workspaceApps(tree.CDKApps), st)
	targets := map[string]analysis.Target{}
	for _, pr := range snap.Projects() {
		t := analysis.Target{Project: pr, Stage: st.EffectiveStage()}
		targets[t.Key()] = t
	}
	for _, file := range tree.Files {
		cf := snap.CDK(file)
		if cf == nil {
			continue
		}
		for _, c := range cf.Constructs {
			if c.Target.Project != nil {
				targets[c.Target.Key()] = c.Target
			}
		}
	}
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var recs []*analysis.Packaging
	for _, k := range keys {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t := targets[k]
		_, err := p.Package(ctx, t.Request())
		if err == nil {
			continue
		}
		var perr *packager.Error
		if errors.As(err, &perr) && (perr.Class == packager.ClassChaliceNotInstalled || perr.Class == packager.ClassNoRegion || perr.Class == packager.ClassContainer) {
			// Not a finding about the project: the machine cannot package.
			return nil, fmt.Errorf("--package: %v", err)
		}
		recs = append(recs, &analysis.Packaging{Key: k, Dir: t.Project.Dir, Stage: t.Stage, CDKPath: t.CDKPath, Err: err})
	}
	snap, _ = snap.Modify(analysis.Changes{Packaging: recs})
	failures := analysis.PackagingFailures(snap)
	files := make([]string, 0, len(failures))
	for f := range failures {
		files = append(files, f)
	}
	sort.Strings(files)
	var out []fileDiagnostic
	for _, file := range files {
		content, _ := snap.ReadFile(file)
		out = append(out, fileDiagnostics(file, file, content, failures[file])...)
	}
	return out, nil
}

// packagingRoot is the directory --package searches for arg: arg itself, or the
// project holding a .chalice/config.json given as a file.
func packagingRoot(arg string) string {
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		return filepath.Dir(filepath.Dir(arg))
	}
	return arg
}
