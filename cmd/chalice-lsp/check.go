package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/chalice-lsp/chalice-lsp/packager/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/rules"
	"github.com/chalice-lsp/chalice-lsp/schema/text"
)

// fileDiagnostic is one finding in the CLI's output formats.
type fileDiagnostic struct {
	File     string     `json:"file"`
	Range    text.Range `json:"range"`
	Severity string     `json:"severity"`
	Code     string     `json:"code"`
	Message  string     `json:"message"`
}

// runCheck implements `chalice-lsp check`: the schema and Chalice's semantic rules over
// each project's config.json (and app.py handlers), with exact positions.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("check", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: chalice-lsp check [--format text|json] [--stage NAME] PATH...\n\nPATH is a Chalice project directory or a .chalice/config.json. Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.")
		fset.PrintDefaults()
	}
	format := fset.String("format", "text", "output format: text (file:line:col: severity: message [code]) or json")
	stage := fset.String("stage", "", "check only this stage (default: every stage in the file, plus dev)")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "chalice-lsp check: --format must be text or json, not %q\n", *format)
		return 2
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return 2
	}
	var stages []string
	if *stage != "" {
		stages = []string{*stage}
	}

	var all []fileDiagnostic
	for _, arg := range fset.Args() {
		ds, err := checkPath(arg, stages)
		if err != nil {
			fmt.Fprintf(stderr, "chalice-lsp check: %v\n", err)
			return 2
		}
		all = append(all, ds...)
	}

	failed := false
	for _, d := range all {
		failed = failed || d.Severity == diag.Error.String()
	}
	if *format == "json" {
		if all == nil {
			all = []fileDiagnostic{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"diagnostics": all})
	} else {
		for _, d := range all {
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s [%s]\n", d.File, d.Range.Start.Line+1, d.Range.Start.Character+1, d.Severity, d.Message, d.Code)
		}
	}
	if failed {
		return 1
	}
	return 0
}

// checkPath resolves a project directory or config file and checks it.
func checkPath(arg string, stages []string) ([]fileDiagnostic, error) {
	info, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file or directory", arg)
		}
		return nil, err
	}
	configPath, projectDir := arg, ""
	if info.IsDir() {
		configPath = filepath.Join(arg, ".chalice", "config.json")
		projectDir = arg
		if _, err := os.Stat(configPath); err != nil {
			return nil, fmt.Errorf("%s is not a Chalice project: %s is missing (run `chalice new-project` or pass the config file)", arg, configPath)
		}
	} else if filepath.Base(filepath.Dir(configPath)) == ".chalice" {
		projectDir = filepath.Dir(filepath.Dir(configPath))
	} else {
		projectDir = filepath.Dir(configPath)
	}
	src, err := os.ReadFile(configPath)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", configPath, err)
	}

	root, ds := schema.CheckConfig(src)
	byFile := map[string][]diag.Diagnostic{configPath: ds}
	app, appErr := appmodel.Load(projectDir)
	if appErr != nil {
		app = nil // rules that need handlers are skipped; the config is still checked
	}
	res := rules.Check(root, app, rules.Options{Stages: stages, ProjectDir: projectDir})
	byFile[configPath] = append(byFile[configPath], res.Config...)
	if app != nil {
		for _, pe := range app.ParseErrors {
			byFile[app.AppFile] = append(byFile[app.AppFile], pe)
		}
	}
	for file, fds := range res.App {
		byFile[file] = append(byFile[file], fds...)
	}

	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	var out []fileDiagnostic
	for _, file := range files {
		fds := byFile[file]
		if len(fds) == 0 {
			continue
		}
		content := src
		if file != configPath {
			if content, err = os.ReadFile(file); err != nil {
				return nil, fmt.Errorf("cannot read %s: %v", file, err)
			}
		}
		m := text.NewMapper(content)
		diag.Sort(fds)
		for _, d := range fds {
			out = append(out, fileDiagnostic{
				File:     displayPath(file),
				Range:    m.Range(d.Start, d.End, text.UTF16),
				Severity: d.Severity.String(),
				Code:     d.Code,
				Message:  d.Message,
			})
		}
	}
	return out, nil
}

// displayPath shows paths relative to the working directory when that is shorter.
func displayPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && len(rel) < len(abs) && !filepath.IsAbs(rel) && rel[:min(2, len(rel))] != ".." {
		return rel
	}
	return abs
}
