package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// project is a Chalice project written to a temporary directory.
type project struct {
	dir   string
	cfg   string
	root  *jsonpos.Node
	app   *appmodel.App
	appPy string
}

// newProject writes app.py (skipped when appPy is ""), .chalice/config.json and the
// extra files (paths relative to the project), then parses them.
func newProject(t testing.TB, appPy, cfg string, files map[string]string) *project {
	t.Helper()
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".chalice/config.json", cfg)
	for rel, content := range files {
		write(rel, content)
	}
	p := &project{dir: dir, cfg: cfg, appPy: appPy}
	var errs []jsonpos.SyntaxError
	p.root, errs = jsonpos.Parse([]byte(cfg))
	if len(errs) > 0 {
		t.Fatalf("test config does not parse: %v", errs)
	}
	if appPy != "" {
		write("app.py", appPy)
		app, err := appmodel.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		p.app = app
	}
	return p
}

func (p *project) check(opts Options) Result {
	if opts.ProjectDir == "" {
		opts.ProjectDir = p.dir
	}
	return Check(p.root, p.app, opts)
}

// span returns the byte span of needle inside the first occurrence of context in
// src (context "" means needle itself), failing when either is missing or the
// context is ambiguous.
func span(t testing.TB, src, context, needle string) (int, int) {
	t.Helper()
	if context == "" {
		context = needle
	}
	i := strings.Index(src, context)
	if i < 0 || strings.Count(src, context) != 1 {
		t.Fatalf("context %q occurs %d times in the source", context, strings.Count(src, context))
	}
	j := strings.Index(context, needle)
	if j < 0 {
		t.Fatalf("needle %q not in context %q", needle, context)
	}
	return i + j, i + j + len(needle)
}

// want describes one expected diagnostic.
type want struct {
	code             string
	context, needle  string
	severity         diag.Severity
	msgHas           []string
	suggestions      []string
	checkSuggestions bool
}

// expect asserts that ds holds exactly the wanted diagnostics (any order), with
// exact ranges.
func expect(t testing.TB, src string, ds []diag.Diagnostic, wants ...want) {
	t.Helper()
	used := make([]bool, len(ds))
	for _, w := range wants {
		start, end := span(t, src, w.context, w.needle)
		found := false
		for i, d := range ds {
			if used[i] || d.Code != w.code || d.Start != start || d.End != end {
				continue
			}
			found, used[i] = true, true
			if w.severity != 0 && d.Severity != w.severity {
				t.Errorf("%s at %q: severity %s, want %s", w.code, w.needle, d.Severity, w.severity)
			}
			for _, m := range w.msgHas {
				if !strings.Contains(d.Message, m) {
					t.Errorf("%s at %q: message lacks %q:\n  %s", w.code, w.needle, m, d.Message)
				}
			}
			if w.checkSuggestions && strings.Join(d.Suggestions, "|") != strings.Join(w.suggestions, "|") {
				t.Errorf("%s at %q: suggestions %q, want %q", w.code, w.needle, d.Suggestions, w.suggestions)
			}
			break
		}
		if !found {
			t.Errorf("missing %s at %q (%d-%d); got:\n%s", w.code, w.needle, start, end, dump(src, ds))
		}
	}
	for i, d := range ds {
		if !used[i] {
			t.Errorf("unexpected diagnostic %s at %d-%d %q: %s", d.Code, d.Start, d.End, safeSlice(src, d.Start, d.End), d.Message)
		}
	}
}

func dump(src string, ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.Code + " " + strings.TrimSpace(safeSlice(src, d.Start, d.End)) + ": " + d.Message + "\n")
	}
	return b.String()
}

func safeSlice(s string, a, b int) string {
	if a < 0 || b > len(s) || a > b {
		return "<out of range>"
	}
	return s[a:b]
}

// codes returns the codes in ds, for negative tests.
func codes(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

const routeApp = `from chalice import Chalice

app = Chalice(app_name='demo')


@app.route('/')
def index():
    return {}


@app.lambda_function()
def worker(event, context):
    return {}
`

const noRouteApp = `from chalice import Chalice

app = Chalice(app_name='demo')


@app.lambda_function()
def worker(event, context):
    return {}
`
