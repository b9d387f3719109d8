// Package rules checks .chalice/config.json (and a CDK stage_config overlay) for
// mistakes the JSON Schema cannot see: problems that depend on Chalice's precedence
// between levels (schema/effective), on the project's files, or on the handlers in
// app.py (schema/appmodel).
//
// Each finding is reported once per source range, on the value that causes it as
// resolved with Chalice's precedence, and names the stages and functions it affects.
// Findings whose cause sits in the stage_config overlay are returned separately
// (Result.Overlay), and findings about app.py code per Python file (Result.App).
//
// Type problems that schema.Validate reports on the same range (non-string
// environment variable and tag values, version above 2.0, url_prefixes and
// security_policy in custom domains) are not repeated here unless
// Options.IncludeSchemaChecks is set, for callers that do not run the schema.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// Options select what Check looks at.
type Options struct {
	// Stages to check. Nil means every stage in config.json plus "dev"; "" means
	// "dev".
	Stages []string
	// User is the stage_config overlay of a CDK construct, applied to every checked
	// stage; set Stages to the construct's stage. Nil for none. Its offsets point
	// into its own source file (see Result.Overlay).
	User *jsonpos.Node
	// UserMode says how the construct applies User: as Chalice's user params
	// (chalice.cdk.Chalice, the default), deep-merged into the stage (chalice-lsp's
	// construct) or written as the stage (cdk-chalice).
	UserMode effective.OverlayMode
	// ProjectDir holds .chalice/ (for policy files). Empty means app.Dir; when both
	// are empty the policy file checks are skipped.
	ProjectDir string
	// IncludeSchemaChecks also reports the problems schema.Validate already reports
	// on the same ranges (codes marked "schema overlap" in codes.go). Leave it off
	// when the schema validator runs too, to avoid duplicate diagnostics.
	IncludeSchemaChecks bool
	// Packaged says the project is packaged with `chalice package` (a CDK
	// construct or chalice-lsp's packager targets it), so what only packaging
	// rejects (S3 event handlers) is an error; otherwise it is information,
	// since `chalice deploy` handles it.
	Packaged bool
}

// Result holds the findings by the file they belong to.
type Result struct {
	// Config holds diagnostics with offsets into config.json.
	Config []diag.Diagnostic
	// Overlay holds diagnostics with offsets into the source of Options.User.
	Overlay []diag.Diagnostic
	// App holds diagnostics for Python files, keyed by absolute path
	// (appmodel.Handler.File).
	App map[string][]diag.Diagnostic
}

// Check runs every rule. root is the parsed config.json (may be nil or broken), app
// the parsed project (nil when app.py is unavailable: rules that need handlers are
// skipped, and functions are taken from config.json plus api_handler).
func Check(root *jsonpos.Node, app *appmodel.App, opts Options) Result {
	c := &checker{
		root:     root,
		user:     opts.User,
		app:      app,
		opts:     opts,
		findings: map[findingKey]*finding{},
	}
	if opts.Stages == nil {
		c.stages = effective.Stages(root)
	} else {
		seen := map[string]bool{}
		for _, s := range opts.Stages {
			if s == "" {
				s = effective.DefaultStage
			}
			if !seen[s] {
				seen[s] = true
				c.stages = append(c.stages, s)
			}
		}
	}
	c.projectDir = opts.ProjectDir
	if c.projectDir == "" && app != nil {
		c.projectDir = app.Dir
	}
	c.appIncomplete = app != nil && (hasFileErrors(app) || app.HandlersUnknown != "")
	c.hasAPI = app == nil || c.appIncomplete
	if app != nil {
		for _, h := range app.Handlers {
			if h.Kind == appmodel.KindRoute {
				c.hasAPI = true
			}
		}
	}

	for _, stage := range c.stages {
		fns := c.functions(stage)
		for _, fn := range fns {
			c.checkIAMRole(stage, fn)
			c.checkVPC(stage, fn)
			c.checkIAMPolicyFile(stage, fn)
			if fn == effective.APIHandler && c.hasAPI {
				c.checkLogRetention(stage)
			}
		}
		if c.hasAPI {
			c.checkEndpoint(stage)
			c.checkAPIPolicyFile(stage)
		}
		c.checkEmptyCertificate(stage)
	}
	c.checkFunctionKeys()
	c.checkTopFunctionSettings()
	if opts.IncludeSchemaChecks {
		c.checkSchemaOverlap()
	}
	c.checkApp()
	return c.result()
}

type checker struct {
	root, user    *jsonpos.Node
	app           *appmodel.App
	opts          Options
	stages        []string
	projectDir    string
	appIncomplete bool // app.py (or a blueprint) has syntax errors, or the app object cannot be followed: handlers may be missing
	hasAPI        bool // the app has a REST API (routes), or we cannot tell

	files    map[string]fileState // policy files read so far
	findings map[findingKey]*finding
	order    []findingKey
	appDiags map[string][]diag.Diagnostic
}

func hasFileErrors(app *appmodel.App) bool {
	if len(app.ParseErrors) > 0 {
		return true
	}
	for _, ds := range app.FileErrors {
		if len(ds) > 0 {
			return true
		}
	}
	return false
}

// functions lists the config names of the Lambda functions of stage.
func (c *checker) functions(stage string) []string {
	if c.app != nil && c.app.HandlersUnknown == "" {
		names := c.app.FunctionNames()
		if c.appIncomplete {
			// Handlers in a broken region are unknown; also check the ones config.json names.
			names = union(names, effective.FunctionNames(c.root, stage))
		}
		return names
	}
	// Handlers unknown: check the settings as they apply to any function (the
	// ones config.json names, the known handlers and api_handler).
	names := union([]string{effective.APIHandler}, effective.FunctionNames(c.root, stage))
	if c.app != nil {
		names = union(names, c.app.FunctionNames())
	}
	if c.opts.UserMode != effective.UserParams {
		var fromOverlay []string
		for _, m := range members(object(c.user).Get("lambda_functions")) {
			fromOverlay = append(fromOverlay, m.Key)
		}
		names = union(names, fromOverlay)
	}
	return names
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range [][]string{a, b} {
		for _, s := range l {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (c *checker) resolve(stage, fn, key string) effective.Value {
	return effective.ResolveOverlay(c.root, stage, fn, key, effective.Overlay{Node: c.user, Mode: c.opts.UserMode})
}

// where names the level of a value for messages: "(stages.prod)".
func where(v effective.Value) string {
	return "(" + string(v.Level) + ")"
}

// isOpaque reports a value unknown until synth (a CDK expression or token).
func isOpaque(v effective.Value) bool {
	return v.Node.SynthTime()
}

// --- findings -----------------------------------------------------------------

type docKind int

const (
	docConfig docKind = iota
	docOverlay
)

type findingKey struct {
	doc        docKind
	start, end int
	code       string
}

// finding collects the stages and functions one diagnostic affects.
type finding struct {
	d        diag.Diagnostic
	affected map[string]map[string]bool // stage -> functions ("" for stage-wide rules)
}

// report records a problem caused by value v (its node decides the range and the
// file) for stage and fn (fn "" for stage-wide rules). Values from defaults have no
// place in a file and are not reported.
func (c *checker) report(v effective.Value, code string, sev diag.Severity, msg string, stage, fn string) {
	if v.Node == nil {
		return
	}
	if !v.InOverlay && !v.Origin.InFile() {
		return
	}
	c.reportAt(v.InOverlay, v.Node.Start, v.Node.End, code, sev, msg, nil, stage, fn)
}

// reportAt records a problem at [start, end) of config.json, or of the overlay's
// source when inOverlay is set.
func (c *checker) reportAt(inOverlay bool, start, end int, code string, sev diag.Severity, msg string, sugg []string, stage, fn string) {
	doc := docConfig
	if inOverlay {
		doc = docOverlay
	}
	k := findingKey{doc, start, end, code}
	f := c.findings[k]
	if f == nil {
		f = &finding{d: diag.Diagnostic{Start: start, End: end, Severity: sev, Code: code, Message: msg, Suggestions: sugg},
			affected: map[string]map[string]bool{}}
		c.findings[k] = f
		c.order = append(c.order, k)
	}
	if stage != "" {
		if f.affected[stage] == nil {
			f.affected[stage] = map[string]bool{}
		}
		if fn != "" {
			f.affected[stage][fn] = true
		}
	}
}

func (c *checker) result() Result {
	var r Result
	for _, k := range c.order {
		f := c.findings[k]
		d := f.d
		if aff := c.describeAffected(f.affected); aff != "" {
			d.Message += " [" + aff + "]"
		}
		if k.doc == docOverlay {
			r.Overlay = append(r.Overlay, d)
		} else {
			r.Config = append(r.Config, d)
		}
	}
	diag.Sort(r.Config)
	diag.Sort(r.Overlay)
	if len(c.appDiags) > 0 {
		r.App = c.appDiags
		for _, ds := range r.App {
			diag.Sort(ds)
		}
	}
	return r
}

// describeAffected words the stages and functions a finding applies to:
// "stage dev", "function api_handler in stages dev and prod",
// "stage dev: api_handler, worker; stage prod: worker".
func (c *checker) describeAffected(aff map[string]map[string]bool) string {
	var stages []string
	for _, s := range c.stages {
		if _, ok := aff[s]; ok {
			stages = append(stages, s)
		}
	}
	if len(stages) == 0 {
		return ""
	}
	fnList := func(s string) []string {
		var out []string
		for fn := range aff[s] {
			out = append(out, fn)
		}
		sort.Strings(out)
		return out
	}
	first := strings.Join(fnList(stages[0]), ", ")
	uniform := true
	for _, s := range stages[1:] {
		if strings.Join(fnList(s), ", ") != first {
			uniform = false
		}
	}
	plural := func(word string, n int) string {
		if n == 1 {
			return word
		}
		return word + "s"
	}
	if uniform {
		st := plural("stage", len(stages)) + " " + listAnd(stages)
		fns := fnList(stages[0])
		if len(fns) == 0 {
			return st
		}
		return plural("function", len(fns)) + " " + listAnd(fns) + " in " + st
	}
	var parts []string
	for _, s := range stages {
		parts = append(parts, "stage "+s+": "+strings.Join(fnList(s), ", "))
	}
	return strings.Join(parts, "; ")
}

func listAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// addApp records a diagnostic for a Python file.
func (c *checker) addApp(file string, d diag.Diagnostic) {
	if c.appDiags == nil {
		c.appDiags = map[string][]diag.Diagnostic{}
	}
	for _, o := range c.appDiags[file] {
		if o.Start == d.Start && o.End == d.End && o.Code == d.Code {
			return // one diagnostic per range and code
		}
	}
	c.appDiags[file] = append(c.appDiags[file], d)
}

// describeValue shows a value briefly for messages.
func describeValue(v effective.Value) string {
	if v.Node != nil {
		switch v.Node.Kind {
		case jsonpos.String:
			return fmt.Sprintf("%q", v.Node.Text)
		case jsonpos.Array:
			if len(v.Node.Elems) == 0 {
				return "an empty list"
			}
			return "a list"
		case jsonpos.Object:
			return "an object"
		}
		return v.Node.Text
	}
	return effective.PyStr(v.Value)
}
