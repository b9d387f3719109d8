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
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// packagingTarget is one packaging run `check --package` makes: a project for a
// stage, alone or with a construct call's stage_config (from cdkPath).
type packagingTarget struct {
	t       analysis.Target
	cdkPath string
}

// checkPackaging runs the packager (with its cache) for every project below arg
// for stage (default dev), and for every Chalice construct call in the CDK code
// below it with that call's stage and stage_config, and reports each failure
// where it points (analysis.Snapshot.PackagingFailure, the locator the editor and
// `chalice-lsp package` use). It imports the apps, hence opt-in.
func checkPackaging(ctx context.Context, p *packager.Packager, arg, stage string) ([]fileDiagnostic, error) {
	tree, err := discover.Walk(arg)
	if err != nil {
		return nil, fmt.Errorf("cannot search %s: %v", arg, err)
	}
	st := settings.Defaults()
	st.Stage = stage
	snap := analysis.New(safefile.Read, workspaceProjects(tree.Projects), workspaceApps(tree.CDKApps), st)
	targets := map[string]packagingTarget{}
	for _, pr := range snap.Projects() {
		t := analysis.Target{Project: pr, Stage: st.EffectiveStage()}
		targets[t.Key()] = packagingTarget{t: t}
	}
	for _, file := range tree.Files {
		cf := snap.CDK(file)
		if cf == nil {
			continue
		}
		for _, c := range cf.Constructs {
			if c.Target.Project != nil {
				targets[c.Target.Key()] = packagingTarget{t: c.Target, cdkPath: file}
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
		pt := targets[k]
		_, err := p.Package(ctx, pt.t.Request())
		if err == nil {
			continue
		}
		var perr *packager.Error
		if errors.As(err, &perr) && (perr.Class == packager.ClassChaliceNotInstalled || perr.Class == packager.ClassNoRegion || perr.Class == packager.ClassContainer) {
			// Not a finding about the project: the machine cannot package.
			return nil, fmt.Errorf("--package: %v", err)
		}
		recs = append(recs, &analysis.Packaging{Key: k, Dir: pt.t.Project.Dir, Stage: pt.t.Stage, CDKPath: pt.cdkPath, Err: err})
	}
	var out []fileDiagnostic
	for _, r := range recs {
		file, d, ok := snap.PackagingFailure(r)
		if !ok {
			continue
		}
		content, _ := snap.ReadFile(file)
		m := text.NewMapper(content)
		out = append(out, fileDiagnostic{
			File: displayPath(file), abs: file,
			Range:    m.Range(d.Start, d.End, text.UTF16),
			Severity: diag.Error.String(), Code: d.Code, Message: d.Message,
		})
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
