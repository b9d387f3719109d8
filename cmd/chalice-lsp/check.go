package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/lsp/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
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
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("check", flag.ContinueOnError)
	// The flag package prints the usage while parsing; hold it until we know whether
	// it was asked for (-h: stdout, exit 0) or is the answer to a mistake (stderr).
	var parseOut bytes.Buffer
	fset.SetOutput(&parseOut)
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: chalice-lsp check [--format text|json] [--stage NAME] [--packaged] PATH...\n\n"+
			"PATH is a Chalice project directory or its .chalice/config.json; a config.json elsewhere is checked\n"+
			"on its own, without app.py and policy files. Flags may also follow the paths.\n"+
			"Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.")
		fset.PrintDefaults()
	}
	format := fset.String("format", "text", "output format: text (file:line:col: severity: message [code]) or json")
	stage := fset.String("stage", "", "check only this stage: its settings, the top level and the functions (default: every stage in the file, plus dev)")
	packaged := fset.Bool("packaged", false, "the projects are packaged with `chalice package` (CDK or chalice-lsp package) even if no CDK app in their tree points at them: what only packaging rejects is an error")
	paths, err := parseInterspersed(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		stdout.Write(parseOut.Bytes())
		return 0
	}
	stderr.Write(parseOut.Bytes())
	if err != nil {
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "chalice-lsp check: --format must be text or json, not %q\n", *format)
		return 2
	}
	if len(paths) == 0 {
		fset.SetOutput(stderr)
		fset.Usage()
		return 2
	}

	// A path that cannot be read does not hide what the other paths hold; it only
	// decides the exit status.
	var all []fileDiagnostic
	ioFailed := false
	for _, arg := range paths {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "chalice-lsp check: interrupted")
			return 130
		}
		ds, err := checkPath(arg, *stage, *packaged, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "chalice-lsp check: %v\n", err)
			ioFailed = true
			continue
		}
		all = append(all, ds...)
	}

	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "chalice-lsp check: interrupted")
		return 130
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
	switch {
	case ioFailed:
		return 2
	case failed:
		return 1
	}
	return 0
}

// parseInterspersed parses flags that may stand before, between and after the paths
// (`check app --stage prod` as well as `check --stage prod app`); "--" ends the flags.
// It returns the paths in order.
func parseInterspersed(fset *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		rest := fset.Args()
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(paths, rest...), nil
		}
		if len(rest) == 0 {
			return paths, nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

// checkPath resolves a project directory or config file and checks it. stage, when
// not empty, limits the check to that stage; notes for the user go to stderr.
func checkPath(arg, stage string, packaged bool, stderr io.Writer) ([]fileDiagnostic, error) {
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
	}
	// A config.json outside .chalice/ belongs to no project we can see: Chalice would
	// look for its policy files in <project>/.chalice/ and its handlers in
	// <project>/app.py, so those checks are left out rather than guessed.
	src, err := safefile.Read(configPath)
	if err != nil {
		if safefile.IsSkipped(err) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot read %s: %v", configPath, err)
	}

	root, ds := schema.CheckConfig(src)
	var stages []string
	if stage != "" {
		stages = []string{stage}
		ds = dropOtherStages(root, stage, ds)
		if !slices.Contains(effective.Stages(root), stage) {
			fmt.Fprintf(stderr, "chalice-lsp check: note: %s has no stage %q (stages: %s); it is checked as Chalice would deploy it, with the top-level settings only\n",
				displayPath(configPath), stage, strings.Join(effective.Stages(root), ", "))
		}
	}
	byFile := map[string][]diag.Diagnostic{configPath: ds}
	var app *appmodel.App
	if projectDir != "" {
		// Absolute, so that messages quoting Chalice's own errors name the file
		// the way Chalice does.
		if abs, err := filepath.Abs(projectDir); err == nil {
			projectDir = abs
		}
		if app, err = appmodel.Load(projectDir); err != nil {
			app = nil // rules that need handlers are skipped; the config is still checked
			if safefile.IsSkipped(err) {
				fmt.Fprintf(stderr, "chalice-lsp check: note: %v; the checks that need app.py's handlers were left out\n", err)
			}
		}
	}
	if !packaged && projectDir != "" {
		packaged = targetedByCDK(projectDir)
	}
	res := rules.Check(root, app, rules.Options{Stages: stages, ProjectDir: projectDir, Packaged: packaged})
	byFile[configPath] = append(byFile[configPath], res.Config...)
	if app != nil {
		// Syntax errors, unresolved blueprints and skipped modules, in every file read.
		for file, pes := range app.FileErrors {
			byFile[file] = append(byFile[file], pes...)
		}
	}
	for file, fds := range res.App {
		byFile[file] = append(byFile[file], fds...)
	}

	// config.json first (it is what was asked about), then the Python files by name.
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		if f != configPath {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	files = append([]string{configPath}, files...)
	var out []fileDiagnostic
	for _, file := range files {
		fds := byFile[file]
		if len(fds) == 0 {
			continue
		}
		content := src
		if file != configPath {
			// A skipped file's own diagnostic sits at its start: no content needed.
			if content, err = safefile.Read(file); err != nil && !safefile.IsSkipped(err) {
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

// targetedByCDK reports whether a CDK construct in the project's tree (its
// repository: the nearest directory above it holding .git, else its parent)
// packages projectDir: a source_dir that resolves to it, or one that cannot be
// resolved when the tree holds no other Chalice project.
func targetedByCDK(projectDir string) bool {
	root := filepath.Dir(projectDir)
	for dir := projectDir; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			root = dir
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	found := cdkcode.ScanTree(root, nil)
	unresolved := false
	for _, f := range found {
		if f.Dir == "" {
			unresolved = true
			continue
		}
		if same(f.Dir, projectDir) {
			return true
		}
	}
	return unresolved && onlyProjectUnder(root, projectDir)
}

func same(a, b string) bool {
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	if err1 != nil || err2 != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return ra == rb
}

// onlyProjectUnder reports whether projectDir is the one Chalice project under root.
func onlyProjectUnder(root, projectDir string) bool {
	n := 0
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if path != root && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".chalice" || d.Name() == "node_modules" || d.Name() == "cdk.out") {
			return filepath.SkipDir
		}
		if d.Name() == ".chalice" {
			if _, err := os.Stat(filepath.Join(path, "config.json")); err == nil {
				n++
			}
			return filepath.SkipDir
		}
		return nil
	})
	return n == 1
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
	if rel, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return abs
}

// dropOtherStages removes the findings inside stages.<other> for every other stage
// than stage: they cannot affect a deployment of stage. Problems that stop Chalice
// from reading the file at all (JSON syntax, encoding) are kept wherever they are.
func dropOtherStages(root *jsonpos.Node, stage string, ds []diag.Diagnostic) []diag.Diagnostic {
	type span struct{ start, end int }
	var other []span
	if root != nil && root.Kind == jsonpos.Object {
		for _, top := range root.Members {
			if top.Key != "stages" || top.Value == nil || top.Value.Kind != jsonpos.Object {
				continue
			}
			for _, m := range top.Value.Members {
				if m.Key == stage {
					continue
				}
				end := m.KeyEnd
				if m.Value != nil {
					end = m.Value.End
				}
				other = append(other, span{m.KeyStart, end})
			}
		}
	}
	out := ds[:0:0]
	for _, d := range ds {
		keep := true
		switch d.Code {
		case schema.CodeJSONSyntax, schema.CodeInvalidEncoding, schema.CodeEmptyFile:
		default:
			for _, sp := range other {
				if d.Start >= sp.start && d.End <= sp.end {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, d)
		}
	}
	return out
}
