package lsptest_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/lsp/lsptest"
	"go.lsp.dev/protocol"
)

func detailOf(it protocol.CompletionItem) string {
	d, _ := it.Detail.Get()
	return d
}

func item(items []protocol.CompletionItem, label string) *protocol.CompletionItem {
	for i := range items {
		if items[i].Label == label {
			return &items[i]
		}
	}
	return nil
}

// TestPythonCDK covers a chalice.cdk.Chalice app before any packaging (predicted
// IDs), then after "Package & preview template" (packaged IDs).
func TestPythonCDK(t *testing.T) {
	venv := lsptest.Venv(t)
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{Settings: map[string]any{"python": venv}, MessageAnswer: confirmPackaging})
	py := filepath.Join(dir, "infra-py", "stacks.py")
	u := s.Open(py)

	s.Await("CDK diagnostics", func(st *lsptest.State) bool {
		ds := st.Diagnostics[u]
		return hasCode(ds, "unknown-logical-id") != nil && hasCode(ds, "wrong-type") != nil && hasCode(ds, "stage-config-lambda-functions-ignored") != nil
	})
	ds := s.Diagnostics(py)
	src := s.Content(py)
	unk := hasCode(ds, "unknown-logical-id")
	if off := s.Offset(py, unk.Range.Start); !strings.HasPrefix(src[off:], "Workr'") {
		t.Fatalf("unknown ID diagnostic should cover the string content, starts at %q", src[off:off+10])
	}
	if unk.Severity != protocol.DiagnosticSeverityWarning || !strings.Contains(msgOf(*unk), "predicted") {
		t.Fatalf("before packaging the unknown ID is a warning against predicted IDs: %+v", unk)
	}
	wt := hasCode(ds, "wrong-type")
	if off := s.Offset(py, wt.Range.Start); !strings.HasPrefix(src[off:], "'big'") {
		t.Fatalf("stage_config type error should sit on the value, starts at %q", src[off:off+10])
	}
	if d := hasCode(ds, "stage-config-lambda-functions-ignored"); !strings.HasPrefix(src[s.Offset(py, d.Range.Start):], "'lambda_functions'") {
		t.Fatalf("#1998 warning should sit on the key")
	}
	// Did-you-mean quick fix.
	acts := s.CodeActions(py, unk.Range, []protocol.Diagnostic{*unk})
	if len(acts) == 0 || acts[0].Edit == nil || acts[0].Title != `Change to Worker` {
		t.Fatalf("want quick fix 'Change to Worker', got %+v", acts)
	}

	// Completion inside get_resource('...'): every predicted resource with its type.
	items := s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
	for _, want := range []string{"APIHandler", "RestAPI", "DefaultRole", "Worker", "EveryFive", "APIHandlerInvokePermission"} {
		it := item(items, want)
		if it == nil {
			t.Fatalf("get_resource completion lacks %s: %v", want, labels(items))
		}
		if !strings.Contains(detailOf(*it), "(predicted)") || !strings.Contains(detailOf(*it), "AWS::") {
			t.Fatalf("%s detail should show the type and 'predicted': %q", want, detailOf(*it))
		}
	}
	// The shared edit range (itemDefaults) covers the string's content.
	if s.LastItemDefaults == nil {
		t.Fatal("logical-ID completion should use itemDefaults.editRange")
	}
	er, ok := s.LastItemDefaults.EditRange.(*protocol.Range)
	if !ok || src[s.Offset(py, er.Start):s.Offset(py, er.End)] != "APIHandler" {
		t.Fatalf("edit range %+v should cover APIHandler", s.LastItemDefaults.EditRange)
	}
	// get_role only offers roles, get_function only functions.
	roles := labels(s.Completion(py, s.Pos(py, "get_role('", len("get_role('"))))
	if !slices.Equal(roles, []string{"DefaultRole"}) {
		t.Fatalf("get_role completion: %v", roles)
	}
	fns := labels(s.Completion(py, s.Pos(py, "get_function('", len("get_function('"))))
	if slices.Contains(fns, "DefaultRole") || !slices.Contains(fns, "Worker") {
		t.Fatalf("get_function completion: %v", fns)
	}
	// Completion of stage_config keys inside the literal.
	keys := labels(s.Completion(py, s.Pos(py, "'lambda_memory_size'", 1)))
	if !slices.Contains(keys, "lambda_memory_size") && !slices.Contains(keys, "lambda_timeout") {
		t.Fatalf("stage_config key completion: %v", keys)
	}

	// Hover on a predicted ID: type, handler, config values.
	h := s.Hover(py, s.Pos(py, "APIHandler'", 2))
	if !strings.Contains(h, "AWS::Serverless::Function") || !strings.Contains(h, "def index") || !strings.Contains(h, "Predicted") {
		t.Fatalf("hover on APIHandler:\n%s", h)
	}
	// Hover on a stage_config key.
	if h := s.Hover(py, s.Pos(py, "'environment_variables'", 2)); !strings.Contains(h, "environment_variables") {
		t.Fatalf("hover on stage_config key:\n%s", h)
	}
	// Definition of a predicted ID: the handler in app.py.
	locs := s.Definition(py, s.Pos(py, "APIHandler'", 2))
	if len(locs) != 1 || filepath.Base(locs[0].URI.FsPath()) != "app.py" {
		t.Fatalf("definition before packaging: %+v", locs)
	}

	// Package & preview on the construct call.
	acts = s.CodeActions(py, protocol.Range{Start: s.Pos(py, "Chalice(", 2), End: s.Pos(py, "Chalice(", 2)}, nil)
	var pkg *protocol.CodeAction
	for _, a := range acts {
		if strings.HasPrefix(a.Title, "Package & preview template") {
			pkg = a
		}
	}
	if pkg == nil {
		t.Fatalf("no Package & preview action on the construct call: %+v", acts)
	}
	var res struct {
		Path  string `json:"path"`
		Shown bool   `json:"shown"`
	}
	if err := s.ExecuteCommand(pkg.Command, &res); err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string         `json:"Type"`
			Properties map[string]any `json:"Properties"`
		} `json:"Resources"`
	}
	readJSON(t, res.Path, &tmpl)
	if tmpl.Resources["APIHandler"].Type != "AWS::Serverless::Function" || !res.Shown {
		t.Fatalf("preview template %s lacks APIHandler or was not shown (%v)", res.Path, res.Shown)
	}
	if got := tmpl.Resources["APIHandler"].Properties["MemorySize"]; got != "big" {
		// The stage_config literal is merged: memory "big" reaches the template
		// (Chalice does not validate it), which is why it is flagged above.
		t.Fatalf("merged template MemorySize = %v, want the stage_config value", got)
	}
	s.Await("packaging progress end", func(st *lsptest.State) bool { return st.Ended("chalice package") > 0 })

	// Now IDs come from the template: no "(predicted)", and the unknown ID is an error.
	items = s.Completion(py, s.Pos(py, "get_resource('", len("get_resource('")))
	if it := item(items, "APIHandler"); it == nil || strings.Contains(detailOf(*it), "predicted") {
		t.Fatalf("after packaging APIHandler should come from the template: %+v", it)
	}
	s.Await("unknown ID becomes an error", func(st *lsptest.State) bool {
		d := hasCode(st.Diagnostics[u], "unknown-logical-id")
		return d != nil && d.Severity == protocol.DiagnosticSeverityError
	})
	locs = s.Definition(py, s.Pos(py, "APIHandler'", 2))
	var inTemplate bool
	for _, l := range locs {
		if l.URI.FsPath() == res.Path {
			inTemplate = true
			off := int(l.Range.Start.Line)
			if off == 0 {
				t.Fatalf("template location should point at the resource key: %+v", l)
			}
		}
	}
	if !inTemplate || len(locs) != 2 {
		t.Fatalf("definition after packaging should give the template resource and the handler: %+v", locs)
	}
	h = s.Hover(py, s.Pos(py, "APIHandler'", 2))
	if !strings.Contains(h, "Runtime: `python3.") || !strings.Contains(h, "Role: `DefaultRole`") {
		t.Fatalf("hover after packaging should show template properties:\n%s", h)
	}
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

// TestGoCDK checks the Go construct: stage_config map literal and GetRole.
func TestGoCDK(t *testing.T) {
	s, dir := startFixture(t, "testdata/lsp/cdkapp", lsptest.Config{})
	gof := filepath.Join(dir, "infra-go", "main.go")
	u := s.Open(gof)
	s.Await("Go CDK diagnostics", func(st *lsptest.State) bool {
		ds := st.Diagnostics[u]
		return hasCode(ds, "wrong-resource-kind") != nil && hasCode(ds, "wrong-type") != nil
	})
	src := s.Content(gof)
	ds := s.Diagnostics(gof)
	if d := hasCode(ds, "wrong-type"); !strings.HasPrefix(src[s.Offset(gof, d.Range.Start):], `"yes"`) {
		t.Fatalf("xray type error should sit on the value")
	}
	if hasCode(ds, "stage-config-lambda-functions-ignored") != nil {
		t.Fatal("the Go construct honours lambda_functions; no #1998 warning")
	}
	items := s.Completion(gof, s.Pos(gof, `GetResource(jsii.String("`, len(`GetResource(jsii.String("`)))
	if item(items, "RestAPI") == nil || item(items, "Worker") == nil {
		t.Fatalf("GetResource completion: %v", labels(items))
	}
	if h := s.Hover(gof, s.Pos(gof, `"RestAPI"`, 2)); !strings.Contains(h, "AWS::Serverless::Api") {
		t.Fatalf("hover on RestAPI:\n%s", h)
	}
	keys := labels(s.Completion(gof, s.Pos(gof, `"lambda_timeout"`, 1)))
	if !slices.Contains(keys, "lambda_timeout") {
		t.Fatalf("Go stage_config key completion: %v", keys)
	}
	// Removing the only route from app.py (unsaved) removes RestAPI: the CDK file's
	// diagnostics follow at once.
	app := filepath.Join(dir, "runtime", "app.py")
	s.Open(app)
	// Hover on a handler in app.py names its logical IDs.
	if h := s.Hover(app, s.Pos(app, "def process", 5)); !strings.Contains(h, "`Worker`") || !strings.Contains(h, "config name `worker`") {
		t.Fatalf("hover on the handler in app.py:\n%s", h)
	}
	s.Edit(app, strings.Replace(s.Content(app), "@app.route('/')\n", "", 1))
	s.Await("RestAPI unknown after the route is gone", func(st *lsptest.State) bool {
		d := hasCode(st.Diagnostics[u], "unknown-logical-id")
		return d != nil && strings.Contains(msgOf(*d), "RestAPI")
	})
	if code := s.Shutdown(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}
