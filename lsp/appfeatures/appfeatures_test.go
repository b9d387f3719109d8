package appfeatures

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"
	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/packager"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
)

const appPy = `from chalice import Chalice, Rate
app = Chalice(app_name='web')


@app.route('/')
def index():
    return {}


@app.schedule(Rate(1, unit=Rate.HOURS))
def every_hour(event):
    return {}


@app.lambda_function(name='my_lambda_function')
def worker(event, context):
    return {}


@app.on_sqs_message(queue='jobs')
def category_event_handler(event):
    return {}
`

// snapshotOf writes files into a temporary directory and returns it with a
// snapshot of it read from disk.
func snapshotOf(t *testing.T, files map[string]string) (string, *analysis.Snapshot) {
	t.Helper()
	root := testenv.WriteTree(t, t.TempDir(), files)
	return root, analysis.FromDisk(os.ReadFile, settings.Defaults(), root)
}

func fixture(t *testing.T) (string, *analysis.Snapshot) {
	return snapshotOf(t, map[string]string{
		"web/.chalice/config.json": `{"version": "2.0", "app_name": "web", "environment_variables": {"A": "top"},
  "lambda_functions": {"my_lambda_function": {"lambda_memory_size": 512}},
  "stages": {"dev": {"lambda_timeout": 30, "environment_variables": {"B": "dev"},
    "lambda_functions": {"my_lambda_function": {"lambda_timeout": 42}}}}}`,
		"web/app.py":     appPy,
		"infra/cdk.json": `{"app": "python3 app.py"}`,
		"infra/app.py":   "import aws_cdk as cdk\nfrom chalice.cdk import Chalice\napp = cdk.App()\nstack = cdk.Stack(app, 'dev')\nc = Chalice(stack, 'C', source_dir='../web')\nc.get_function('MyLambdaFunction')\nc.get_resource('MyLambdaFunction').node\nc.get_function('Index')\n",
	})
}

func TestHandlersHintsAndHover(t *testing.T) {
	root, snap := fixture(t)
	app := filepath.Join(root, "web/app.py")
	var labels []string
	for _, h := range InlayHints(snap, app, 0, len(appPy)) {
		// Each hint sits at the end of its decorator line.
		if appPy[h.Offset] != '\n' || !strings.HasPrefix(appPy[strings.LastIndex(appPy[:h.Offset], "\n")+1:], "@app.") {
			t.Errorf("hint %q at %d is not at the end of a decorator", h.Label, h.Offset)
		}
		labels = append(labels, h.Label)
	}
	want := []string{
		"APIHandler · AWS::Serverless::Function, APIHandlerInvokePermission",
		"EveryHour · AWS::Serverless::Function",
		"MyLambdaFunction · AWS::Serverless::Function",
		"CategoryEventHandler · AWS::Serverless::Function",
	}
	if strings.Join(labels, "\n") != strings.Join(want, "\n") {
		t.Fatalf("inlay hints:\n%s\nwant:\n%s", strings.Join(labels, "\n"), strings.Join(want, "\n"))
	}
	// A range that covers only the second decorator.
	s := strings.Index(appPy, "@app.schedule")
	if hs := InlayHints(snap, app, s, s+45); len(hs) != 1 || !strings.HasPrefix(hs[0].Label, "EveryHour ") {
		t.Errorf("hints in the schedule's range: %+v", hs)
	}

	off := strings.Index(appPy, "def worker") + 5
	h, ok := HoverAt(snap, app, off)
	if !ok || appPy[h.Start:h.End] != "worker" {
		t.Fatalf("hover on worker: %+v %v", h, ok)
	}
	for _, w := range []string{"config name `my_lambda_function`", "`MyLambdaFunction` — `AWS::Serverless::Function` (predicted)",
		"Memory: `512` MB — from lambda_functions.my_lambda_function", "Timeout: `42` s — from stages.dev.lambda_functions.my_lambda_function",
		"`A` = `top` — from top level", "`B` = `dev` — from stages.dev"} {
		if !strings.Contains(h.Markdown, w) {
			t.Errorf("hover on worker lacks %q:\n%s", w, h.Markdown)
		}
	}
	// Hover on the decorator answers too; on the body it does not.
	if _, ok := HoverAt(snap, app, strings.Index(appPy, "@app.schedule")+3); !ok {
		t.Error("no hover on the schedule decorator")
	}
	if _, ok := HoverAt(snap, app, strings.Index(appPy, "return")); ok {
		t.Error("hover inside a function body")
	}
}

func TestReferencesAndSymbols(t *testing.T) {
	root, snap := fixture(t)
	app := filepath.Join(root, "web/app.py")
	stack := filepath.Join(root, "infra/app.py")
	cfg := filepath.Join(root, "web/.chalice/config.json")
	stackSrc, _ := os.ReadFile(stack)
	cfgSrc, _ := os.ReadFile(cfg)
	show := func(r Reference) string {
		var out []string
		for _, l := range r.Locations {
			rel, _ := filepath.Rel(root, l.Path)
			out = append(out, rel+":"+string(l.Content[l.Start:l.End]))
		}
		return strings.Join(out, " ")
	}
	want := `infra/app.py:MyLambdaFunction infra/app.py:MyLambdaFunction web/app.py:worker web/.chalice/config.json:"my_lambda_function" web/.chalice/config.json:"my_lambda_function"`
	for name, at := range map[string]struct {
		file string
		off  int
	}{
		"CDK literal":     {stack, strings.Index(string(stackSrc), "MyLambdaFunction") + 2},
		"handler":         {app, strings.Index(appPy, "def worker") + 6},
		"decorator":       {app, strings.Index(appPy, "@app.lambda_function") + 1},
		"config.json key": {cfg, strings.LastIndex(string(cfgSrc), `"my_lambda_function"`) + 3},
	} {
		r, ok := References(snap, at.file, at.off, true)
		if !ok || r.ID != "MyLambdaFunction" || show(r) != want {
			t.Errorf("references from the %s: %v %q\n got %s\nwant %s", name, ok, r.ID, show(r), want)
		}
	}
	r, ok := References(snap, app, strings.Index(appPy, "def worker")+6, false)
	if !ok || show(r) != "infra/app.py:MyLambdaFunction infra/app.py:MyLambdaFunction" {
		t.Errorf("references without declarations: %s", show(r))
	}
	if _, ok := References(snap, app, strings.Index(appPy, "return"), true); ok {
		t.Error("references from a function body")
	}

	var got []string
	for _, sy := range WorkspaceSymbols(snap, "category") {
		got = append(got, sy.ID+"|"+sy.Container+"|"+string(sy.Location.Content[sy.Location.Start:sy.Location.End]))
	}
	if strings.Join(got, ",") != "CategoryEventHandler|web · category_event_handler|category_event_handler" {
		t.Errorf("workspace symbols for 'category': %v", got)
	}
	all := WorkspaceSymbols(snap, "")
	ids := map[string]bool{}
	for _, sy := range all {
		ids[sy.ID] = true
	}
	for _, w := range []string{"APIHandler", "RestAPI", "DefaultRole", "APIHandlerInvokePermission", "EveryHour", "MyLambdaFunction"} {
		if !ids[w] {
			t.Errorf("workspace symbols lack %s: %v", w, ids)
		}
	}
}

// A half-typed app.py (decorator without its def yet, an unclosed call)
// must not break the hints for the handlers that are complete.
func TestHalfTypedApp(t *testing.T) {
	src := appPy + "\n\n@app.route('/x', methods=['GET'\n"
	root, snap := snapshotOf(t, map[string]string{
		"web/.chalice/config.json": `{"version": "2.0", "app_name": "web"}`,
		"web/app.py":               src,
	})
	hs := InlayHints(snap, filepath.Join(root, "web/app.py"), 0, len(src))
	if len(hs) == 0 || !strings.HasPrefix(hs[0].Label, "APIHandler · AWS::Serverless::Function") {
		t.Errorf("hints of a half-typed app.py: %+v", hs)
	}
}

func TestLenses(t *testing.T) {
	root, snap := fixture(t)
	app := filepath.Join(root, "web/app.py")
	ls := Lenses(snap, app)
	if len(ls) != 4 || appPy[ls[2].Start:ls[2].End] != "@app.lambda_function(name='my_lambda_function')" || ls[2].Title != "MyLambdaFunction · AWS::Serverless::Function" {
		t.Fatalf("lenses: %+v", ls)
	}
	for _, c := range []struct {
		setting string
		inlay   bool
		want    bool
	}{{"auto", true, false}, {"auto", false, true}, {"always", true, true}, {"never", false, false}, {"", false, true}} {
		if got := ShowLenses(c.setting, c.inlay); got != c.want {
			t.Errorf("ShowLenses(%q, inlay=%v) = %v", c.setting, c.inlay, got)
		}
	}
}

// After packaging, the hint names the function's SAM events from the template
// (`EveryHour · AWS::Serverless::Function, EveryHourEvent`) and the IDs are no
// longer predicted.
func TestPackagedEvents(t *testing.T) {
	root, snap := fixture(t)
	app := filepath.Join(root, "web/app.py")
	p := snap.ProjectFor(app)
	sam := []byte(`{"Resources": {
  "EveryHour": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.every_hour", "Runtime": "python3.12",
    "Events": {"EveryHourEvent": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 hour)"}}}}},
  "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.app", "Runtime": "python3.12"}}}}`)
	tpl, err := template.Parse(filepath.Join(root, "sam.json"), sam)
	if err != nil {
		t.Fatal(err)
	}
	tg := ProjectTarget(snap, p)
	snap, _ = snap.Modify(analysis.Changes{Packaging: []*analysis.Packaging{{Key: tg.Key(), Dir: p.Dir, Stage: tg.Stage,
		Result: &packager.Result{Template: tpl, Stage: tg.Stage, TemplatePath: filepath.Join(root, "sam.json")}}}})
	var got string
	for _, h := range InlayHints(snap, app, 0, len(appPy)) {
		if strings.HasPrefix(h.Label, "EveryHour ") {
			got = h.Label + "\n" + h.Tooltip
		}
	}
	for _, w := range []string{"EveryHour · AWS::Serverless::Function, EveryHourEvent\n", "(packaged)", "event `EveryHourEvent` — `Schedule`"} {
		if !strings.Contains(got, w) {
			t.Errorf("packaged hint lacks %q:\n%s", w, got)
		}
	}
}

// A blueprint registered with a name_prefix: the hints sit in the blueprint's
// module and carry the prefixed names.
func TestBlueprintWithPrefix(t *testing.T) {
	bp := "from chalice import Blueprint\nbp = Blueprint(__name__)\n\n@bp.lambda_function()\ndef resize(event, context):\n    return {}\n\n@bp.route('/b')\ndef b():\n    return {}\n"
	root, snap := snapshotOf(t, map[string]string{
		"web/.chalice/config.json":   `{"version": "2.0", "app_name": "web"}`,
		"web/app.py":                 "from chalice import Chalice\nfrom chalicelib.blue import bp\napp = Chalice(app_name='web')\napp.register_blueprint(bp, name_prefix='img_', url_prefix='/img')\n",
		"web/chalicelib/__init__.py": "",
		"web/chalicelib/blue.py":     bp,
	})
	var got []string
	for _, h := range InlayHints(snap, filepath.Join(root, "web/chalicelib/blue.py"), 0, len(bp)) {
		got = append(got, h.Label)
	}
	if strings.Join(got, "\n") != "ImgResize · AWS::Serverless::Function\nAPIHandler · AWS::Serverless::Function, APIHandlerInvokePermission" {
		t.Errorf("blueprint hints: %q", got)
	}
}
