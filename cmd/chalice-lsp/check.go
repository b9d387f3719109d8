package main

import (
	"bytes"
	"context"
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

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/cdkcode"
	"github.com/chalice-lsp/chalice-lsp/internal/discover"
	"github.com/chalice-lsp/chalice-lsp/internal/pyproject"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/treewalk"
	"github.com/chalice-lsp/chalice-lsp/internal/workspace"
	"github.com/chalice-lsp/chalice-lsp/packager"
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
	File     string        `json:"file"`
	Range    text.Range    `json:"range"`
	Severity string        `json:"severity"`
	Code     string        `json:"code"`
	Message  string        `json:"message"`
	abs      string        // the file's absolute path (for pyproject settings)
	sev      diag.Severity // Severity, for --fail-on
}

// fileDiagnostics converts the findings ds in file (content) to the report's
// form, in their order. abs is the file's absolute path.
func fileDiagnostics(file, abs string, content []byte, ds []diag.Diagnostic) []fileDiagnostic {
	m := text.NewMapper(content)
	out := make([]fileDiagnostic, 0, len(ds))
	for _, d := range ds {
		out = append(out, fileDiagnostic{
			File: displayPath(file), abs: abs,
			Range:    m.Range(d.Start, d.End, text.UTF16),
			Severity: d.Severity.String(), sev: d.Severity, Code: d.Code, Message: d.Message,
		})
	}
	return out
}

// runCheck implements `chalice-lsp check`. A PATH that is a Chalice project or a
// config.json is checked as a project (schema, semantic rules, app.py); any other
// directory is searched for Chalice projects and CDK apps, and every file found is
// analysed by the core the language server publishes from (internal/analysis), so
// CI reports exactly what the editor reports.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("check", flag.ContinueOnError)
	// The flag package prints the usage while parsing; hold it until we know whether
	// it was asked for (-h: stdout, exit 0) or is the answer to a mistake (stderr).
	var parseOut bytes.Buffer
	fset.SetOutput(&parseOut)
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: chalice-lsp check [--format text|json|sarif|github] [--fail-on error|warning|never] [--ignore CODE]... [--stage NAME] [--packaged] [--package] [PATH...]\n\n"+
			"PATH (default .) is a Chalice project directory or its .chalice/config.json, or any directory: every\n"+
			"Chalice project and CDK app below it is checked (skipping .git, node_modules, virtualenvs, cdk.out,\n"+
			"chalice.out, build folders and what .gitignore ignores), with the findings the editor shows.\n"+
			"A config.json elsewhere is checked on its own, without app.py and policy files. Flags may also follow\n"+
			"the paths. [tool.chalice-lsp] in the nearest pyproject.toml (ignore, stage, per-file-ignores) applies.\n"+
			"Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or I/O error.")
		fset.PrintDefaults()
	}
	format := fset.String("format", "text", "output format: text (file:line:col: severity: message [code]), json, sarif (SARIF 2.1.0) or github (workflow-command annotations)")
	stage := fset.String("stage", "", "check only this stage: its settings, the top level and the functions (default: [tool.chalice-lsp] stage, else every stage in the file, plus dev)")
	packaged := fset.Bool("packaged", false, "the projects are packaged with `chalice package` (CDK or chalice-lsp package) even if no CDK app in their tree points at them: what only packaging rejects is an error")
	pkgRun := fset.Bool("package", false, "also package every project (for --stage, default dev) and every Chalice construct call's project, stage and stage_config with the packager and its cache, and report packaging failures where they point; off by default because packaging imports the apps")
	failOn := fset.String("fail-on", "error", "lowest severity that makes the exit status 1: error, warning or never")
	var ignore codeList
	fset.Var(&ignore, "ignore", "a diagnostic code not to report (repeatable, or a comma-separated list)")
	paths, err := parseInterspersed(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		stdout.Write(parseOut.Bytes())
		return 0
	}
	stderr.Write(parseOut.Bytes())
	if err != nil {
		return 2
	}
	switch *format {
	case "text", "json", "sarif", "github":
	default:
		fmt.Fprintf(stderr, "chalice-lsp check: --format must be text, json, sarif or github, not %q\n", *format)
		return 2
	}
	var threshold diag.Severity
	switch *failOn {
	case "error":
		threshold = diag.Error
	case "warning":
		threshold = diag.Warning
	case "never":
	default:
		fmt.Fprintf(stderr, "chalice-lsp check: --fail-on must be error, warning or never, not %q\n", *failOn)
		return 2
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}

	// A path that cannot be read does not hide what the other paths hold; it only
	// decides the exit status.
	var all []fileDiagnostic
	ioFailed := false
	var pkgr *packager.Packager // for --package, one for all paths
	for _, arg := range paths {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "chalice-lsp check: interrupted")
			return 130
		}
		var ds []fileDiagnostic
		if isTree(arg) {
			ds, err = checkTree(arg)
		} else {
			ds, err = checkPath(arg, stageFor(arg, *stage), *packaged, stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "chalice-lsp check: %v\n", err)
			ioFailed = true
			continue
		}
		if *pkgRun {
			if pkgr == nil {
				pkgr = packager.New(packager.Options{})
			}
			pds, perr := checkPackaging(ctx, pkgr, packagingRoot(arg), stageFor(arg, *stage))
			if perr != nil {
				fmt.Fprintf(stderr, "chalice-lsp check: %v\n", perr)
				ioFailed = true
			}
			ds = append(ds, pds...)
		}
		ds, err = applySettings(ds, ignore)
		if err != nil {
			fmt.Fprintf(stderr, "chalice-lsp check: %v\n", err)
			ioFailed = true
		}
		all = append(all, ds...)
	}

	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "chalice-lsp check: interrupted")
		return 130
	}
	failed := false
	for _, d := range all {
		failed = failed || (threshold != 0 && d.sev <= threshold)
	}
	if err := writeReport(stdout, *format, all); err != nil {
		fmt.Fprintf(stderr, "chalice-lsp check: writing the report: %v\n", err)
		return 2
	}
	switch {
	case ioFailed:
		return 2
	case failed:
		return 1
	}
	return 0
}

// codeList is a repeatable flag of codes; each value may be a comma-separated list.
type codeList []string

func (c *codeList) String() string { return strings.Join(*c, ",") }
func (c *codeList) Set(v string) error {
	for _, code := range strings.Split(v, ",") {
		if code = strings.TrimSpace(code); code != "" {
			*c = append(*c, code)
		}
	}
	return nil
}

// applySettings drops the codes --ignore names and those the [tool.chalice-lsp]
// settings of each file's nearest pyproject.toml ignore (the server applies the
// same settings to what it publishes).
func applySettings(ds []fileDiagnostic, ignore []string) ([]fileDiagnostic, error) {
	out := ds[:0:0]
	cache := map[string]*pyproject.Settings{}
	var firstErr error
	for _, d := range ds {
		if slices.Contains(ignore, d.Code) {
			continue
		}
		dir := filepath.Dir(d.abs)
		st, ok := cache[dir]
		if !ok {
			var err error
			if st, err = pyproject.Find(dir); err != nil && firstErr == nil {
				firstErr = err
			}
			cache[dir] = st
		}
		if !st.Ignores(d.abs, d.Code) {
			out = append(out, d)
		}
	}
	return out, firstErr
}

// stageFor is the stage to check for a project path: --stage, else the stage of
// the project's [tool.chalice-lsp] settings, else "" (every stage).
func stageFor(arg, flagStage string) string {
	if flagStage != "" {
		return flagStage
	}
	dir := arg
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		dir = filepath.Dir(arg)
	}
	if st, err := pyproject.Find(dir); err == nil && st != nil {
		return st.Stage
	}
	return ""
}

// isTree reports whether arg is a directory to search rather than a project: a
// directory without .chalice/config.json.
func isTree(arg string) bool {
	info, err := os.Stat(arg)
	if err != nil || !info.IsDir() {
		return false
	}
	_, err = os.Stat(filepath.Join(arg, ".chalice", "config.json"))
	return err != nil
}

// checkTree discovers the projects and CDK apps below dir and runs the analysis
// core the language server publishes from (internal/analysis) on every file found,
// with the settings of a fresh, untrusted editor session: the same findings an
// editor shows for those files (TestCheckEqualsEditor holds both to it).
func checkTree(dir string) ([]fileDiagnostic, error) {
	tree, err := discover.Walk(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot search %s: %v", dir, err)
	}
	if len(tree.Files) == 0 {
		return nil, fmt.Errorf("%s is not a Chalice project and holds none: no .chalice/config.json and no CDK code using a Chalice construct below it (skipping .git, node_modules, virtualenvs, cdk.out, chalice.out, build folders and what .gitignore ignores)", dir)
	}
	snap := analysis.New(safefile.Read, workspaceProjects(tree.Projects), workspaceApps(tree.CDKApps), settings.Defaults())
	var out []fileDiagnostic
	for _, file := range tree.Files {
		ds := analysis.Diagnose(snap, file)
		if len(ds) == 0 {
			continue
		}
		content, err := snap.ReadFile(file)
		if err != nil && !safefile.IsSkipped(err) {
			return nil, fmt.Errorf("cannot read %s: %v", file, err)
		}
		diag.Sort(ds)
		out = append(out, fileDiagnostics(file, file, content, ds)...)
	}
	return out, nil
}

// workspaceProjects are the discovered project directories as the language
// server's workspace holds them: a project has both .chalice/config.json and
// app.py (a config.json alone gets the schema checks only, as in the editor).
func workspaceProjects(dirs []string) []*workspace.Project {
	var ps []*workspace.Project
	for _, d := range dirs {
		if p := workspace.ProjectAt(d); p != nil {
			ps = append(ps, p)
		}
	}
	return ps
}

func workspaceApps(dirs []string) []*workspace.CDKApp {
	var cs []*workspace.CDKApp
	for _, d := range dirs {
		cs = append(cs, &workspace.CDKApp{Dir: d})
	}
	return cs
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
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
		diag.Sort(fds)
		out = append(out, fileDiagnostics(file, absPath(file), content, fds)...)
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
	_ = treewalk.Walk(root, func(path string, d fs.DirEntry) error {
		if !d.IsDir() {
			return nil
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
