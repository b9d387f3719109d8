package appmodel

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
)

func handlerSummary(a *App) string {
	var parts []string
	for _, h := range a.Handlers {
		parts = append(parts, fmt.Sprintf("%s/%s/%s", h.Name, h.Kind, h.PyFunc))
	}
	return strings.Join(parts, " ")
}

func TestAliasesAndOtherAppVariable(t *testing.T) {
	src := `import chalice as c
from chalice import Blueprint as BP

NAME = 'const-name'
application = c.Chalice(app_name="aliased")
application.experimental_feature_flags.add('WEBSOCKETS')
local_bp = BP('custom.module')

@application.lambda_function(name=NAME)
def uses_const(event, context):
    pass

@local_bp.lambda_function()
def in_bp(event, context):
    pass

application.register_blueprint(local_bp, 'pre_')

@application.route('/x')
def view():
    pass

def not_registered():
    @application.lambda_function()
    def inner(event, context):
        pass
`
	a := Parse("/proj", []byte(src), nil)
	if got, want := handlerSummary(a), "const-name/lambda_function/uses_const pre_in_bp/lambda_function/in_bp api_handler/route/view"; got != want {
		t.Errorf("handlers = %q, want %q", got, want)
	}
	if a.AppVar != "application" || a.AppName != "aliased" || src[a.AppNameStart:a.AppNameEnd] != "aliased" {
		t.Errorf("app var %q name %q", a.AppVar, a.AppName)
	}
	if !a.HasFeatureFlag("WEBSOCKETS") {
		t.Errorf("flags = %q", a.FeatureFlags)
	}
	h := a.Handlers[1]
	if h.Module != "custom.module" || h.Blueprint != "local_bp" {
		t.Errorf("blueprint handler module %q bp %q", h.Module, h.Blueprint)
	}
	if src[h.NameStart:h.NameEnd] != "in_bp" || !strings.HasPrefix(src[h.DecoStart:h.DecoEnd], "@local_bp.lambda_function()") {
		t.Errorf("spans: name %q deco %q", src[h.NameStart:h.NameEnd], src[h.DecoStart:h.DecoEnd])
	}
	if got := a.FunctionNames(); strings.Join(got, ",") != "api_handler,const-name,pre_in_bp" {
		t.Errorf("FunctionNames = %q", got)
	}
}

func TestHalfTypedCode(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"unfinished def after", "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.lambda_function(name='ok')\ndef ok(event, context):\n    return 1\n\n@app.schedule('rate(1 hour)')\ndef half(\n", "ok/lambda_function/ok half/schedule/half"},
		{"unclosed decorator call", "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.lambda_function(name='first')\ndef first(e, c):\n    pass\n\n@app.on_sns_message(topic='t'\ndef second(e):\n    pass\n", "first/lambda_function/first"},
		{"garbage in the middle", "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.route('/')\ndef index():\n    return {\n\nx = = 3\n\n@app.lambda_function()\ndef later(e, c):\n    pass\n", "api_handler/route/index later/lambda_function/later"},
		{"unclosed call in a body", "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.route('/')\ndef index():\n    print(\n\n@app.lambda_function()\ndef a(e, c):\n    pass\n\n\n@app.on_sqs_message(queue='q')\ndef b(e):\n    pass\n", "api_handler/route/index a/lambda_function/a b/sqs/b"},
		{"unclosed list in decorator", "from chalice import Chalice\napp = Chalice(app_name='x')\n\n@app.route('/', methods=['GET'\ndef index():\n    pass\n\n@app.lambda_function(name='later')\ndef a(e, c):\n    pass\n", "later/lambda_function/a"},
		{"unterminated name string", "from chalice import Chalice\napp = Chalice(app_name='x')\n@app.lambda_function(name='abc)\ndef f(e, c):\n    pass\n", "f/lambda_function/f"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Parse("/proj", []byte(c.src), nil)
			got := handlerSummary(a)
			if got != c.want {
				t.Errorf("handlers = %q, want %q", got, c.want)
			}
			if len(a.ParseErrors) == 0 {
				t.Errorf("expected syntax errors")
			}
			for _, d := range a.ParseErrors {
				if d.Start < 0 || d.End > len(c.src) || d.Start > d.End {
					t.Errorf("bad span %+v", d)
				}
			}
		})
	}
}

func TestUnresolvedBlueprint(t *testing.T) {
	src := "from chalice import Chalice\nfrom chalicelib.missing import bp\napp = Chalice(app_name='x')\napp.register_blueprint(bp, name_prefix='p_')\n"
	a := Parse("/nonexistent", []byte(src), func(string) ([]byte, error) { return nil, fmt.Errorf("no") })
	if len(a.ParseErrors) != 1 || a.ParseErrors[0].Code != "blueprint-unresolved" || src[a.ParseErrors[0].Start:a.ParseErrors[0].End] != "bp" {
		t.Fatalf("errors = %+v", a.ParseErrors)
	}
}

func TestBigApp(t *testing.T) {
	src := testenv.BigApp(500)
	a := Parse("/proj", src, nil)
	if len(a.Handlers) < 50 || len(a.ParseErrors) != 0 {
		t.Fatalf("handlers %d errors %d", len(a.Handlers), len(a.ParseErrors))
	}
}

// BenchmarkParse500Lines measures the keystroke path: parse a 500-line
// app.py and list its handlers.
func BenchmarkParse500Lines(b *testing.B) {
	src := testenv.BigApp(500)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Parse("/proj", src, nil)
	}
}

func FuzzParse(f *testing.F) {
	for _, dir := range testApps(f) {
		if src, err := os.ReadFile(filepath.Join(dir, "app.py")); err == nil {
			f.Add(src)
		}
	}
	f.Add(testenv.BigApp(50))
	f.Fuzz(func(t *testing.T, src []byte) {
		a := Parse("/proj", src, func(string) ([]byte, error) { return src, nil })
		for _, h := range a.Handlers {
			if h.NameStart < 0 || h.NameEnd > len(src) || h.DecoStart > h.DecoEnd {
				t.Fatalf("bad spans %+v", h)
			}
		}
		for _, d := range a.ParseErrors {
			if d.Start < 0 || d.End > len(src) || d.Start > d.End {
				t.Fatalf("bad diagnostic span %+v", d)
			}
		}
	})
}

func TestBlueprintReexportAndImportForms(t *testing.T) {
	files := map[string]string{
		"/p/chalicelib/__init__.py":     "from .admin import admin_bp\n",
		"/p/chalicelib/admin.py":        "from chalice import Blueprint\nadmin_bp = Blueprint(__name__)\n\n@admin_bp.lambda_function()\ndef a(e, c):\n    pass\n",
		"/p/chalicelib/sub/__init__.py": "",
		"/p/chalicelib/sub/jobs.py":     "import chalice\nbp = chalice.Blueprint('jobs_mod')\n\n@bp.schedule('rate(1 day)')\ndef j(e):\n    pass\n",
	}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	app := "from chalice import Chalice\nfrom chalicelib import admin_bp\nimport chalicelib.sub.jobs\nfrom chalicelib.sub import jobs as J\n" +
		"app = Chalice(app_name='x')\napp.register_blueprint(admin_bp, name_prefix='x_')\n" +
		"app.register_blueprint(chalicelib.sub.jobs.bp, 'y_')\napp.register_blueprint(blueprint=J.bp, name_prefix='z_')\n"
	a := Parse("/p", []byte(app), read)
	if got, want := handlerSummary(a), "x_a/lambda_function/a y_j/schedule/j z_j/schedule/j"; got != want {
		t.Errorf("handlers = %q, want %q (errors %+v)", got, want, a.ParseErrors)
	}
	if a.Handlers[0].Module != "chalicelib.admin" || a.Handlers[1].Module != "jobs_mod" {
		t.Errorf("modules %q %q", a.Handlers[0].Module, a.Handlers[1].Module)
	}
	if a.Handlers[0].File != "/p/chalicelib/admin.py" {
		t.Errorf("file %q", a.Handlers[0].File)
	}
}

// TestAppShapes covers app objects that are not `app = Chalice(...)` in
// app.py, in memory (the test apps under testdata/apps cover the shapes that
// package, against Chalice itself).
func TestAppShapes(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		want    string // handler summary
		unknown string // substring of HandlersUnknown ("" = known)
		appVar  string
	}{
		{"library factory, app.py decorations are the fallback", map[string]string{
			"/p/app.py": "from somelib import make_app\napp = make_app('x')\n\n@app.route('/')\ndef index():\n    pass\n\n@app.lambda_function()\ndef worker(e, c):\n    pass\n",
		}, "api_handler/route/index worker/lambda_function/worker", "", "app"},
		{"the fallback is never an imported blueprint", map[string]string{
			"/p/app.py":            "from somelib import make_app\nfrom chalicelib.api import bp\napp = make_app('x')\n\n@bp.route('/a')\ndef a():\n    pass\n\n@bp.route('/b')\ndef b():\n    pass\n\n@app.lambda_function()\ndef worker(e, c):\n    pass\n",
			"/p/chalicelib/api.py": "from chalice import Blueprint\nbp = Blueprint(__name__)\n",
		}, "worker/lambda_function/worker", "", "app"},
		{"nothing decorated and the factory is a library's", map[string]string{
			"/p/app.py": "from somelib import make_app\napp = make_app('x')\n",
		}, "", "make_app(), which is not a function of this project", ""},
		{"app passed to a library function", map[string]string{
			"/p/app.py": "from chalice import Chalice\nimport somelib\napp = Chalice('x')\nsomelib.install(app)\n\n@app.lambda_function()\ndef worker(e, c):\n    pass\n",
		}, "worker/lambda_function/worker", "passes the app to somelib.install()", "app"},
		{"star import", map[string]string{
			"/p/app.py": "from chalicelib.app import *\n",
		}, "", "does not visibly create the app object", ""},
		{"aliased import of the app module attribute", map[string]string{
			"/p/app.py":                 "import chalicelib.registry as reg\napp = reg.app\n",
			"/p/chalicelib/registry.py": "from chalice import Chalice\napp = Chalice(app_name='r')\n\n@app.schedule('rate(1 hour)')\ndef tick(e):\n    pass\n",
		}, "tick/schedule/tick", "", "app"},
		{"helper with a keyword argument and a chained route", map[string]string{
			"/p/app.py":              "from chalice import Chalice\nfrom chalicelib import hooks\napp = Chalice('x')\nhooks.setup(target=app)\napp.route('/a')(hooks.view)\n",
			"/p/chalicelib/hooks.py": "def view():\n    pass\n\ndef job(e, c):\n    pass\n\ndef setup(flag=False, target=None):\n    target.lambda_function(name='job')(job)\n",
		}, "job/lambda_function/job api_handler/route/view", "", "app"},
		{"decorators on an object the loader cannot trace", map[string]string{
			"/p/app.py":              "from chalice import Chalice\nfrom chalicelib import store, views\napp = store.keep(Chalice('x'))\n",
			"/p/chalicelib/store.py": "_s = []\n\ndef keep(v):\n    _s.append(v)\n    return v\n\ndef get():\n    return _s[0]\n",
			"/p/chalicelib/views.py": "from chalicelib import store\napp = store.get()\n\n@app.route('/')\ndef index():\n    pass\n",
		}, "api_handler/route/index", "chalicelib/views.py registers handlers on app, which the editor cannot trace", "app"},
		{"helper decorator with a name the loader cannot evaluate", map[string]string{
			"/p/app.py": "from chalice import Chalice\napp = Chalice('x')\n\ndef job(n):\n    return app.lambda_function(name=n)\n\n@job('a')\ndef run(e, c):\n    pass\n",
		}, "", "registers run through job(), whose name= the editor cannot evaluate", "app"},
		{"blueprint that cannot be found", map[string]string{
			"/p/app.py": "from chalice import Chalice\nfrom somewhere import bp\napp = Chalice('x')\napp.register_blueprint(bp)\n",
		}, "", "registers the blueprint bp", "app"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := func(p string) ([]byte, error) {
				if s, ok := c.files[p]; ok {
					return []byte(s), nil
				}
				return nil, os.ErrNotExist
			}
			a := Parse("/p", []byte(c.files["/p/app.py"]), read)
			if got := handlerSummary(a); got != c.want {
				t.Errorf("handlers = %q, want %q", got, c.want)
			}
			if c.unknown == "" && a.HandlersUnknown != "" || !strings.Contains(a.HandlersUnknown, c.unknown) {
				t.Errorf("HandlersUnknown = %q, want it to contain %q", a.HandlersUnknown, c.unknown)
			}
			if a.AppVar != c.appVar {
				t.Errorf("AppVar = %q, want %q", a.AppVar, c.appVar)
			}
		})
	}
}
